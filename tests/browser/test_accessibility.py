"""axe-core's checks in a real browser on the pages most readers open, on a phone and on a
desktop: no serious or critical violation (contrast, names of fields and buttons, the
page's language, chart menus). axe-core is pinned in tests/browser/axe/package-lock.json
and injected from there, so nothing loads from outside 127.0.0.1.

Also: the skip link is the first thing a keyboard reaches and takes it to the content.
"""
import shutil
import subprocess
from pathlib import Path

import pytest

from registry.settings import DB_NAME as DB
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

PAGES = {
    "home": "/",
    "person": f"/{DB}/persons/anar-mammadli",
    "persons": f"/{DB}/persons",
    "search": "/-/search?text=Mamm",
    "dashboard": "/-/dashboards/registry",
    # The same pages in Azerbaijani and Russian, and the page that explains the rule.
    "home (az)": "/?lang=az",
    "person (ru)": f"/{DB}/persons/anar-mammadli?lang=ru",
    "search (az)": "/-/search?text=Mamm&lang=az",
    "dashboard (ru)": "/-/dashboards/registry?lang=ru",
    "held-now rule (az)": "/-/held-now?lang=az",
    "list edition (ru)": f"/{DB}/lists/ufppa-2025-10-07?lang=ru",
}
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
DASHBOARD_CHARTS = ("held-by-category", "tallies", "by-category", "top-charges", "arrests-per-year")


@pytest.fixture(scope="session")
def axe_source():
    """axe.min.js from the pinned package, installed with `npm ci` when it is missing
    (`make browser` does the same)."""
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if not npm:
            pytest.fail("npm is missing: `make browser` installs Debian's nodejs and npm")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=AXE_DIR, check=True)
    return AXE_JS.read_text(encoding="utf-8")


def wait_until_drawn(page, name):
    """axe reads the page as it is: the dashboard's charts and their menus come after load,
    each when it nears the screen (templates/_dashboard_scripts.html), so scroll to each."""
    if name != "dashboard":
        return
    for chart in DASHBOARD_CHARTS:
        page.locator(f"#chart-{chart}").scroll_into_view_if_needed()
        page.locator(f"#chart-{chart} [role=graphics-symbol]").first.wait_for(timeout=15000)
        page.locator(f"#chart-{chart} summary[aria-label]").first.wait_for(timeout=15000)
    page.locator("#chart-held-now p").first.wait_for(timeout=10000)


def axe_violations(page, axe_source):
    page.add_script_tag(content=axe_source)
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
    }""")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_axe_violation(watched_page, server_url, axe_source, name, viewport):
    page = watched_page
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(server_url + PAGES[name])
    wait_until_drawn(page, name)
    violations = axe_violations(page, axe_source)
    screenshot(page, f"a11y-{name}-{viewport}")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], "\n".join(f"{v['impact']} {v['id']} ({v['help']}): {v['nodes']}"
                                     for v in blocking)


def test_the_skip_link_comes_first_and_leads_to_the_content(watched_page, server_url):
    page = watched_page
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(f"{server_url}/{DB}/persons/anar-mammadli")
    skip = page.locator("a.skip-link")
    assert skip.is_visible() is False or skip.bounding_box()["y"] < 0, "out of sight until focused"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["y"] >= 0, "shown once focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.locator("main#main h1.person-name").count() == 1


def test_every_dashboard_chart_links_its_figures_as_a_table(watched_page, server_url):
    page = watched_page
    page.goto(f"{server_url}/-/dashboards/registry")
    for chart in DASHBOARD_CHARTS:
        link = page.locator(f"#card-{chart} .chart-table-link a")
        assert link.count() == 1, chart
    page.locator("#card-arrests-per-year .chart-table-link a").click()
    page.wait_for_load_state()
    assert page.locator("table.rows-and-columns tbody tr").count() > 0
