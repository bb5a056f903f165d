"""What a phone downloads: byte budgets per page, compression, caching and no blocking scripts.

Measured in the browser on a first load (a fresh context, empty cache), from the bytes
that crossed the wire, so compression counts. These are deterministic budgets; speed is
measured by `make lighthouse` and `make bench`, never here.
"""
import re

import pytest

from registry.settings import DB_NAME as DB

KB = 1024
BUDGETS = {  # page: (path, bytes on the first load)
    "home": ("/", 300 * KB),
    "person": (f"/{DB}/persons/anar-mammadli", 300 * KB),
    "persons table": (f"/{DB}/persons", 300 * KB),
    "search": ("/-/search?text=Mamm", 300 * KB),
    "dashboard": ("/-/dashboards/registry", 800 * KB),
}
BLOCKING_SCRIPT_LIMIT = 50 * KB

pytestmark = pytest.mark.browser
TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/atom+xml")


def first_load(browser, url):
    """Every response of a first visit: (url, bytes on the wire, headers)."""
    context = browser.new_context()
    page = context.new_page()
    seen = []

    def finished(request):
        response = request.response()
        if response is None:
            return
        sizes = request.sizes()
        seen.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"],
                     response.all_headers()))
    page.on("requestfinished", finished)
    page.goto(url, wait_until="networkidle")
    head_scripts = page.eval_on_selector_all(
        "head script[src]", "els => els.filter(e => !e.defer && !e.async && e.type !== 'module')"
                            ".map(e => e.src)")
    context.close()
    return seen, head_scripts


@pytest.mark.parametrize("name", list(BUDGETS))
def test_first_load_fits_its_budget(browser, server_url, name):
    path, budget = BUDGETS[name]
    seen, _ = first_load(browser, server_url + path)
    total = sum(size for _, size, _ in seen)
    biggest = sorted(seen, key=lambda s: -s[1])[:3]
    assert seen and total <= budget, (
        f"{name}: {total / KB:.0f} KB > {budget / KB:.0f} KB; largest: "
        + ", ".join(f"{u[len(server_url):]} {s / KB:.0f} KB" for u, s, _ in biggest))


@pytest.mark.parametrize("name", list(BUDGETS))
def test_no_large_script_blocks_rendering(browser, server_url, name):
    path, _ = BUDGETS[name]
    seen, blocking = first_load(browser, server_url + path)
    sizes = {u: s for u, s, _ in seen}
    heavy = [(u, sizes.get(u, 0)) for u in blocking if sizes.get(u, 0) > BLOCKING_SCRIPT_LIMIT]
    assert not heavy, f"{name}: render-blocking scripts over 50 KB: {heavy}"


def test_text_is_compressed_and_static_files_are_kept(browser, server_url):
    seen, _ = first_load(browser, server_url + "/-/dashboards/registry")
    seen += first_load(browser, server_url + f"/{DB}/persons")[0]
    checked = 0
    for url, size, headers in seen:
        kind = headers.get("content-type", "")
        if kind.startswith(TEXT_TYPES) and int(headers.get("content-length", "0") or 0) > 1024:
            assert headers.get("content-encoding") == "gzip", f"{url} is not compressed"
            checked += 1
        if re.search(r"/(-/static|-/static-plugins|assets)/", url):
            policy = headers.get("cache-control", "")
            assert "max-age=" in policy, f"{url} has no cache lifetime"
            if "?v=" in url:
                assert "max-age=31536000" in policy and "immutable" in policy, (url, policy)
    assert checked >= 3


def test_the_chart_library_loads_only_to_draw_a_chart(browser, server_url, watched_page):
    seen, _ = first_load(browser, server_url + f"/{DB}/persons")
    assert not [u for u, _, _ in seen if "datasette_vega" in u], "persons table loaded the chart bundle"
    # A chart link from the home page draws its chart.
    watched_page.goto(server_url + f"/{DB}/category_counts#g.mark=bar&g.x_column=category"
                      "&g.x_type=ordinal&g.y_column=people&g.y_type=quantitative")
    watched_page.wait_for_selector("canvas, svg.marks", timeout=30000)
    # On a table, the reader asks for the chart builder.
    watched_page.goto(server_url + f"/{DB}/persons")
    watched_page.click("#draw-chart")
    watched_page.wait_for_selector("text=Show charting options", timeout=30000)
