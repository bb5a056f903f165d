"""The public instance is read-only, and a runaway query cannot take it down.

- Every write attempt fails: through the SQL page (insert, update, delete, drop,
  create, attach, pragma writes, vacuum into, a write hidden behind WITH), through
  saved queries, and through the JSON write API (/-/create, /-/insert, /-/upsert,
  /-/update, /-/delete, /-/drop do not exist on 0.65, and POSTs are refused). The
  database file is byte for byte the same afterwards.
- The database is opened immutable: even code running inside Datasette (a plugin)
  gets an error when it tries to write, and no installed plugin's code calls a
  write API.
- A recursive CTE and a huge cross join are stopped by the SQL time limit with an
  error, while another client's request still succeeds. (How long it waits is
  measured by tools/perf/loadtest.py, not asserted here.)
"""
import asyncio
import hashlib
import inspect
import os
import re
import sys
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from registry import serve

from .conftest import ROOT, build_minimal, make_datasette

from registry.settings import DB_NAME as DB


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    return build_minimal(tmp_path_factory.mktemp("readonly"), f"{DB}.db")


@pytest.fixture(scope="module")
def ds(db_path):
    return make_datasette(db_path)


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


WRITES = [
    "insert into persons (person_id, name) values ('x', 'x')",
    "replace into sources (source_id) values ('x')",
    "update persons set name = 'x'",
    "delete from persons",
    "drop table persons",
    "drop view disagreements",
    "create table x (a)",
    "create temp table x (a)",
    "create index x on persons (name)",
    "alter table persons add column x",
    "attach database '/tmp/registry-attack.db' as x",
    "attach database ':memory:' as x",
    "detach database main",
    "pragma writable_schema = 1",
    "pragma journal_mode = delete",
    "pragma user_version = 5",
    "pragma foreign_keys = off",
    "pragma query_only = 0",
    "vacuum",
    "vacuum into '/tmp/registry-attack.db'",
    "reindex",
    "analyze",
    "begin immediate",
    "savepoint x",
    "with x as (select 1) insert into persons (person_id, name) select 'x', 'x' from x",
    "with x as (select 1) update persons set name = 'x'",
    "with x as (select 1) delete from persons",
    "select 1; delete from persons",
    "select load_extension('/tmp/x')",
    "select writefile('/tmp/registry-attack.txt', 'x')",
    "select * from pragma_writable_schema",
    "explain delete from persons",
]


@pytest.mark.parametrize("sql", WRITES)
async def test_every_write_through_the_sql_page_fails(ds, db_path, sql):
    before = sha(db_path)
    count = (await ds.client.get(f"/{DB}/persons.json?_shape=array")).json()
    for path in (f"/{DB}.json?sql={quote(sql)}", f"/{DB}?sql={quote(sql)}"):
        r = await ds.client.get(path)
        assert r.status_code in (400, 403), (sql, r.status_code, r.text[:300])
    r = await ds.client.post(f"/{DB}?sql={quote(sql)}", data={"sql": sql})
    assert r.status_code >= 400, (sql, r.status_code)
    assert sha(db_path) == before
    assert (await ds.client.get(f"/{DB}/persons.json?_shape=array")).json() == count
    assert not Path("/tmp/registry-attack.db").exists()
    assert not Path("/tmp/registry-attack.txt").exists()


WRITE_API = [
    "/-/create", f"/{DB}/-/create", f"/{DB}/persons/-/insert", f"/{DB}/persons/-/upsert",
    f"/{DB}/persons/-/drop", f"/{DB}/persons/aynur-testova/-/update",
    f"/{DB}/persons/aynur-testova/-/delete", f"/{DB}/-/query", f"/{DB}/persons", f"/{DB}",
    f"/{DB}/persons/aynur-testova", "/-/messages", "/-/allow-debug", "/-/permissions",
    f"/{DB}/conflicting_claims", "/_internal", "/-/auth-token",
]
BODY = {"table": "x", "row": {"person_id": "x", "name": "x"}, "rows": [{"person_id": "x"}],
        "update": {"name": "x"}, "columns": [{"name": "a"}], "sql": "delete from persons"}


@pytest.mark.parametrize("path", WRITE_API)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_the_json_write_api_is_absent_or_refused(ds, db_path, path, method):
    before = sha(db_path)
    r = await ds.client.request(method, path, json=BODY,
                                headers={"Authorization": "Bearer dstok_x"})
    assert r.status_code in (400, 401, 403, 404, 405), (method, path, r.status_code, r.text[:300])
    assert sha(db_path) == before


async def test_the_database_is_immutable_and_no_saved_query_writes(ds, db_path):
    dbs = (await ds.client.get("/-/databases.json")).json()
    mine = next(d for d in dbs if d["name"] == DB)
    assert mine["is_mutable"] is False
    assert (await ds.client.get("/_internal")).status_code in (403, 404)
    assert (await ds.client.get("/_memory")).status_code in (403, 404)
    for name, query in (ds.metadata("queries", database=DB) or {}).items():
        assert not query.get("write"), f"saved query {name} writes"


async def test_even_code_inside_datasette_cannot_write(ds, db_path):
    """What a plugin would try: Datasette's own write API on the database fails."""
    db = ds.get_database(DB)
    before = sha(db_path)
    assert db.is_mutable is False
    with pytest.raises(Exception):
        await db.execute_write("create table plugin_wrote (a)")
    with pytest.raises(Exception):
        await db.execute_write_fn(lambda conn: conn.execute("delete from persons"))
    assert sha(db_path) == before


# Calls that open a write path from a plugin's code.
WRITE_CALLS = re.compile(r"execute_write|add_database|add_memory_database|sqlite3\.connect|"
                         r"sqlite_utils\.Database|\.executescript\(|os\.remove|\.unlink\(|"
                         r"open\([^)]*['\"][wa]b?['\"]")


def plugin_files():
    """(plugin name, its top-level module name, its .py files) for every loaded plugin."""
    from datasette.plugins import pm
    for plugin in pm.get_plugins():
        module = plugin if inspect.ismodule(plugin) else sys.modules[type(plugin).__module__]
        top = sys.modules.get(module.__name__.split(".")[0], module)
        root = Path(top.__file__)
        files = sorted(root.parent.rglob("*.py")) if root.name == "__init__.py" else [root]
        yield pm.get_name(plugin), top.__name__, files


async def test_no_installed_plugin_opens_a_write_path(ds):
    """Every plugin /-/plugins.json lists is read, and none calls a write API."""
    installed = {p["name"] for p in (await ds.client.get("/-/plugins.json")).json()}
    assert installed, "no plugins listed"
    read = set()
    for name, top, files in plugin_files():
        if top == "datasette":
            continue  # Datasette's own hooks: its writes need a mutable database.
        read |= {top, top.replace("_", "-"), f"{top}.py"}
        for path in files:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if WRITE_CALLS.search(line):
                    pytest.fail(f"plugin {name}: {path}:{number} may write: {line.strip()}")
    assert installed <= read, f"plugins not inspected: {installed - read}"


async def test_every_plugin_route_leaves_the_database_alone(ds, db_path):
    from datasette.plugins import pm
    before = sha(db_path)
    for impl in pm.hook.register_routes.get_hookimpls():
        routes = impl.function(**{a: ds for a in impl.argnames}) or []
        for regex, _view in routes:
            path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", regex.strip("^$")).replace("\\", "")
            for method in ("POST", "PUT", "DELETE"):
                r = await ds.client.request(method, path, json=BODY)
                assert r.status_code < 500 or r.status_code == 500, path
    assert sha(db_path) == before


# ------------------------------------------------------------ runaway queries

RUNAWAY = {
    "recursive-cte": "with recursive c(x) as (select 1 union all select x + 1 from c) "
                     "select count(*) from c",
    "cross-join": "select count(*) from sources a, sources b, sources c, sources d, sources e, "
                  "sources f, sources g, sources h, sources i, sources j, sources k, sources l, "
                  "sources m, sources n, sources o, sources p, sources q, sources r, sources s, "
                  "sources t, sources u, sources v, sources w, sources x, sources y, sources z, "
                  "persons aa, persons ab, persons ac, persons ad, persons ae, persons af, "
                  "persons ag, persons ah, persons ai, persons aj, persons ak, persons al",
}


@pytest.fixture(scope="module")
def server(db_path):
    url, proc = serve.start_in_background(db_path, db_path.with_name("serve.log"))
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.mark.parametrize("name", list(RUNAWAY))
async def test_a_runaway_query_is_stopped_and_others_are_still_served(server, name):
    async with httpx.AsyncClient(base_url=server, timeout=60) as client:
        runaway = asyncio.create_task(client.get(f"/{DB}.json", params={"sql": RUNAWAY[name]}))
        await asyncio.sleep(0.2)
        # While the runaway query holds one SQL thread, other readers are served.
        others = await asyncio.gather(*[client.get(f"/{DB}/persons.json?_facet=status")
                                        for _ in range(4)])
        assert [r.status_code for r in others] == [200] * 4
        r = await runaway
    assert r.status_code == 400, r.text[:300]
    body = r.json()
    assert body["ok"] is False
    assert "took too long" in (body.get("error") or "")


# ------------------------------------------------------------ headers a public site sends

async def test_every_response_carries_the_security_headers(ds):
    from plugins.security_headers import CONTENT_SECURITY_POLICY
    for path in ("/", f"/{DB}", f"/{DB}/persons", f"/{DB}/persons.json", f"/{DB}/persons.csv",
                 f"/{DB}/persons/aynur-testova", "/-/dashboards", "/no-such-page", "/robots.txt",
                 f"/{DB}.json?sql=select+1"):
        r = await ds.client.get(path)
        h = r.headers
        assert h["x-content-type-options"] == "nosniff", path
        assert h["referrer-policy"] == "strict-origin-when-cross-origin", path
        assert h["x-frame-options"] == "DENY", path
        assert h["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert h.get_list("content-security-policy") == [CONTENT_SECURITY_POLICY], "sent once"


def test_the_policy_keeps_everything_on_the_instance():
    from plugins.security_headers import CONTENT_SECURITY_POLICY
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    for name, value in directives.items():
        for source in value.split():
            assert source in ("'self'", "'none'", "'unsafe-inline'", "'unsafe-eval'", "data:",
                              "blob:"), f"{name} allows {source}: the instance must load nothing from outside"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"])
async def test_only_get_and_head_are_served(ds, method):
    r = await ds.client.request(method, f"/{DB}/persons")
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, HEAD"
    assert r.headers["x-frame-options"] == "DENY"


async def test_an_error_page_is_a_plain_404_not_a_500(ds):
    """Datasette 0.65 with rich installed turns some 404s into 500s; the plugin stops that."""
    r = await ds.client.get(f"/{DB}/persons/-/insert")
    assert r.status_code == 404
    r = await ds.client.get(f"/{DB}/no_such_table")
    assert r.status_code == 404


# ------------------------------------------------------------ safe CSV downloads of the real data

FORMULA = re.compile(r"^[=+\-@]")
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


@pytest.fixture(scope="module")
def real_ds(real_db):
    return make_datasette(real_db)


async def test_csv_downloads_of_the_real_data_hold_no_formula(real_ds, real_db):
    """Formula-like text is rejected at validation; the downloads prove none got through."""
    import csv
    import io
    import sqlite3
    conn = sqlite3.connect(f"file:{real_db}?mode=ro", uri=True)
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE '%_fts%' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    conn.close()
    checked = 0
    for name in names:
        r = await real_ds.client.get(f"/{DB}/{name}.csv?_dl=1&_stream=on&_size=max")
        assert r.status_code == 200, (name, r.status_code)
        for line, row in enumerate(csv.reader(io.StringIO(r.text)), start=1):
            for cell in row:
                checked += 1
                assert not (FORMULA.match(cell) and not NUMBER.match(cell)), \
                    f"{name}.csv line {line}: {cell[:60]!r} would run as a formula in a spreadsheet"
    assert checked > 1000


@pytest.mark.parametrize("mode", [[], ["--render"]], ids=["cached", "rendered"])
async def test_loadtest_runs_in_a_tiny_mode(db_path, tmp_path, mode):
    """Only that tools.perf.loadtest works end to end: 2 connections, 1 s a page. No timing."""
    import json
    out = tmp_path / "loadtest.json"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tools.perf.loadtest", "--db", str(db_path), "--connections", "2",
        "--duration", "1", "--flood", "4", "--out", str(out), *mode, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    stdout, _ = await asyncio.wait_for(proc.communicate(), timeout=240)
    assert proc.returncode == 0, stdout.decode()
    result = json.loads(out.read_text())
    for phase in ("alone", "with_pathological"):
        assert {"home", "persons table + facets", "search", "person page"} <= set(result[phase])
        assert any(k.startswith("dashboard") for k in result[phase])
        for r in result[phase].values():
            assert r["errors"] == 0 and r["facet_timeouts"] == 0 and r["ok"] > 0
            assert {"p50_ms", "p95_ms", "p99_ms", "rps"} <= set(r)
    assert all(r["pathological"]["stopped"] >= 1 for r in result["with_pathological"].values())
    # The flood phase: each flood page measured alone and flooded, from distinct addresses.
    assert set(result["with_sql_flood"]) == set(result["rendered_baseline"]) == {
        "person page", "persons table + facets"}
    for r in result["with_sql_flood"].values():
        assert r["errors"] == 0 and r["ok"] > 0 and r["sql_flood"]["sent"] > 0
    assert "While slow SQL floods the server" in stdout.decode()
    assert "| page |" in stdout.decode()
    assert result["render"] == bool(mode)
    # The server's own X-Registry-Cache header: rendered mode must never be answered
    # from memory; the default mode answers repeat views from it.
    hits = sum(r["responses_from_cache"] for r in result["alone"].values())
    assert hits == 0 if mode else hits > 0


# ------------------------------------------------------------ single-step functions and leaks

@pytest.mark.parametrize("expr", ["length(printf('%.*c', 900000000, 'x'))",
                                  "length(randomblob(900000000))", "length(zeroblob(900000000))",
                                  "length(replace(hex(zeroblob(20000000)), '0', 'xx'))"])
async def test_a_value_too_big_fails_instead_of_filling_memory(ds, expr):
    r = await ds.client.get(f"/{DB}.json?sql=" + quote(f"select {expr} as n"))
    if r.status_code == 200:
        # printf gives up with NULL past the limit; nothing is built either way.
        assert r.json()["rows"] == [[None]], r.text[:300]
    else:
        assert r.status_code == 400 and "too big" in r.text, r.text[:300]


async def test_fts3_tokenizer_is_refused(ds):
    for sql in ("select hex(fts3_tokenizer('simple'))", "select fts3_tokenizer('porter')",
                "select * from (select FTS3_TOKENIZER('unicode61'))"):
        r = await ds.client.get(f"/{DB}.json?sql=" + quote(sql))
        assert r.status_code == 400 and "not authorized" in r.text, (sql, r.text[:300])


@pytest.mark.parametrize("path", ["/persons?_sort=no_such_column", "/persons.json?_sort_desc=nope",
                                  "/events.csv?_sort=%22%3B--"])
async def test_an_unknown_sort_column_is_a_client_error(ds, path):
    r = await ds.client.get(f"/{DB}{path}")
    assert r.status_code == 400, r.text[:300]


# ------------------------------------------------------------ the file under a running server

@pytest.mark.parametrize("change", ["overwritten", "replaced"])
async def test_a_database_changed_under_the_server_is_refused_not_served(tmp_path, change):
    db = build_minimal(tmp_path / "site", f"{DB}.db")
    ds = make_datasette(db)
    assert (await ds.client.get(f"/{DB}/persons.json")).status_code == 200
    good = (await ds.client.get(f"/{DB}.db")).content
    assert good[:16] == b"SQLite format 3\x00"
    if change == "overwritten":
        with open(db, "r+b") as f:
            f.seek(100)
            f.write(b"\xff" * 4096)
    else:
        other = build_minimal(tmp_path / "other", f"{DB}.db")
        os.replace(other, db)
    for path in (f"/{DB}.db", f"/{DB}/persons.json?_size=2", f"/{DB}/persons/aynur-testova"):
        r = await ds.client.get(path)
        assert r.status_code == 503, (path, r.status_code)
        assert "Restart the server" in r.text and r.headers["cache-control"] == "no-store"


# ------------------------------------------------------------ slow SQL cannot starve the pages

def slow(i):
    """A query only the time limit stops; each one different, so no cache can merge them."""
    return f"with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) + {i} from c"


def fair_share_ds(db_path, wait_seconds=0, share=2):
    from registry import metadata as registry_metadata
    from datasette.app import Datasette
    meta = registry_metadata.render(db_path)
    meta.setdefault("plugins", {})["sql-fair-share"] = {"wait_seconds": wait_seconds, "share": share}
    return Datasette(files=[], immutables=[str(db_path)], metadata=meta,
                     settings={"num_sql_threads": 4, "sql_time_limit_ms": 1500},
                     plugins_dir=str(serve.PLUGINS_DIR), template_dir=str(serve.TEMPLATES_DIR))


def client_at(ds, address):
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=ds.app(), client=(address, 40000)),
                             base_url="http://localhost", timeout=60)


async def test_one_client_runs_one_arbitrary_query_at_a_time(db_path):
    ds = fair_share_ds(db_path)
    async with client_at(ds, "127.0.0.9") as c:
        rs = await asyncio.gather(*[c.get(f"/{DB}.json", params={"sql": slow(i)}) for i in range(3)])
    codes = sorted(r.status_code for r in rs)
    assert codes.count(429) == 2 and codes[0] == 400, codes  # the one that ran hit the time limit
    assert all("retry-after" in r.headers for r in rs if r.status_code == 429)


async def test_slow_sql_from_many_clients_gets_half_the_threads_and_pages_still_answer(db_path):
    ds = fair_share_ds(db_path)
    clients = [client_at(ds, f"127.0.1.{i}") for i in range(6)]
    reader = client_at(ds, "127.0.2.1")
    try:
        flood = [c.get(f"/{DB}.json", params={"sql": slow(i)}) for i, c in enumerate(clients)]

        async def pages_while_flooded():
            await asyncio.sleep(0.2)
            return [await reader.get(p, headers={"Cache-Control": "no-cache"})
                    for p in (f"/{DB}/persons/aynur-testova", f"/{DB}/persons.json?_size=1")]
        *flooded, pages = await asyncio.gather(*flood, pages_while_flooded())
    finally:
        for c in clients + [reader]:
            await c.aclose()
    codes = sorted(r.status_code for r in flooded)
    assert codes.count(503) == 4 and codes.count(400) == 2, codes  # a share of 2
    assert all("took too long" in r.text for r in flooded if r.status_code == 400)
    assert [p.status_code for p in pages] == [200, 200]
    assert all("busy" in r.text for r in flooded if r.status_code == 503)


async def test_saved_queries_tables_and_dashboard_charts_are_not_limited(db_path, metadata_yml):
    from datasette_dashboards import replace_opts_in_query
    ds = fair_share_ds(db_path)
    charts = metadata_yml["plugins"]["datasette-dashboards"]["registry"]["charts"].values()
    # As the dashboard page fetches them: every chart at once, from one browser.
    chart_sql = [replace_opts_in_query(c["query"], {}) for c in charts if c.get("query")]
    async with client_at(ds, "127.0.0.10") as c:
        rs = await asyncio.gather(*[c.get(f"/{DB}/persons.json?_size=1") for _ in range(5)],
                                  *[c.get(f"/{DB}/conflicting_claims.json") for _ in range(5)],
                                  *[c.get(f"/{DB}.json", params={"sql": q, "_shape": "objects"})
                                    for q in chart_sql])
    assert len(chart_sql) >= 8
    assert [r.status_code for r in rs] == [200] * len(rs)
    # A chart's text with anything added is somebody's own SQL again.
    import importlib.util
    spec = importlib.util.spec_from_file_location("fair", serve.PLUGINS_DIR / "sql_fair_share.py")
    fair = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fair)
    ours = fair.dashboard_queries(ds)
    scope = lambda sql: {"type": "http", "path": f"/{DB}.json",  # noqa: E731
                         "query_string": ("sql=" + quote(sql)).encode()}
    assert not any(fair.is_arbitrary_sql(scope(q), {f"/{DB}"}, ours) for q in chart_sql)
    assert all(fair.is_arbitrary_sql(scope(q + " -- mine"), {f"/{DB}"}, ours) for q in chart_sql)
