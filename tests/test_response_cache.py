"""The in-memory response cache (plugins/response_cache.py), on real Datasette instances.

What it must never do matters more than what it speeds up: serve a degraded page
(a facet that timed out), an error, a response that sets a cookie, live process
state, or another host's absolute URLs; or grow without bound.
"""
import asyncio
import sqlite3

import pytest

from tests.conftest import make_datasette

pytestmark = pytest.mark.asyncio(loop_scope="session")

from registry.settings import DB_NAME as DB
CACHE = "x-registry-cache"


def the_cache(datasette):
    return datasette._registry_response_cache


@pytest.fixture
def fresh_ds(real_db):
    """An instance of its own, so that its cache starts empty."""
    return make_datasette(real_db)


@pytest.mark.parametrize("path", [
    "/", f"/{DB}/persons", f"/{DB}/persons.json?_facet=category&_facet_array=charges",
    f"/{DB}/persons/abdul-abilov", f"/{DB}/conflicting_claims", "/-/dashboards/registry",
    "/-/search?q=ali", f"/{DB}/persons.csv?_dl=1",
])
async def test_a_repeated_request_is_answered_from_memory_with_the_same_response(fresh_ds, path):
    first = await fresh_ds.client.get(path)
    second = await fresh_ds.client.get(path)
    assert first.status_code == second.status_code == 200
    assert (first.headers[CACHE], second.headers[CACHE]) == ("miss", "hit")
    assert second.content == first.content
    for name in ("content-type", "content-disposition", "content-security-policy",
                 "x-content-type-options"):
        assert second.headers.get(name) == first.headers.get(name), name


async def test_no_cache_request_is_rendered_again(fresh_ds):
    path = f"/{DB}/persons"
    await fresh_ds.client.get(path)
    again = await fresh_ds.client.get(path, headers={"cache-control": "no-cache"})
    assert again.headers[CACHE] == "miss"
    assert (await fresh_ds.client.get(path)).headers[CACHE] == "hit"


@pytest.mark.parametrize("path, status", [
    (f"/{DB}/persons?_facet=no_such_column", 400),
    (f"/{DB}/no_such_table", 404),
    (f"/{DB}/persons/no-such-person", 404),
    (f"/{DB}?sql=select+no_such_function()", 400),
])
async def test_errors_are_never_kept(fresh_ds, path, status):
    for _ in range(2):
        r = await fresh_ds.client.get(path)
        assert r.status_code == status
        assert r.headers[CACHE] == "miss"
    assert not the_cache(fresh_ds).entries


@pytest.mark.parametrize("path", [f"/{DB}/persons.json?_trace=1", "/-/threads.json", "/-/actor.json"])
async def test_debugging_and_live_process_pages_are_never_kept(real_db, path):
    datasette = make_datasette(real_db, trace_debug=True)
    for _ in range(2):
        r = await datasette.client.get(path)
        assert r.status_code == 200
        assert CACHE not in r.headers
    assert not the_cache(datasette).entries


async def test_a_page_whose_facet_timed_out_is_not_kept(tmp_path):
    """Under load a facet can pass its time limit; Datasette then drops it from a 200
    page silently. That page must be rendered again next time, not served to everybody."""
    from datasette.app import Datasette
    from registry import serve
    db = tmp_path / "big.db"
    conn = sqlite3.connect(db)
    conn.execute("create table t (id integer primary key, a text, b text)")
    conn.execute("with recursive n(i) as (select 1 union all select i + 1 from n where i < 300000) "
                 "insert into t select i, i % 97, hex(randomblob(8)) from n")
    conn.commit()
    conn.close()
    datasette = Datasette(immutables=[str(db)], plugins_dir=str(serve.PLUGINS_DIR),
                          settings={"facet_time_limit_ms": 1, "suggest_facets": False})
    path = "/big/t?_facet=b&_facet=a&_size=1"
    for _ in range(2):
        r = await datasette.client.get(path)
        assert r.status_code == 200
        assert "These facets timed out" in r.text, "the test needs a facet that times out"
        assert r.headers[CACHE] == "miss"
    assert not the_cache(datasette).entries
    # The same table without the slow facets is kept: the rule is about the failure.
    await datasette.client.get("/big/t.json?_size=1")
    assert (await datasette.client.get("/big/t.json?_size=1")).headers[CACHE] == "hit"


async def test_absolute_urls_of_one_host_are_not_served_to_another(fresh_ds):
    path = f"/{DB}/persons.json?_size=2"
    a = await fresh_ds.client.get(path, headers={"host": "registry.example"})
    b = await fresh_ds.client.get(path, headers={"host": "mirror.example"})
    assert b.headers[CACHE] == "miss"
    assert "registry.example" in a.json()["next_url"]
    assert "mirror.example" in b.json()["next_url"]


async def test_requests_with_credentials_pass_through(fresh_ds):
    path = f"/{DB}/persons.json?_size=1"
    for headers in ({"authorization": "Bearer x"}, {"cookie": "ds_actor=x"}):
        for _ in range(2):
            r = await fresh_ds.client.get(path, headers=headers)
            assert CACHE not in r.headers
    assert not the_cache(fresh_ds).entries


async def test_writes_are_still_refused(fresh_ds):
    r = await fresh_ds.client.post(f"/{DB}/persons", data={"x": "1"})
    assert r.status_code == 405


async def test_memory_stays_within_its_bound(real_db):
    datasette = make_datasette(real_db)
    cache = the_cache(datasette)
    cache.max_bytes = 200_000
    ids = [r[0] for r in sqlite3.connect(real_db).execute("select person_id from persons limit 40")]
    for person_id in ids:
        r = await datasette.client.get(f"/{DB}/persons/{person_id}")
        assert r.status_code == 200
        assert cache.bytes <= cache.max_bytes
    assert 0 < len(cache.entries) < len(ids), "older entries are evicted"
    newest = (await datasette.client.get(f"/{DB}/persons/{ids[-1]}")).headers[CACHE]
    oldest = (await datasette.client.get(f"/{DB}/persons/{ids[0]}")).headers[CACHE]
    assert (newest, oldest) == ("hit", "miss")


async def test_responses_above_the_entry_limit_are_passed_through_whole(fresh_ds):
    cache = the_cache(fresh_ds)
    cache.entry_max_bytes = 10_000
    path = f"/{DB}/persons.csv?_stream=on&_size=max"
    first = await fresh_ds.client.get(path)
    second = await fresh_ds.client.get(path)
    assert len(first.content) > 10_000
    assert second.content == first.content
    assert second.headers[CACHE] == "miss"


async def test_a_spike_of_identical_requests_renders_the_page_once(fresh_ds):
    """Sixteen readers arriving together for an unrendered page cost one render."""
    path = f"/{DB}/persons?_facet=category&_facet=status&_facet_array=charges"
    cache = the_cache(fresh_ds)
    responses = await asyncio.gather(*[fresh_ds.client.get(path) for _ in range(16)])
    assert {r.status_code for r in responses} == {200}
    assert len({r.content for r in responses}) == 1
    assert [r.headers[CACHE] for r in responses].count("miss") == 1
    assert cache.misses == 1 and cache.hits == 15
