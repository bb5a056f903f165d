"""/-/search?text=Mamm (or ?q=): people by any spelling and by the start of a word.

The query is folded like the index (registry/fold.py; plugins/search_folding.py already
folds ``q``), cut into plain words, and each word becomes a quoted FTS5 prefix term
(registry/search.py), so no input can be an FTS syntax error.
"""
from datasette import hookimpl
from datasette.utils.asgi import Response

from registry.person import rows
from registry.search import fts_prefix_query
from registry.settings import DB_NAME as DB

SEARCH_LIMIT = 100


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
                select p.person_id, p.name, p.name_az, c.name as category, p.category as category_id, p.status, p.status_as_of,
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


@hookimpl
def register_routes():
    return [(r"^/-/search$", search_page)]
