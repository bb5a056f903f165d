"""The publication pages in a real browser: home, facets, charts, dashboard, search,
a person's page and the downloads. Every page is watched (no JS error, no request
leaving 127.0.0.1), and screenshots of the main pages go to test-artifacts/.
"""
import re
import sqlite3
import zipfile

import pytest

from tests.browser.conftest import ARTIFACTS, screenshot

pytestmark = pytest.mark.browser

from registry.settings import DB_NAME as DB

# Counts the pixels a canvas has drawn (alpha > 0), in the page.
CANVAS_PIXELS = """() => {
  let best = 0;
  for (const c of document.querySelectorAll('canvas')) {
    if (!c.width || !c.height) continue;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    best = Math.max(best, n);
  }
  return best;
}"""


def person_links(page):
    hrefs = page.eval_on_selector_all(
        "table.search-results a", "els => els.map(e => e.getAttribute('href'))")
    return {h.rsplit("/", 1)[-1] for h in hrefs if f"/{DB}/persons/" in h}


def row_count(page):
    text = page.locator("h3").filter(has_text=re.compile(r"\brows?\b")).first.inner_text()
    return int(re.search(r"([\d,]+) rows?", text).group(1).replace(",", ""))


def test_home_page(watched_page, server_url):
    page = watched_page
    page.goto(server_url + "/")
    assert "Azerbaijan Political Prisoners Registry" in page.locator("h1").inner_text()
    assert page.locator("a#dashboard-link").count() == 1
    assert page.locator("a.chart-link").count() == 4
    assert page.locator("form.people-search input[name=text]").count() == 1
    screenshot(page, "home")


def test_clicking_a_facet_narrows_the_results(watched_page, server_url):
    page = watched_page
    page.goto(f"{server_url}/{DB}/persons")
    before = row_count(page)
    facet = page.locator(".facet-info[data-column=category] li a").first
    expected = int(re.sub(r"[^\d]", "", facet.locator("xpath=..").inner_text().split()[-1]))
    facet.click()
    page.wait_for_load_state()
    assert "category=" in page.url
    after = row_count(page)
    assert 0 < after < before
    assert after == expected
    screenshot(page, "persons-faceted")


@pytest.mark.parametrize("index,name", [(0, "chart-tallies"), (1, "chart-categories"),
                                        (2, "chart-articles"), (3, "chart-arrests")])
def test_each_chart_link_draws(watched_page, server_url, index, name):
    page = watched_page
    page.goto(server_url + "/")
    page.locator("a.chart-link").nth(index).click()
    page.wait_for_load_state()
    assert "#g.mark=" in page.url
    page.wait_for_selector("canvas", timeout=15000)
    page.wait_for_function("(" + CANVAS_PIXELS + ")() > 500", timeout=15000)
    assert page.evaluate("(" + CANVAS_PIXELS + ")()") > 500
    screenshot(page, name)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("canvas").first.screenshot(path=str(ARTIFACTS / f"{name}-canvas.png"))


def test_dashboard_draws_every_chart(watched_page, server_url):
    page = watched_page
    page.goto(f"{server_url}/-/dashboards/registry")
    for chart in ["tallies", "by-category", "top-charges", "arrests-per-year"]:
        marks = page.locator(f"#chart-{chart} [role=graphics-symbol]")
        marks.first.wait_for(timeout=15000)
        assert marks.count() > 0, chart
    for tile in ("held-now", "held-confirmed", "held-sentence-running", "last-reported-held",
                 "latest-named"):
        value = page.locator(f"#chart-{tile} p").first
        value.wait_for(timeout=10000)
        assert re.fullmatch(r"\d+", value.inner_text().strip()), tile
    latest = page.locator("#chart-latest-tally p").first
    latest.wait_for(timeout=10000)
    assert re.match(r"\d+ \(\d{4}-\d\d-\d\d\)", latest.inner_text().strip())
    page.wait_for_timeout(300)
    screenshot(page, "dashboard")


def test_dashboard_on_an_empty_result_draws_without_error(watched_page, server_url):
    page = watched_page
    page.goto(f"{server_url}/-/dashboards/registry?since=2999-01-01")
    page.locator("#chart-by-category [role=graphics-symbol]").first.wait_for(timeout=15000)
    page.locator("#chart-tallies svg").first.wait_for(timeout=15000)
    page.locator("#chart-arrests-per-year svg").first.wait_for(timeout=15000)
    page.wait_for_timeout(500)
    screenshot(page, "dashboard-empty")
    # watched_page fails the test on any JavaScript error.


def test_search_finds_the_same_people_with_and_without_azerbaijani_letters(watched_page,
                                                                          server_url):
    page = watched_page
    found = {}
    for query in ["Məmmədli", "Mammadli"]:
        page.goto(server_url + "/")
        page.fill("form.people-search input[name=text]", query)
        page.locator("form.people-search input[type=submit]").click()
        page.wait_for_load_state()
        found[query] = person_links(page)
        if query == "Məmmədli":
            screenshot(page, "search")
    assert found["Məmmədli"] == found["Mammadli"]
    assert "anar-mammadli" in found["Mammadli"]
    page.goto(server_url + "/-/search?q=Mamm")
    assert found["Mammadli"] <= person_links(page)
    page.goto(server_url + "/-/search?q=" + "%22(NEAR*")
    assert page.locator("h1").inner_text() == "Search people"


def test_anar_mammadli_page_shows_both_detentions_in_date_order(watched_page, server_url):
    page = watched_page
    page.goto(f"{server_url}/{DB}/persons/anar-mammadli")
    assert page.locator("h1.person-name").inner_text().startswith("Anar Mammadli")
    detentions = page.eval_on_selector_all(
        "section.detention", "els => els.map(e => [e.id, e.dataset.arrestedOn])")
    ids = [d[0] for d in detentions]
    assert "anar-mammadli-2013" in ids and "anar-mammadli-2024" in ids
    dates = [d[1] for d in detentions]
    assert dates == sorted(dates)
    assert page.locator("#anar-mammadli-2024 .charges").inner_text().count("206.3.2") == 1
    timeline = page.eval_on_selector_all("ol.timeline li", "els => els.map(e => e.dataset.date)")
    assert timeline == sorted(timeline) and len(timeline) >= 3
    assert page.locator("ol.timeline li a[href^='http']").count() == len(timeline)
    screenshot(page, "person-anar-mammadli")


def test_downloads_work(watched_page, server_url, tmp_path):
    page = watched_page
    page.goto(server_url + "/")
    links = {"zip": "#downloads a[href$='.zip']", "db": f"#downloads a[href$='/{DB}.db']",
             "csv": "#downloads a[href$='persons.csv']"}
    saved = {}
    for kind, selector in links.items():
        with page.expect_download() as info:
            page.locator(selector).first.click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        saved[kind] = target
    with zipfile.ZipFile(saved["zip"]) as z:
        names = z.namelist()
        assert "datapackage.json" in names and "data/persons.csv" in names
        assert "CITATION.cff" in names
    conn = sqlite3.connect(saved["db"])
    assert conn.execute("select count(*) from persons").fetchone()[0] > 0
    conn.close()
    assert saved["csv"].read_text(encoding="utf-8").startswith("person_id,name,")
    # A table's own CSV link downloads a file too (_dl=1).
    page.goto(f"{server_url}/{DB}/people_held_now")
    with page.expect_download() as info:
        page.locator("a[href*='.csv']").first.click()
    assert info.value.suggested_filename.endswith(".csv")


@pytest.mark.parametrize("person_id", ["anar-mammadli", "tofig-yagublu", "abdul-abilov"])
def test_a_printed_person_page_is_a_one_page_card(watched_page, server_url, person_id):
    page = watched_page
    page.goto(f"{server_url}/{DB}/persons/{person_id}")
    page.emulate_media(media="print")
    assert page.locator(".timeline").is_hidden() and page.locator("header").first.is_hidden()
    assert page.locator(".photo-placeholder").is_visible()
    assert page.locator(".person-status").is_visible() and page.locator(".detention").first.is_visible()
    # Sources print their addresses.
    after = page.evaluate("""() => getComputedStyle(
        document.querySelector('.person-status a[href^="http"]'), '::after').content""")
    assert "attr(href)" in after or "http" in after, after
    pdf = page.pdf(format="A4", print_background=False)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"card-{person_id}.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, "the card fits on one page"


def phone_pages(metadata_yml):
    pages = ["/", f"/{DB}/persons/anar-mammadli", "/-/search?text=mammadli", f"/{DB}/persons",
             "/-/dashboards/registry", "/no/such/page"]
    for name, conf in metadata_yml["databases"][DB]["queries"].items():
        pages.append(f"/{DB}/{name}" + ("?" + "&".join(f"{p}=" for p in conf.get("params", []))
                                        if conf.get("params") else ""))
    return pages


def test_no_journalist_page_scrolls_sideways_on_a_phone(watched_page, server_url, metadata_yml):
    page = watched_page
    page.set_viewport_size({"width": 390, "height": 844})
    wide = {}
    for path in phone_pages(metadata_yml):
        page.goto(server_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    assert not wide, wide


def test_every_dashboard_chart_carries_its_title_credit_and_release(watched_page, server_url):
    from registry import datapackage
    page = watched_page
    page.goto(f"{server_url}/-/dashboards/registry")
    for chart in ("held-by-category", "tallies", "by-category", "top-charges", "arrests-per-year"):
        svg = page.locator(f"#chart-{chart} svg").first
        svg.wait_for(timeout=15000)
        page.locator(f"#chart-{chart} [role=graphics-symbol]").first.wait_for(timeout=15000)
        text = svg.text_content()
        assert f"Azerbaijan Political Prisoners Registry, data release {datapackage.version()}" in text, chart
    assert "Arrests on record, not all arrests" in page.locator("#chart-arrests-per-year svg").first.text_content()


def test_search_results_on_a_phone_keep_their_labels(watched_page, server_url):
    page = watched_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server_url}/-/search?text=mammadli")
    cell = page.locator("table.search-results tbody tr").first.locator("td").nth(2)
    label = page.evaluate("(el) => getComputedStyle(el, '::before').content", cell.element_handle())
    assert label == '"Held now?"', label
    screenshot(page, "search-phone")
