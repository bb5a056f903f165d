"""Through Datasette's own test client: every table, facet and saved query loads."""
import csv
import io

import pytest

from registry import datapackage

pytestmark = pytest.mark.asyncio(loop_scope="session")

from registry.settings import DB_NAME as DB


async def get(ds, path, params=None):
    from urllib.parse import urlencode
    return await ds.client.get(path + ("?" + urlencode(params) if params else ""))


async def test_home_page_shows_the_registry_and_its_coverage(ds):
    r = await get(ds, "/")
    assert r.status_code == 200
    assert "Azerbaijan Political Prisoners Registry" in r.text
    assert "PACE Resolution 1900" in r.text
    assert "{persons}" not in r.text, "coverage placeholders are filled from the database"


@pytest.mark.parametrize("table", [r.name for r in datapackage.resources()])
async def test_every_table_loads_with_its_facets(ds, metadata_yml, table):
    r = await get(ds, f"/{DB}/{table}")
    assert r.status_code == 200, r.text[:500]
    assert "These facets timed out" not in r.text
    data = (await get(ds, f"/{DB}/{table}.json?_extra=facet_results")).json()
    conf = metadata_yml["databases"][DB]["tables"].get(table, {})
    facets = [f if isinstance(f, str) else next(iter(f.values())) for f in conf.get("facets", [])]
    results = data.get("facet_results", {})
    results = results.get("results", results)
    for facet in facets:
        assert facet in results, f"{table}: facet {facet} missing (typo or timeout)"


async def test_acceptance_url_shows_all_three_facets(ds):
    r = await get(ds, f"/{DB}/persons.json?_facet=category&_facet=status&_facet_array=charges")
    assert r.status_code == 200
    results = r.json()["facet_results"]
    results = results.get("results", results)
    assert {"category", "status", "charges"} <= set(results)
    charges = {v["value"] for v in results["charges"]["results"]}
    assert "206.3.2" in charges
    assert not r.json().get("facets_timed_out")


# A parameter that narrows a saved query to one thing, and a value the registry holds.
ONE_THING = {"person_id": "anar-mammadli", "article": "206.3.2", "case": "abzas-media",
             "category": "journalist-blogger", "list_id": "working-group-2014-08-10"}


async def test_every_saved_query_answers_with_rows(ds, metadata_yml):
    """Each saved query returns rows on the real data, narrowed to one thing the registry
    holds where it takes a parameter, and every row has every column."""
    queries = metadata_yml["databases"][DB].get("queries", {})
    assert queries
    for name, query in queries.items():
        params = {p: ONE_THING[p] for p in query.get("params", []) if p in ONE_THING}
        r = await get(ds, f"/{DB}/{name}.json", params=params)
        assert r.status_code == 200, f"{name}: {r.text[:300]}"
        body = r.json()
        assert body["rows"], f"{name} with {params} returned no rows"
        assert body["columns"] and len(body["rows"][0]) == len(body["columns"]), name


async def test_a_person_s_timeline_is_that_person_s(ds):
    r = await get(ds, f"/{DB}/person_timeline.json", params={"person_id": "anar-mammadli",
                                                             "_shape": "objects"})
    rows = r.json()["rows"]
    assert {"2013-12-16", "2024-04-29"} <= {row["date"] for row in rows}


async def test_table_descriptions_come_from_the_schema(ds):
    r = await get(ds, f"/{DB}/persons")
    persons = next(res for res in datapackage.resources() if res.name == "persons")
    assert persons.description.split(".")[0] in r.text


async def test_json_and_csv_exports(ds):
    r = await get(ds, f"/{DB}/persons.json?_shape=array&person_id=anar-mammadli")
    assert r.status_code == 200
    assert r.json()[0]["name"] == "Anar Mammadli"
    r = await get(ds, f"/{DB}/charges.csv?_dl=1&_size=max")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers.get("content-disposition", "")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and all(not row["article_id"].endswith(".0") for row in rows)


# Each row: spellings of one name in Azerbaijani Latin, English and Russian-style
# transliteration and Cyrillic, and a person the registry holds under one of them.
SPELLINGS = [
    ("sevinj-vagifgizi", ["Sevinc Vaqifqızı", "Sevinj Vagifgizi", "Vagifgyzy", "Севиндж Вагифгызы"]),
    ("anar-mammadli", ["Anar Məmmədli", "Mammadli", "Mamedli", "Мамедли", "MAMMADLI"]),
    ("rasul-jafarov", ["Rasul Cəfərov", "Jafarov", "Dzhafarov", "Расул Джафаров"]),
    ("mehman-huseynov", ["Mehman Hüseynov", "Huseynov", "Guseynov", "Мехман Гусейнов"]),
]


@pytest.mark.parametrize("person_id,query", [(p, q) for p, qs in SPELLINGS for q in qs])
async def test_table_search_finds_every_spelling(ds, person_id, query):
    """persons?_search= and the JSON API fold the query as the index folds the names."""
    r = await get(ds, f"/{DB}/persons.json?_search={query}&_shape=array&_size=max")
    assert r.status_code == 200
    assert person_id in {row["person_id"] for row in r.json()}, query


@pytest.mark.parametrize("person_id,query", [(p, q) for p, qs in SPELLINGS for q in qs])
async def test_site_search_finds_every_spelling(ds, person_id, query):
    """The search page (/-/search, the box on every page) links the same person."""
    r = await get(ds, f"/-/search?text={query}")
    assert r.status_code == 200
    assert f"/{DB}/persons/{person_id}" in r.text, query



async def test_cached_metadata_answers_equal_uncached_ones(ds):
    """plugins/static_metadata_cache.py must only save time, never change an answer."""
    from datasette.plugins import pm
    cache = pm.get_plugin("static_metadata_cache.py")
    assert cache is not None, "the cache plugin is not loaded"
    await get(ds, "/")  # fill the cache through real requests first
    await get(ds, f"/{DB}/persons")
    for table in [r.name for r in datapackage.resources()] + ["persons_fts", "held_now"]:
        assert ds._table_permission_allows(DB, table) == \
            cache.UNCACHED["_table_permission_allows"](ds, DB, table)
    for plugin in ("datasette-dashboards", "datasette-render-markdown", "datasette-vega"):
        for args in ((plugin,), (plugin, DB, "persons")):
            assert ds.plugin_config(*args) == cache.UNCACHED["plugin_config"](ds, *args)


async def test_url_facets_that_metadata_configures_appear_once(ds):
    r = await get(ds, f"/{DB}/persons.json?_facet=category&_facet=status&_facet_array=charges"
                      "&_facet=gender")
    results = r.json()["facet_results"]
    results = results.get("results", results)
    assert set(results) == {"category", "status", "charges", "cases", "gender"}
    html = (await get(ds, f"/{DB}/persons?_facet=category&_facet=status&_facet_array=charges")).text
    assert "category_2" not in html and "status_2" not in html and "charges_2" not in html
    assert 'data-column="charges"' in html


async def test_charge_filters_match_the_json_column_for_every_article(ds, real_db):
    """charges__arraycontains / __arraynotcontains are answered from person_charges
    (plugins/array_facet_from_rows.py); they must match the same people as Datasette's
    own json_each filters over persons.charges."""
    import sqlite3
    conn = sqlite3.connect(real_db)
    articles = [r[0] for r in conn.execute(
        "select distinct j.value from persons, json_each(persons.charges) j order by 1")]
    assert len(articles) > 20
    everybody = {r[0] for r in conn.execute("select person_id from persons")}
    for article in articles:
        stock = {r[0] for r in conn.execute(
            "select person_id from persons where ? in (select value from json_each(persons.charges))",
            [article])}
        for lookup, expected in (("arraycontains", stock), ("arraynotcontains", everybody - stock)):
            r = await get(ds, f"/{DB}/persons.json?charges__{lookup}={article}&_shape=objects"
                              "&_size=max&_col=person_id&_extra=query")
            assert r.status_code == 200, r.text[:300]
            data = r.json()
            assert "person_charges" in data["query"]["sql"]
            assert {row["person_id"] for row in data["rows"]} == expected, (lookup, article)


async def test_markdown_cells_are_off_because_no_column_is_markdown(ds, real_db, metadata_yml):
    """plugins/skip_markdown_cells.py is exact only while no column would be rendered as
    markdown: none configured for datasette-render-markdown, none named *_markdown."""
    import sqlite3
    from datasette.plugins import pm
    assert "datasette-render-markdown" not in (metadata_yml.get("plugins") or {})
    conn = sqlite3.connect(real_db)
    tables = [r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")]
    named = [f"{t}.{c[1]}" for t in tables for c in conn.execute(f'pragma table_info("{t}")')
             if c[1].endswith("_markdown")]
    assert not named
    assert "render_markdown" not in [i.plugin_name for i in pm.hook.render_cell.get_hookimpls()]
    assert "render_markdown" in [i.plugin_name for i in pm.hook.extra_template_vars.get_hookimpls()]
    r = await get(ds, "/-/dashboards/registry")
    assert r.status_code == 200 and "The registry at a glance" in r.text
