"""The saved queries answer their questions correctly on the real data.

Every expected answer is computed here from the CSVs in data/ (or is a fact the
sources state, such as Anar Mammadli's 2024 charge under article 206.3.2), and
compared with what Datasette returns for the saved query.
"""
import csv
import re
import sqlite3
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import quote

import pytest

from registry import datapackage

pytestmark = pytest.mark.asyncio(loop_scope="session")

from registry.settings import DB_NAME as DB
LIST_2014 = "working-group-2014-08-10"
CHART_QUERIES = ["tallies_over_time?scope=political_prisoners", "category_counts",
                 "top_charges", "arrests_by_year"]


def read(name):
    res = next(r for r in datapackage.resources() if r.name == name)
    with open(res.path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def data():
    return {r.name: read(r.name) for r in datapackage.resources()}


async def rows(ds, query, **params):
    qs = "&".join(f"{k}={quote(str(v))}" for k, v in params.items())
    r = await ds.client.get(f"/{DB}/{query}.json?_shape=array&_size=max" + (f"&{qs}" if qs else ""))
    assert r.status_code == 200, r.text[:500]
    return r.json()


def people_charged(data, article):
    detention_person = {d["detention_id"]: d["person_id"] for d in data["detentions"]}
    return {detention_person[c["detention_id"]] for c in data["charges"]
            if c["article_id"] == article or c["article_id"].startswith(article + ".")}


async def test_people_held_now_counts_only_fresh_confirmations_or_running_sentences(ds, real_db):
    got = await rows(ds, "people_held_now")
    conn = sqlite3.connect(real_db)
    as_of, window = conn.execute("SELECT as_of, window_start FROM registry_as_of").fetchone()
    expected = {r[0] for r in conn.execute("SELECT person_id FROM person_status WHERE held_now")}
    assert {r["person_id"] for r in got} == expected
    assert len(got) == len(expected), "one row per person"
    for r in got:
        assert r["last_held_on"] and r["last_held_source_url"].startswith("http"), r
        if r["held_basis"] == "confirmed":
            assert r["last_held_on"] >= window, r
        else:
            assert r["held_basis"] == "sentence_running", r
            assert r["sentence_ends_on"] is None or r["sentence_ends_on"] > as_of, r
    by_basis = await rows(ds, "people_held_now", basis="confirmed", category="")
    assert {r["person_id"] for r in by_basis} == {r["person_id"] for r in got
                                                  if r["held_basis"] == "confirmed"}


async def test_held_now_figures_agree_on_every_page(ds, real_db):
    """Home page, dashboard tile, saved query and README give the same held-now numbers."""
    conn = sqlite3.connect(real_db)
    held, confirmed, running, as_of = conn.execute(
        "SELECT held_now, confirmed, sentence_running, registry_as_of FROM held_now_summary").fetchone()
    home = (await ds.client.get("/")).text
    assert f"Held now: {held} people</strong> as of {as_of}: {confirmed} whom" in home
    assert f"and {running} serving a prison" in home
    charts = ds.metadata("plugins")["datasette-dashboards"]["registry"]["charts"]
    for tile, want in (("held-now", held), ("held-confirmed", confirmed),
                       ("held-sentence-running", running)):
        got = await ds.client.get(f"/{DB}.json?_shape=array&sql={quote(charts[tile]['query'])}")
        assert got.json()[0]["people"] == want, tile
    assert len(await rows(ds, "people_held_now")) == held
    from registry import coverage
    assert coverage.readme_block() == coverage.readme_section(coverage.figures(real_db)), \
        "README coverage is stale: run python -m registry.coverage --write-readme"


async def test_anar_mammadli_is_charged_under_206_3_2(ds, data):
    got = await rows(ds, "people_by_article", article="206.3.2")
    people = {r["person_id"] for r in got}
    assert "anar-mammadli" in people
    assert people == people_charged(data, "206.3.2")
    assert {r["articles"] for r in got} == {"206.3.2"}
    mammadli = [r for r in got if r["person_id"] == "anar-mammadli"]
    assert [r["detention_id"] for r in mammadli] == ["anar-mammadli-2024"], "one row, sources gathered"
    assert all(url.startswith("http") for url in mammadli[0]["source_urls"].split(","))
    pairs = [(r["person_id"], r["detention_id"]) for r in got]
    assert len(pairs) == len(set(pairs)), "one row per person and detention"


@pytest.mark.parametrize("article", ["233", "206", "234.4.3"])
async def test_people_by_article_matches_the_csvs_and_includes_sub_parts(ds, data, article):
    got = await rows(ds, "people_by_article", article=article)
    assert {r["person_id"] for r in got} == people_charged(data, article)
    assert all(a == article or a.startswith(article + ".")
               for r in got for a in r["articles"].split(","))


async def test_people_in_the_emds_case(ds, data):
    got = await rows(ds, "people_in_case", case="emds-2013")
    expected = {d["person_id"] for d in data["detentions"] if d["case_id"] == "emds-2013"}
    assert "anar-mammadli" in expected
    assert {r["person_id"] for r in got} == expected
    by_name = await rows(ds, "people_in_case", case="EMDS")
    assert {r["person_id"] for r in by_name} == expected


async def test_people_in_category(ds, data):
    got = await rows(ds, "people_in_category", category="human-rights-defender")
    expected = {p["person_id"] for p in data["persons"] if p["category"] == "human-rights-defender"}
    assert "anar-mammadli" in expected
    assert {r["person_id"] for r in got} == expected


async def test_category_counts_add_up_to_the_registry(ds, data):
    got = {r["category"]: r["people"] for r in await rows(ds, "category_counts")}
    counts = Counter(p["category"] for p in data["persons"])
    assert got == {c["category_id"]: counts.get(c["category_id"], 0) for c in data["categories"]}
    assert sum(got.values()) == len(data["persons"])


async def test_held_longest_without_verdict(ds, real_db):
    got = await rows(ds, "held_longest_without_verdict")
    conn = sqlite3.connect(real_db)
    expected = {r[0] for r in conn.execute("""
        SELECT h.person_id FROM held_now h WHERE h.held_basis = 'confirmed'
          AND h.status IN ('pretrial_detention', 'house_arrest') AND h.sentence_kind IS NULL
          AND h.sentenced_on IS NULL AND h.arrested_on IS NOT NULL AND h.last_held_on >= h.arrested_on""")}
    assert {r["person_id"] for r in got} == expected
    days = [r["days_held_at_least"] for r in got]
    assert days == sorted(days, reverse=True), "longest held first"
    for r in got:
        from datetime import date
        span = date.fromisoformat(r["last_held_on"]) - date.fromisoformat(r["arrested_on"])
        assert r["days_held_at_least"] == span.days


async def test_arrests_per_year(ds, data):
    got = {r["year"]: r["arrests"] for r in await rows(ds, "arrests_by_year")}
    expected = Counter(int(d["arrested_on"][:4]) for d in data["detentions"] if d["arrested_on"])
    assert got == dict(expected)
    assert got[2013] >= 1 and got[2024] >= 1


async def test_top_charges_counts_each_person_once_per_article(ds, data):
    got = await rows(ds, "top_charges")
    detention_person = {d["detention_id"]: d["person_id"] for d in data["detentions"]}
    pairs = {(detention_person[c["detention_id"]], c["article_id"]) for c in data["charges"]}
    counts = Counter(article for _, article in pairs)
    assert got[0]["people"] == max(counts.values())
    assert all(r["people"] == counts[r["article"]] for r in got)
    assert len(got) == min(20, len(counts))


async def test_women_held_now(ds, data, real_db):
    got = await rows(ds, "women_held_now")
    conn = sqlite3.connect(real_db)
    held = {r[0] for r in conn.execute("SELECT person_id FROM person_status WHERE held_now")}
    expected = {p["person_id"] for p in data["persons"] if p["gender"] == "female" and p["person_id"] in held}
    assert {r["person_id"] for r in got} == expected


async def test_what_became_of_the_2014_list(ds, data, real_db):
    got = await rows(ds, "list_outcomes")  # the 2014 list is the default
    assert got == await rows(ds, "list_outcomes", list_id=LIST_2014)
    entries = [e for e in data["list_entries"] if e["list_id"] == LIST_2014]
    assert len(got) == len(entries) == 98
    assert [r["number"] for r in got] == list(range(1, 99))
    conn = sqlite3.connect(real_db)
    basis = dict(conn.execute("SELECT person_id, held_basis FROM person_status"))
    for r in got:
        # Every one of the 98 has an outcome with its date and source.
        assert r["outcome"] and r["outcome_date"] and r["outcome_source_url"].startswith("http"), r
        if basis[r["person_id"]] == "last_reported_held":
            assert r["outcome"].startswith("last reported held on "), r
        elif basis[r["person_id"]] in ("confirmed", "sentence_running"):
            assert r["outcome"].startswith("held now"), r
    # Anar Mammadli: on the 2014 list for his 2013 arrest, arrested again in 2024.
    mammadli = next(r for r in got if r["person_id"] == "anar-mammadli")
    assert "2024" in mammadli["later_arrests"]
    summary = await rows(ds, "list_outcomes_summary")
    assert sum(r["people"] for r in summary) == 98


async def test_list_changes_between_two_editions(ds, data):
    assert await rows(ds, "list_changes", from_list=LIST_2014, to_list=LIST_2014) == []
    for other in sorted({e["list_id"] for e in data["list_entries"]} - {LIST_2014}):
        got = await rows(ds, "list_changes", from_list=LIST_2014, to_list=other)
        a = {e["person_id"] for e in data["list_entries"] if e["list_id"] == LIST_2014}
        b = {e["person_id"] for e in data["list_entries"] if e["list_id"] == other}
        assert {r["person_id"] for r in got if r["person_id"]} == a ^ b
        # The 2014 list is itemised in full, so a name absent from it was added; the later
        # editions are not, so nobody is called dropped on absence alone.
        assert {r["person_id"] for r in got if r["change"].startswith("added")} == b - a
        assert "dropped" not in {r["change"] for r in got}
        assert {r["person_id"] for r in got if r["change"].startswith("removed (reported)")} == {
            x["person_id"] for x in data["list_removals"] if x["list_id"] == other} & a
        assert all(r["from_names"] == "98 of 98" for r in got)


async def test_list_changes_refuses_when_one_side_holds_no_names(ds, data):
    named = {e["list_id"] for e in data["list_entries"]}
    unnamed = next(l["list_id"] for l in data["lists"] if l["list_id"] not in named)
    for later in ("no-such-list", unnamed):
        got = await rows(ds, "list_changes", from_list=LIST_2014, to_list=later)
        assert len(got) == 1 and got[0]["change"] == "not comparable", got[:2]
        assert got[0]["to_names"].startswith("0 of ")
        assert "nobody can be called added or dropped" in got[0]["note"]


async def test_tallies_over_time_one_row_per_dated_count(ds, data):
    got = await rows(ds, "tallies_over_time")
    expected = [l for l in data["lists"] if l["total"] and l["as_of"]]
    assert sorted((r["list_id"], r["total"], r["scope"]) for r in got) == sorted(
        (l["list_id"], int(l["total"]), l["scope"]) for l in expected)
    assert [r["as_of"] for r in got] == sorted(r["as_of"] for r in got)
    assert any(r["list_id"] == LIST_2014 and r["total"] == 98 for r in got)
    main = await rows(ds, "tallies_over_time", scope="political_prisoners")
    assert main and {r["scope"] for r in main} == {"political_prisoners"}
    # The charted series keeps one point per list: a second report of a list is left out.
    series = await rows(ds, "tallies_over_time", scope="political_prisoners", one_per_list="1")
    repeats = {l["list_id"] for l in data["lists"] if l["same_list_as"]}
    assert repeats and {r["list_id"] for r in series} == {r["list_id"] for r in main} - repeats


async def test_conflicting_claims_lists_every_claim(ds, data):
    got = await rows(ds, "conflicting_claims")
    assert len(got) == len(data["conflicts"])
    assert all(r["source_url"].startswith("http") for r in got)


async def test_anar_mammadli_timeline_in_date_order(ds, data):
    got = await rows(ds, "person_timeline", person_id="anar-mammadli")
    events = [e for e in data["events"] if e["person_id"] == "anar-mammadli"]
    assert len([r for r in got if r["kind"] != "named_on_list"]) == len(events)
    dates = [r["date"] for r in got]
    assert dates == sorted(dates)
    arrests = [r["date"] for r in got if r["kind"] == "arrested"]
    assert arrests[0] == "2013-12-16" and any(d.startswith("2024") for d in arrests)
    assert any(r["kind"] == "named_on_list" and r["date"] == "2014-08-10" for r in got)
    assert all(r["source_url"].startswith("http") for r in got)


@pytest.mark.parametrize("query", CHART_QUERIES)
async def test_every_charted_query_has_rows(ds, query):
    """datasette-vega throws on an empty result: charted queries can never be empty."""
    name, _, qs = query.partition("?")
    r = await ds.client.get(f"/{DB}/{name}.json?_shape=array&{qs}")
    assert r.status_code == 200 and len(r.json()) > 0


async def test_chart_links_carry_the_vega_fragment(ds, metadata_yml):
    queries = metadata_yml["databases"][DB]["queries"]
    for name in ["tallies_over_time", "category_counts", "top_charges", "arrests_by_year"]:
        html = queries[name]["description_html"]
        assert f"/{DB}/{name}" in html and "#g.mark=" in html and "g.y_type=quantitative" in html
    home = (await ds.client.get("/")).text
    assert home.count('class="chart-link"') == 4
    assert "g.mark=line&amp;g.x_column=as_of&amp;g.x_type=temporal" in home


async def test_atom_feed_of_new_events(ds, data):
    r = await ds.client.get(f"/{DB}/new_events.atom")
    assert r.status_code == 200
    feed = ET.fromstring(r.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == min(100, len(data["events"]))
    newest = max(e["date"] for e in data["events"])
    assert entries[0].find("a:updated", ns).text.startswith(newest)
    # RFC 4287: every entry has an id, a title, an updated date and (as the feed has none)
    # an author; its link is the person's page in the registry, the source is in the text.
    person_ids = {p["person_id"] for p in data["persons"]}
    for e in entries:
        assert e.find("a:id", ns).text and e.find("a:updated", ns).text
        assert e.find("a:author/a:name", ns).text == "Azerbaijan Political Prisoners Registry"
        links = {link.get("rel", "alternate"): link.get("href") for link in e.findall("a:link", ns)}
        assert re.fullmatch(rf"https?://[^/]+/{DB}/persons/[a-z0-9-]+", links["alternate"])
        assert links["alternate"].rsplit("/", 1)[1] in person_ids
        assert links["related"].startswith("http") and links["related"] in e.find("a:content", ns).text
        title = e.find("a:title", ns).text
        assert not title.endswith(")") or not re.search(r": other \(", title), title
        assert "_" not in title.split(": ", 1)[1], title
        assert "Source: " in e.find("a:content", ns).text
    assert feed.find("a:author/a:name", ns).text == "Azerbaijan Political Prisoners Registry"
    first = entries[0].find("a:link", ns).get("href")
    linked = await ds.client.get("/" + first.split("/", 3)[3])
    assert linked.status_code == 200


@pytest.mark.parametrize("query", ["Məmmədli", "Mammadli", "mammadli", "MƏMMƏDLİ"])
async def test_search_page_finds_any_spelling(ds, query):
    r = await ds.client.get(f"/-/search?q={quote(query)}")
    assert r.status_code == 200
    assert f"/{DB}/persons/anar-mammadli" in r.text


async def test_search_page_prefix_and_same_people_for_both_spellings(ds):
    def people(html):
        import re
        return set(re.findall(rf'/{DB}/persons/([a-z0-9-]+)"', html))
    az = people((await ds.client.get("/-/search?q=" + quote("Məmmədli"))).text)
    en = people((await ds.client.get("/-/search?q=Mammadli")).text)
    assert az == en and "anar-mammadli" in az
    prefix = people((await ds.client.get("/-/search?q=Mamm")).text)
    assert en <= prefix


@pytest.mark.parametrize("query", ['"', "(", "Mamm*", "AND", "NEAR(", '"a" OR', "*", "-x", "^"])
async def test_search_page_never_fails_on_fts_syntax(ds, query):
    r = await ds.client.get(f"/-/search?q={quote(query)}")
    assert r.status_code == 200


async def test_search_page_escapes_the_query(ds):
    r = await ds.client.get("/-/search?q=" + quote("<script>alert(1)</script>"))
    assert r.status_code == 200
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;" in r.text


async def test_person_page_shows_everything_about_anar_mammadli(ds, data):
    r = await ds.client.get(f"/{DB}/persons/anar-mammadli")
    assert r.status_code == 200
    html = r.text
    assert "Anar Mammadli" in html
    assert html.index('id="anar-mammadli-2013"') < html.index('id="anar-mammadli-2024"')
    assert "206.3.2" in html and "Election Monitoring" in html
    for alias in (a["alias"] for a in data["aliases"] if a["person_id"] == "anar-mammadli"):
        assert alias.replace("'", "&#39;") in html
    assert "THE LIST: Political Prisoners in Azerbaijan" in html
    dates = [d for d in __import__("re").findall(r'<li data-date="([0-9-]+)"', html)]
    assert dates and dates == sorted(dates)


async def test_dashboard_configured_and_served(ds, metadata_yml):
    conf = metadata_yml["plugins"]["datasette-dashboards"]["registry"]
    assert {"held-now", "latest-tally", "tallies", "by-category", "top-charges",
            "arrests-per-year"} <= set(conf["charts"])
    r = await ds.client.get("/-/dashboards/registry")
    assert r.status_code == 200 and "The registry at a glance" in r.text
    for chart in conf["charts"].values():
        sql = __import__("re").sub(r"\[\[.*?\]\]", "", chart["query"], flags=__import__("re").S)
        q = await ds.client.get(f"/{DB}.json?_shape=array&sql={quote(sql)}")
        assert q.status_code == 200 and len(q.json()) > 0, chart["title"]


async def test_home_page_links_the_publication(ds):
    html = (await ds.client.get("/")).text
    for link in ["/-/dashboards/registry", "/-/search", f"/{DB}.db", f"/{DB}/new_events.atom",
                 f"/{DB}/people_held_now", "CITATION.cff"]:
        assert link in html, link


async def test_csv_links_download_as_files(ds):
    r = await ds.client.get(f"/{DB}/people_held_now.csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers.get("content-disposition", "")
    r = await ds.client.get(f"/{DB}/persons.json?_shape=array&_size=1")
    assert r.status_code == 200 and len(r.json()) == 1


async def test_whole_database_downloads(ds):
    r = await ds.client.get(f"/{DB}.db")
    assert r.status_code == 200
    assert r.content[:16] == b"SQLite format 3\x00"


async def test_the_dashboard_date_filter_filters_in_any_order_of_visits(ds):
    """The optional 'since' clause is kept when the filter is set and dropped when it is
    not, however the views before were filtered (the cached configuration is never changed)."""
    for since in ("", "2020-01-01", "", "2015-06-01"):
        r = await ds.client.get("/-/dashboards/registry" + (f"?since={since}" if since else ""))
        assert r.status_code == 200
        html = r.text.replace("\\u003e", ">").replace("&gt;", ">")
        assert ("as_of >= :since" in html) == bool(since), since
        assert ("year >= cast(substr(:since" in html) == bool(since), since
    # And the filtered query answers fewer arrests than the unfiltered one.
    conf = ds.metadata("plugins")["datasette-dashboards"]["registry"]["charts"]["arrests-per-year"]
    from datasette_dashboards import replace_opts_in_query
    everything = await ds.client.get(f"/{DB}.json?_shape=array&sql={quote(replace_opts_in_query(conf['query'], {}))}")
    since = await ds.client.get(f"/{DB}.json?_shape=array&since=2020-01-01&sql="
                                + quote(replace_opts_in_query(conf["query"], {"since": "2020-01-01"})))
    assert min(r["year"] for r in since.json()) >= 2020
    assert sum(r["arrests"] for r in since.json()) < sum(r["arrests"] for r in everything.json())


async def test_who_is_held_now_filters_by_case_place_and_arrest_date(ds, real_db):
    conn = sqlite3.connect(real_db)
    everyone = await rows(ds, "people_held_now")
    by_case = await rows(ds, "people_held_now", case="Toplum")
    assert by_case and {r["person_id"] for r in by_case} == {
        r[0] for r in conn.execute("SELECT person_id FROM held_now WHERE case_name LIKE '%Toplum%'")}
    since = await rows(ds, "people_held_now", arrested_since="2025-01-01")
    assert since and all(r["arrested_on"] >= "2025-01-01" for r in since) and len(since) < len(everyone)
    place = conn.execute("SELECT place_id FROM held_now WHERE place_id IS NOT NULL LIMIT 1").fetchone()[0]
    at_place = await rows(ds, "people_held_now", place=place)
    assert at_place and len(at_place) < len(everyone)
