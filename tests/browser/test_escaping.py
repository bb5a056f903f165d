"""Hostile text is rendered harmless on every page, and the security headers leave the charts working.

The validator rejects HTML in the data, so markup can only reach a page if that
check is bypassed. To test the pages on their own, a database is built from the
minimal fixture and then every free-text cell is rewritten to carry <script> and
attribute-breaking payloads. Served as production serves it (registry.serve), every
page (home, tables, rows, the custom person page, saved queries, search, the
dashboards, the Atom feed) must show the payload as text: no dialog opens, no
injected script or handler runs, no request leaves 127.0.0.1.
"""
import re
import sqlite3
import xml.etree.ElementTree as ET
from urllib.parse import quote

import httpx
import pytest

from tests.browser.conftest import screenshot, start_server
from registry import settings
from registry.settings import DB_NAME as DB
from tests.conftest import build_minimal

pytestmark = pytest.mark.browser


# Each payload sets window.__xss and opens a dialog if it ever runs.
PAYLOADS = [
    "<script>window.__xss='script';alert('script')</script>",
    "\"><img src=x onerror=\"window.__xss='img';alert('img')\">",
    "'><svg onload=\"window.__xss='svg';alert('svg')\">",
    "</textarea></title><script>window.__xss='breakout';alert('breakout')</script>",
    "<a href=\"javascript:window.__xss='href';alert('href')\">click</a>",
    "{{ 7*7 }}{% raw %}",
]
PAYLOAD = " ".join(PAYLOADS)

# Columns that are identifiers, codes or dates: changing them would break the links
# the pages are built from. Every other text column carries the payload.
KEEP = re.compile(r"(_id|_on|_as_of|^as_of|_precision|^date|^kind|^status|^code|^stage|^scope|"
                  r"^gender|^language|^url|^category|^same_list_as|^sentence_kind|^release_reason|"
                  r"^total_qualifier)$")

# Values for the parameters of saved queries, from the minimal fixture.
PARAMS = {"article": "206.3.2", "case": "test-media-case", "category": "journalist-blogger",
          "person": "aynur-testova", "person_id": "aynur-testova", "list": "test-2020-05-01",
          "list_id": "test-2020-05-01", "since": "2000-01-01", "q": "Aynur", "text": "Aynur"}


def inject(db_path):
    conn = sqlite3.connect(db_path)
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE '%_fts%' AND name != 'registry_build'")]
    changed = 0
    for table in tables:
        for _, column, ctype, *_ in conn.execute(f'PRAGMA table_info("{table}")').fetchall():
            if ctype.upper() != "TEXT" or KEEP.search(column) or column in ("charges", "cases"):
                continue
            changed += conn.execute(f'UPDATE "{table}" SET "{column}" = coalesce("{column}", \'\') '
                                    f'|| \' \' || ?', [PAYLOAD]).rowcount
    conn.commit()
    conn.close()
    assert changed > 20
    return db_path


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    db = build_minimal(tmp_path_factory.mktemp("hostile"), f"{DB}.db")
    inject(db)
    url, proc = start_server(db)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def metadata():
    return settings.load_metadata()


def pages():
    meta = metadata()
    db = meta["databases"][DB]
    out = ["/", f"/{DB}", f"/{DB}/persons/aynur-testova", f"/{DB}/persons/elmar-sinaqov",
           f"/{DB}/persons?_search=Aynur", f"/{DB}?sql=" + quote("select name, summary from persons"),
           f"/{DB}/events/aynur-testova-2020-01-15-arrested", f"/{DB}/sources/test-list-2020",
           "/-/dashboards", "/-/search?q=Aynur", f"/{DB}/persons?_facet=occupation"]
    out += [f"/{DB}/{t}" for t in ("persons", "detentions", "charges", "events", "lists", "aliases",
                                   "articles", "places", "cases", "categories", "sources",
                                   "conflicts", "list_entries", "list_group_counts")]
    params = "&".join(f"{k}={quote(v)}" for k, v in PARAMS.items())
    out += [f"/{DB}/{name}?{params}" for name in (db.get("queries") or {})]
    dashboards = (meta.get("plugins") or {}).get("datasette-dashboards") or {}
    for slug, conf in dashboards.items():
        out.append(f"/-/dashboards/{slug}")
        out += [f"/-/dashboards/{slug}/{chart}" for chart in (conf.get("charts") or {})]
    return out


PAGES = pages()


@pytest.mark.parametrize("path", PAGES)
def test_hostile_text_is_harmless_on_every_page(watched_page, hostile_server, path):
    page = watched_page
    page.add_init_script("window.__xss = undefined;")
    response = page.goto(hostile_server + path)
    assert response.status < 500, f"{path}: HTTP {response.status}"
    page.wait_for_load_state("networkidle")
    assert page.dialogs == [], f"{path}: a dialog opened: {page.dialogs}"
    assert page.evaluate("window.__xss") is None, f"{path}: injected code ran"
    injected = page.evaluate("""() => [
        ...[...document.querySelectorAll('script')].filter(s => s.textContent.includes('__xss'))
            .map(s => 'script: ' + s.textContent.slice(0, 80)),
        ...[...document.querySelectorAll('*')].flatMap(el => [...el.attributes]
            .filter(a => /^on/i.test(a.name) || /^\\s*javascript:/i.test(a.value))
            .filter(a => a.value.includes('__xss'))
            .map(a => el.tagName + ' ' + a.name + '=' + a.value.slice(0, 80)))]""")
    assert injected == [], f"{path}: markup from the data became elements: {injected}"


def test_the_payload_is_shown_as_text_on_the_person_page(watched_page, hostile_server):
    page = watched_page
    page.goto(f"{hostile_server}/{DB}/persons/aynur-testova")
    text = page.locator("body").inner_text()
    assert "<script>window.__xss='script'" in text, "the hostile name is shown, as text"
    assert "{{ 7*7 }}" in text and "49" not in text.replace("2049", ""), "no template evaluation"
    screenshot(page, "escaping-person")


def test_the_home_page_coverage_text_is_escaped(watched_page, hostile_server):
    """The home page fills {latest_compiler} from the database into HTML."""
    page = watched_page
    page.goto(hostile_server + "/")
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src=x]").count() == 0


def test_the_atom_feed_escapes_hostile_text(hostile_server):
    queries = metadata()["databases"][DB].get("queries") or {}
    feeds = [name for name, q in queries.items() if "atom_id" in q.get("sql", "")]
    if not feeds:
        pytest.skip("no saved query has an Atom feed yet")
    for name in feeds:
        r = httpx.get(f"{hostile_server}/{DB}/{name}.atom", timeout=30)
        assert r.status_code == 200, r.text[:300]
        root = ET.fromstring(r.content)
        tags = {el.tag for el in root.iter()}
        assert not any(t.endswith("}script") or t == "script" or "xhtml" in t for t in tags), tags
        assert "window.__xss" in r.text, "the payload is in the feed, as escaped text"
        for el in root.iter():
            if el.tag.endswith("content") and el.get("type") == "html":
                assert "<script" not in (el.text or ""), "html content is sanitised"


@pytest.mark.parametrize("feed", ["new_events"])
def test_the_atom_feed_opens_in_the_browser_without_running_anything(watched_page, hostile_server,
                                                                      feed):
    queries = metadata()["databases"][DB].get("queries") or {}
    if feed not in queries:
        pytest.skip(f"no {feed} feed yet")
    page = watched_page
    page.add_init_script("window.__xss = undefined;")
    page.goto(f"{hostile_server}/{DB}/{feed}.atom")
    assert page.dialogs == []
    assert page.evaluate("window.__xss") is None


# ------------------------------------------------------------ the policy leaves the charts working

CSP_WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""


def test_headers_are_sent_to_the_browser(watched_page, hostile_server):
    response = watched_page.goto(hostile_server + "/")
    headers = response.all_headers()
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_vega_charts_draw_under_the_policy(watched_page, hostile_server):
    page = watched_page
    page.add_init_script(CSP_WATCH)
    queries = metadata()["databases"][DB].get("queries") or {}
    if "category_counts" in queries:
        page.goto(f"{hostile_server}/{DB}/category_counts#g.mark=bar&g.x_column=category"
                  "&g.x_type=ordinal&g.y_column=people&g.y_type=quantitative")
    else:
        sql = quote("select category, count(*) as people from persons group by category")
        page.goto(f"{hostile_server}/{DB}?sql={sql}#g.mark=bar&g.x_column=category"
                  "&g.x_type=ordinal&g.y_column=people&g.y_type=quantitative")
    page.wait_for_selector("canvas", timeout=20000)
    page.wait_for_function("""() => [...document.querySelectorAll('canvas')].some(c => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true; return false; })""",
                           timeout=20000)
    assert page.evaluate("window.__csp") == []
    screenshot(page, "escaping-vega")


def test_dashboard_charts_draw_under_the_policy(watched_page, hostile_server):
    dashboards = (metadata().get("plugins") or {}).get("datasette-dashboards") or {}
    if not dashboards:
        pytest.skip("no dashboard configured yet")
    slug = next(iter(dashboards))
    page = watched_page
    page.add_init_script(CSP_WATCH)
    page.goto(f"{hostile_server}/-/dashboards/{slug}")
    page.wait_for_selector("[role=graphics-symbol], svg .mark-rect path, svg .mark-line path",
                           timeout=30000)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == []
    screenshot(page, "escaping-dashboard")
