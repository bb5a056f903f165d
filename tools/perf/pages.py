"""Which pages the load runs ask for, and how to tell that a page lost a facet.

Datasette gives up on a facet that takes longer than its time limit and still answers
200, so a run that only counted statuses would miss the failure readers see most.
"""
import json
import random
import re
import sqlite3
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
from registry.settings import DB_NAME, load_metadata

FACET_TIMEOUT = "These facets timed out"


def _metadata():
    return load_metadata()


def bench_pages(db):
    """The benchmark's default pages to time: name -> path."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    pid = conn.execute("SELECT person_id FROM persons ORDER BY rowid LIMIT 1").fetchone()[0]
    article = conn.execute("SELECT article_id FROM person_charges GROUP BY article_id "
                           "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    conn.close()
    base = f"/{DB_NAME}"
    out = {
        "home": "/",
        "persons (default facets)": f"{base}/persons",
        "persons.json (default facets)": f"{base}/persons.json",
        "facet by charge (_facet_array)": f"{base}/persons?_facet_array=charges&_facet=status",
        "filter by a charge": f"{base}/persons?charges__arraycontains={article}",
        "person_charges facet article_id": f"{base}/person_charges?_facet=article_id",
        "search": f"{base}/persons?_search=mammadov",
        "person page": f"{base}/persons/{pid}",
        "saved query": f"{base}/conflicting_claims",
    }
    dashboards = ((_metadata().get("plugins") or {}).get("datasette-dashboards") or {})
    if dashboards:
        out["dashboard"] = f"/-/dashboards/{next(iter(dashboards))}"
    return out


def mixed_paths(db, count=3000):
    """Distinct pages a crowd of readers might open, in a fixed shuffled order.

    Person pages (60%), the persons table filtered by a category, a status or a charge,
    or both (20%), searches (10%) and the same as JSON (10%): more paths than a 10 s run
    can ask for, so that every request is the first for its path and is rendered.
    """
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    base = f"/{DB_NAME}/persons"
    people = [r[0] for r in conn.execute("SELECT person_id FROM persons ORDER BY rowid LIMIT ?",
                                         [count])]
    cats = [r[0] for r in conn.execute("SELECT DISTINCT category FROM persons ORDER BY 1")]
    statuses = [r[0] for r in conn.execute("SELECT DISTINCT status FROM persons ORDER BY 1")]
    articles = [r[0] for r in conn.execute("SELECT DISTINCT article_id FROM person_charges ORDER BY 1")]
    words = [r[0] for r in conn.execute(
        "SELECT DISTINCT lower(substr(name, 1, instr(name || ' ', ' ') - 1)) FROM persons "
        "ORDER BY 1 LIMIT 400")]
    conn.close()
    filtered = ([f"{base}?category={c}" for c in cats] + [f"{base}?status={s}" for s in statuses]
                + [f"{base}?charges__arraycontains={a}" for a in articles]
                + [f"{base}?category={c}&status={s}" for c in cats for s in statuses]
                + [f"{base}?category={c}&charges__arraycontains={a}" for c in cats for a in articles])
    rng = random.Random(1)
    rng.shuffle(filtered)
    searches = [f"{base}?_search={w}" for w in words if w.isalpha()]
    paths = ([f"{base}/{p}" for p in people[:int(count * 0.6)]] + filtered[:int(count * 0.2)]
             + searches[:int(count * 0.1)])
    paths += [p.replace("?", ".json?", 1) if "?" in p else p + ".json"
              for p in paths[:count - len(paths)]]
    rng.shuffle(paths)
    return [p.replace(" ", "%20") for p in paths]


def loadtest_pages(url, db_path):
    """The load test's pages {label: path or [paths]}, and notes on pages that were skipped.

    Every page must answer 200 before the load starts: a run against a broken page
    would only measure how fast the server says no.
    """
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    person = conn.execute("SELECT person_id FROM persons "
                          "ORDER BY person_id = 'anar-mammadli' DESC, rowid LIMIT 1").fetchone()[0]
    surname = person.rsplit("-", 1)[-1]
    conn.close()
    pages = {
        "home": "/",
        "persons table + facets": f"/{DB_NAME}/persons",
        "search": f"/{DB_NAME}/persons?_search={surname}",
        "person page": f"/{DB_NAME}/persons/{person}",
    }
    notes = []
    meta = httpx.get(url + "/-/metadata.json", timeout=30).json()
    slugs = list(((meta.get("plugins") or {}).get("datasette-dashboards") or {}))
    if slugs:
        # A dashboard view is its page plus one JSON query per chart, as the browser fetches them.
        conf = meta["plugins"]["datasette-dashboards"][slugs[0]]
        views = [f"/-/dashboards/{slugs[0]}"]
        for chart in (conf.get("charts") or {}).values():
            if chart.get("query"):
                sql = re.sub(r"\[\[.*?\]\]", "", chart["query"], flags=re.S)
                views.append(f"/{chart.get('db', DB_NAME)}.json?" + urlencode({"sql": sql, "_shape": "array"}))
        pages[f"dashboard (page + {len(views) - 1} chart queries)"] = views
    else:
        notes.append("dashboard skipped: no dashboard is configured")
    for label, paths in pages.items():
        for path in [paths] if isinstance(paths, str) else paths:
            r = httpx.get(url + path, timeout=60)
            if r.status_code != 200:
                raise SystemExit(f"loadtest: {label} ({path}) answers HTTP {r.status_code} before the load")
    return pages, notes


def missing_facets(path, body):
    """Facets a table JSON page was asked for (metadata and _facet* arguments) but omits.

    Datasette 0.65 leaves a facet that timed out out of the JSON without saying so.
    """
    parts = urlsplit(path)
    table = parts.path.rsplit("/", 1)[-1].removesuffix(".json")
    conf = ((_metadata().get("databases") or {}).get(DB_NAME, {}).get("tables") or {}).get(table) or {}
    wanted = {f if isinstance(f, str) else next(iter(f.values())) for f in conf.get("facets") or []}
    wanted |= {v for k, v in parse_qsl(parts.query) if k.startswith("_facet")}
    got = set(json.loads(body).get("facet_results") or {})
    return sorted(wanted - got)


def facets_timed_out(path, status, body):
    """Which facets a page lost: a list for a 200 JSON page (those it omits), the text of
    the notice for a 200 HTML page that has one, and None when the page does not say."""
    if path.split("?")[0].endswith(".json") and status == 200:
        return missing_facets(path, body)
    if status == 200 and FACET_TIMEOUT.encode() in body:
        return re.findall(rb"These facets timed out: ([^<]*)", body)[0].decode().strip()
    return None
