"""The pages readers use: a person's page, a forgiving search page, links in query results.

- The row page of persons (/political_prisoners/persons/<person_id>) gets the person's
  aliases, detentions with charges, timeline and lists, for
  templates/row-political_prisoners-persons.html.
- /-/search?text=Mamm (or ?q=) finds people by any spelling and by the start of a word: the query
  is folded like the index (plugins/search_folding.py already folds ``q``), cut into
  plain words, and each word becomes a quoted FTS5 prefix term, so no input can be
  an FTS syntax error.
- In saved-query results, a person_id cell links to the person's page.

Every value reaches the page through Jinja's autoescape; nothing here marks data safe
except the link built below from escaped parts.
"""
import re
from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from registry.fold import fold

DB = "political_prisoners"
ROOT = Path(__file__).resolve().parent.parent
DOWNLOADS = ROOT / "build" / "downloads"
MAX_TERMS = 8
SEARCH_LIMIT = 100


def fts_prefix_query(text):
    """'Məmmədli an' -> '"mammadli"* AND "an"*'; None when no word is left.

    Words are runs of letters and digits after folding, so quotes, stars, brackets and
    operators typed by a user can never reach FTS5 as syntax.
    """
    words = re.findall(r"[0-9a-z]+", fold(text or ""))[:MAX_TERMS]
    if not words:
        return None
    return " AND ".join(f'"{w}"*' for w in words)


def rows(results):
    return [dict(r) for r in results.rows]


async def person_data(datasette, person_id):
    db = datasette.get_database(DB)
    q = lambda sql: db.execute(sql, {"id": person_id})  # noqa: E731
    person = rows(await q("""
        select p.*, c.name as category_name, s.url as status_source_url,
               s.publisher as status_source_publisher, s.title as status_source_title,
               s2.url as source_url, s2.publisher as source_publisher
        from persons p join categories c on c.category_id = p.category
        join sources s on s.source_id = p.status_source_id
        join sources s2 on s2.source_id = p.source_id
        where p.person_id = :id"""))
    if not person:
        return None
    person = person[0]
    aliases = rows(await q("""select alias, kind from aliases where person_id = :id
                              order by kind, alias"""))
    detentions = rows(await q("""
        select d.*, pl.name as place_name, pl.kind as place_kind, c.name as case_name,
               s.url as source_url, s.publisher as source_publisher,
               rs.url as release_source_url, rs.publisher as release_source_publisher
        from detentions d
        left join places pl on pl.place_id = d.place_id
        left join cases c on c.case_id = d.case_id
        join sources s on s.source_id = d.source_id
        left join sources rs on rs.source_id = d.release_source_id
        where d.person_id = :id
        order by d.arrested_on is null, d.arrested_on, d.detention_id"""))
    charges = rows(await q("""
        select ch.detention_id, ch.article_id, a.title, a.code, ch.stage, s.url as source_url,
               s.publisher as source_publisher
        from charges ch join detentions d on d.detention_id = ch.detention_id
        join articles a on a.article_id = ch.article_id
        join sources s on s.source_id = ch.source_id
        where d.person_id = :id order by ch.article_id, ch.source_id"""))
    for d in detentions:
        # One line per article; each source that states it (and its stage) listed on it.
        grouped = {}
        for c in charges:
            if c["detention_id"] != d["detention_id"]:
                continue
            g = grouped.setdefault(c["article_id"], {**c, "stages": [], "sources": []})
            if c["stage"] and c["stage"] not in g["stages"]:
                g["stages"].append(c["stage"])
            g["sources"].append({"url": c["source_url"], "publisher": c["source_publisher"]})
        d["charges"] = list(grouped.values())
    timeline = rows(await q("""
        select date, date_precision, kind, description, detention_id, publisher, source_url,
               item_id
        from person_timeline_items where person_id = :id
        order by date, case kind when 'arrested' then 0 when 'named_on_list' then 9 else 1 end,
                 item_id"""))
    lists = rows(await q("""
        select l.list_id, l.title, l.compiler, l.as_of, l.scope, le.number, le.basis,
               le.group_as_printed, le.subgroup_as_printed, le.name_as_printed,
               s.url as source_url
        from list_entries le join lists l on l.list_id = le.list_id
        join sources s on s.source_id = le.source_id
        where le.person_id = :id order by l.as_of, l.list_id"""))
    standing = rows(await q("""
        select ps.*, s.url as last_held_source_url, s.publisher as last_held_source_publisher
        from person_status ps left join sources s on s.source_id = ps.last_held_source_id
        where ps.person_id = :id"""))[0]
    removals = rows(await q("""
        select l.list_id, l.title, l.compiler, l.as_of, lr.reason, lr.name_as_printed,
               s.url as source_url
        from list_removals lr join lists l on l.list_id = lr.list_id
        join sources s on s.source_id = lr.source_id
        where lr.person_id = :id order by l.as_of, l.list_id"""))
    conflicts = rows(await q("""
        select conflict_id, topic, claim, publisher, source_url from disagreements
        where person_id = :id order by conflict_id, claim"""))
    return {"person": person, "aliases": aliases, "detentions": detentions,
            "timeline": timeline, "lists": lists, "removals": removals, "conflicts": conflicts,
            "standing": standing, "held": bool(standing["held_now"])}


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name == "row" and database == DB and table == "persons":
        async def inner():
            pks = (request.url_vars or {}).get("pks", "") if request else ""
            from urllib.parse import unquote
            from datasette.utils import tilde_decode
            person_id = tilde_decode(unquote(pks))
            return {"person_page": await person_data(datasette, person_id)}
        return inner
    if view_name == "index":
        return {"release": release_info()}
    return {}


def release_info():
    """The release files in build/downloads, for the home page."""
    from registry import datapackage
    version = datapackage.version()
    zip_name = f"azerbaijan-political-prisoners-{version}.zip"
    if not DOWNLOADS.exists():
        return {"version": version, "zip": None, "csvs": []}
    return {"version": version,
            "zip": zip_name if (DOWNLOADS / zip_name).exists() else None,
            "csvs": sorted(p.name for p in DOWNLOADS.glob("*.csv"))}


async def search_page(request, datasette):
    # The form sends "text", which search_folding leaves alone, so the page can echo what
    # was typed (Məmmədli); "q" works too, already folded.
    text = (request.args.get("text") or request.args.get("q") or "")[:200]
    match = fts_prefix_query(text)
    results, error = [], None
    if match:
        db = datasette.get_database(DB)
        try:
            results = rows(await db.execute(f"""
                select p.person_id, p.name, p.name_az, c.name as category, p.status, p.status_as_of,
                       p.affiliation, p.first_arrested_on, ps.held_basis, ps.last_held_on
                from persons_fts f join persons p on p.rowid = f.rowid
                join categories c on c.category_id = p.category
                join person_status ps on ps.person_id = p.person_id
                where persons_fts match :match
                order by rank, p.name limit {SEARCH_LIMIT}""", {"match": match}))
        except Exception:  # a time limit, never a syntax error: terms are quoted
            error = "The search took too long; try a longer or more specific word."
    return Response.html(await datasette.render_template(
        "search.html", {"q": text, "results": results, "match": match, "error": error,
                        "limit": SEARCH_LIMIT}, request=request))


async def person_json(request, datasette):
    """The whole person as one JSON document: the persons row, aliases, detentions with
    their charges, the timeline, the lists and removals, disagreements, and the held-now
    standing, each item with its source (the page of /<db>/persons/<id>, as data)."""
    person_id = request.url_vars["person_id"]
    data = await person_data(datasette, person_id)
    if data is None:
        return Response.json({"ok": False, "error": f"No person {person_id}", "status": 404},
                             status=404)
    data.pop("held", None)
    return Response.json({"ok": True, **data}, default=str)


# The examples of the API page; tests/test_answers.py requests every one of them.
API_EXAMPLES = [
    {"title": "Who is held now", "path": f"/{DB}/people_held_now.json?_shape=array",
     "what": "Everyone held now under the registry's rule, with the basis and the latest confirmation."},
    {"title": "One person, everything", "path": f"/{DB}/persons/anar-mammadli/all.json",
     "what": "The person with aliases, detentions and charges, timeline, lists and sources."},
    {"title": "People, filtered", "path": f"/{DB}/persons.json?category=journalist-blogger&_shape=array",
     "what": "Any table, filtered by column values."},
    {"title": "Search by any spelling", "path": f"/{DB}/persons.json?_search=mammadli&_shape=array",
     "what": "Full-text search over names and their other spellings."},
    {"title": "People charged under an article",
     "path": f"/{DB}/people_by_article.json?article=206.3.2&_shape=array",
     "what": "A saved query with a parameter."},
    {"title": "Published counts over time",
     "path": f"/{DB}/tallies_over_time.json?scope=political_prisoners&one_per_list=1&_shape=array",
     "what": "Every dated count of political prisoners, one per list."},
    {"title": "Held-now figures", "path": f"/{DB}/held_now_summary.json?_shape=array",
     "what": "Held now, confirmed, on a running sentence, and last reported held before the window."},
    {"title": "A table as CSV", "path": f"/{DB}/detentions.csv?_size=max",
     "what": "Any table or query as CSV."},
    {"title": "New events as a feed", "path": f"/{DB}/new_events.atom",
     "what": "Arrests, court decisions and releases, newest first (Atom)."},
    {"title": "The whole database", "path": f"/{DB}.db",
     "what": "The SQLite file of this data release."},
]


async def api_page(request, datasette):
    from urllib.parse import urlsplit
    parts = urlsplit(request.url)
    base_url = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return Response.html(await datasette.render_template(
        "api.html", {"examples": API_EXAMPLES, "site_url": base_url}, request=request))


@hookimpl
def register_routes():
    return [(r"^/-/search$", search_page), (r"^/-/api$", api_page),
            (rf"^/{DB}/persons/(?P<person_id>[a-z0-9]+(?:-[a-z0-9]+)*)/all\.json$", person_json)]


@hookimpl
def render_cell(value, column, table, database, datasette):
    # Saved-query results only (table is None): tables link their keys already.
    if table is None and database == DB and column == "person_id" and isinstance(value, str) \
            and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
        return Markup('<a href="/{}/persons/{}">{}</a>').format(DB, value, value)
    return None


@hookimpl
def asgi_wrapper(datasette):
    """Every CSV link downloads a file: .csv without _dl gets _dl=1 (text/csv, attachment)."""
    def wrap(app):
        async def csv_as_download(scope, receive, send):
            if scope.get("type") == "http" and scope.get("path", "").endswith(".csv"):
                qs = scope.get("query_string") or b""
                if b"_dl=" not in qs:
                    scope = dict(scope, query_string=(qs + b"&" if qs else b"") + b"_dl=1")
            await app(scope, receive, send)
        return csv_as_download
    return wrap


@hookimpl
def extra_js_urls(template, database, table, view_name, datasette):
    # Only the pages datasette-vega runs on; served by registry/serve.py from static/.
    if view_name in ("table", "query", "database"):
        return [{"url": "/assets/vega-guard.js", "module": True}]
    return []
