"""Answers without SQL: saved queries titled in words, data any site can fetch, the whole
person in one JSON document, and error pages that offer a way on."""
import re

import pytest

pytestmark = pytest.mark.asyncio(loop_scope="session")

from registry.settings import DB_NAME as DB


async def test_no_saved_query_is_titled_with_its_sql(ds, metadata_yml):
    queries = metadata_yml["databases"][DB]["queries"]
    for name, conf in queries.items():
        params = "&".join(f"{p}=" for p in conf.get("params", []))
        r = await ds.client.get(f"/{DB}/{name}" + (f"?{params}" if params else ""))
        assert r.status_code == 200, name
        title = re.search(r"<title>(.*?)</title>", r.text, re.S).group(1)
        assert conf["title"].replace("'", "&#39;") in title, (name, title)
        assert "select" not in title.lower(), (name, title)


@pytest.mark.parametrize("path", [f"/{DB}/persons.json?_size=1", f"/{DB}/persons.csv?_size=1",
                                  f"/{DB}/people_held_now.json", f"/{DB}/new_events.atom",
                                  f"/{DB}/persons/anar-mammadli/all.json"])
async def test_data_answers_may_be_fetched_from_any_site(ds, path):
    r = await ds.client.get(path)
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", ["/", f"/{DB}/persons", f"/{DB}/persons/anar-mammadli"])
async def test_html_pages_stay_same_origin(ds, path):
    r = await ds.client.get(path)
    assert "access-control-allow-origin" not in r.headers


async def test_the_whole_person_is_one_json_document(ds):
    r = await ds.client.get(f"/{DB}/persons/anar-mammadli/all.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["person"]["person_id"] == "anar-mammadli"
    detentions = {d["detention_id"]: d for d in doc["detentions"]}
    assert {"anar-mammadli-2013", "anar-mammadli-2024"} <= set(detentions)
    assert "206.3.2" in {c["article_id"] for c in detentions["anar-mammadli-2024"]["charges"]}
    assert all(c["source_url"].startswith("http") for d in doc["detentions"] for c in d["charges"])
    assert all(e["source_url"].startswith("http") for e in doc["timeline"])
    assert doc["standing"]["held_basis"] in ("confirmed", "sentence_running", "last_reported_held",
                                             "not_held")
    page = (await ds.client.get(f"/{DB}/persons/anar-mammadli")).text
    assert f'/{DB}/persons/anar-mammadli/all.json' in page
    missing = await ds.client.get(f"/{DB}/persons/nobody-here/all.json")
    assert missing.status_code == 404 and missing.json()["ok"] is False


@pytest.mark.parametrize("path,status", [("/no/such/page", 404), (f"/{DB}/persons/nobody-here", 404),
                                         (f"/{DB}/persons?_sort=nope", 400)])
async def test_error_pages_offer_search_and_the_way_home(ds, path, status):
    r = await ds.client.get(path)
    assert r.status_code == status
    assert 'action="/-/search"' in r.text and 'name="text"' in r.text
    assert 'class="error-home"' in r.text and 'href="/"' in r.text


async def test_the_api_page_explains_and_every_example_answers(ds):
    home = (await ds.client.get("/")).text
    assert 'href="/-/api"' in home
    r = await ds.client.get("/-/api")
    assert r.status_code == 200
    for needle in ("Access-Control-Allow-Origin", "_shape=array", "CC BY 4.0", "all.json", "429"):
        assert needle in r.text, needle
    examples = _api_examples()
    assert len(examples) >= 8
    for ex in examples:
        assert f"curl 'http://localhost{ex['path'].replace('&', '&amp;')}'" in r.text, ex["path"]
        answer = await ds.client.get(ex["path"])
        assert answer.status_code == 200, ex["path"]


def _api_examples():
    import importlib.util
    from registry import serve
    spec = importlib.util.spec_from_file_location("api_pages_plugin",
                                                  serve.PLUGINS_DIR / "api_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.API_EXAMPLES


async def test_a_list_edition_page_says_how_complete_its_names_are(ds, real_db):
    import sqlite3
    conn = sqlite3.connect(real_db)
    for list_id, total in conn.execute("SELECT list_id, total FROM lists WHERE list_id IN "
                                       "('working-group-2014-08-10', 'ufppa-2025-10-07')"):
        named = conn.execute("SELECT count(DISTINCT person_id) FROM list_entries WHERE list_id = ?",
                             [list_id]).fetchone()[0]
        r = await ds.client.get(f"/{DB}/lists/{list_id}")
        assert r.status_code == 200
        assert f'<strong class="named">{named}</strong> of {total}' in r.text, list_id
        for pid, in conn.execute("SELECT person_id FROM list_entries WHERE list_id = ?", [list_id]):
            assert f"/{DB}/persons/{pid}" in r.text
    assert "It holds the edition in full" in (await ds.client.get(f"/{DB}/lists/working-group-2014-08-10")).text
    unnamed = conn.execute("SELECT list_id FROM lists WHERE list_id NOT IN "
                           "(SELECT list_id FROM list_entries) LIMIT 1").fetchone()[0]
    r = await ds.client.get(f"/{DB}/lists/{unnamed}")
    assert "nobody can be called added to it or dropped from it" in r.text


async def test_a_case_page_lists_its_people_and_who_is_held_now(ds, real_db):
    import sqlite3
    conn = sqlite3.connect(real_db)
    people = [r[0] for r in conn.execute("SELECT person_id FROM detentions WHERE case_id = 'toplum-tv'")]
    held = conn.execute("""SELECT count(*) FROM detentions d JOIN person_status ps
                           ON ps.person_id = d.person_id WHERE d.case_id = 'toplum-tv' AND ps.held_now"""
                        ).fetchone()[0]
    r = await ds.client.get(f"/{DB}/cases/toplum-tv")
    assert r.status_code == 200
    assert all(f"/{DB}/persons/{p}" in r.text for p in people) and len(people) >= 5
    assert f'<strong class="held-now">{held}</strong> held now' in r.text
    person = (await ds.client.get(f"/{DB}/persons/{people[0]}")).text
    assert f"/{DB}/cases/toplum-tv" in person


async def test_persons_are_faceted_by_case_by_default(ds):
    r = await ds.client.get(f"/{DB}/persons.json?_size=0")
    cases = {x["value"]: x["count"] for x in r.json()["facet_results"]["cases"]["results"]}
    assert cases.get("toplum-tv", 0) >= 5 and cases.get("abzas-media", 0) >= 5


async def test_list_comparison_offers_editions_by_title_and_date(ds, real_db):
    import sqlite3
    conn = sqlite3.connect(real_db)
    editions = [r[0] for r in conn.execute("SELECT list_id FROM lists WHERE same_list_as IS NULL")]
    r = await ds.client.get(f"/{DB}/list_changes?from_list=working-group-2014-08-10&to_list=ufppa-2025-10-07")
    assert r.status_code == 200
    for field in ("from_list", "to_list"):
        assert f'<select id="{field}-pick" name="{field}">' in r.text
    options = re.findall(r'<option value="([a-z0-9-]+)"', r.text)
    assert sorted(set(options)) == sorted(editions) and len(options) == 2 * len(editions)
    assert 'value="working-group-2014-08-10" selected' in r.text
    assert '2014-08-10 · THE LIST: Political Prisoners in Azerbaijan · 98 counted, 98 named here' in r.text
    # The 2014 list against October 2025 calls nobody dropped.
    got = (await ds.client.get(f"/{DB}/list_changes.json?_shape=array&from_list=working-group-2014-08-10"
                               "&to_list=ufppa-2025-10-07")).json()
    assert "dropped" not in {row["change"] for row in got}


async def test_charts_are_drawn_on_white_with_their_title(ds):
    charts = ds.metadata("plugins")["datasette-dashboards"]["registry"]["charts"]
    for name, chart in charts.items():
        if chart.get("library") == "vega-lite":
            assert chart["display"]["background"] == "white", name
            assert chart["display"]["title"]["text"] == chart["title"], name


async def test_about_is_a_page_in_words(ds, real_db):
    import sqlite3
    from registry import datapackage
    conn = sqlite3.connect(real_db)
    home = (await ds.client.get("/")).text
    assert 'href="/-/about"' in home and "/registry_build" not in home
    r = await ds.client.get("/-/about")
    assert r.status_code == 200
    assert f'release-version">{datapackage.version()}<' in r.text
    assert f'release-date">{datapackage.release_date()}<' in r.text
    held = conn.execute("SELECT held_now FROM held_now_summary").fetchone()[0]
    assert f"{held} people are held now" in r.text
    assert "CITATION.cff" in r.text and "creativecommons.org/licenses/by/4.0" in r.text
    assert f"Corrections in {datapackage.version()}" in r.text  # the changelog, rendered


async def test_pages_show_codes_as_words_and_the_api_keeps_the_codes(ds):
    r = await ds.client.get(f"/{DB}/people_held_now")
    cells = dict(re.findall(r'<td class="col-(held_basis|category)[^"]*">([^<]*)</td>', r.text))
    assert cells["held_basis"].startswith("held now (")
    assert "-" not in cells["category"] and cells["category"][0].isupper()
    assert not re.search(r'<td class="col-charges[^"]*">\[', r.text), "charges read as a list"
    api = (await ds.client.get(f"/{DB}/people_held_now.json?_shape=array")).json()
    assert {row["held_basis"] for row in api} <= {"confirmed", "sentence_running"}
    assert all(re.fullmatch(r"[a-z0-9-]+", row["category"]) for row in api)
    table = (await ds.client.get(f"/{DB}/persons?_size=5")).text
    assert f'href="/{DB}/categories/' in table, "tables keep their category links"
