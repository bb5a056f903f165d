"""Browser tests: Debian's chromium driven by Playwright, against a real server on 127.0.0.1.

Playwright never downloads a browser here: the executable is /usr/bin/chromium.
Every page a test opens is watched: a JavaScript error or a request that leaves
127.0.0.1 fails the test.
"""
import os
from pathlib import Path

import pytest

from registry import serve

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
LAUNCH_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.browser


free_port = serve.free_port


def start_server(db_path):
    """Start `registry.serve` on a free port; returns (url, process)."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    return serve.start_in_background(db_path, ARTIFACTS / f"server-{port}.log", port=port)


@pytest.fixture(scope="session")
def server_url(real_db):
    # The server mounts build/downloads only if it exists when it starts: write the
    # release (zip and plain CSVs) first, as `make build` does.
    from registry import release
    release.release()
    url, proc = start_server(real_db)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make browser)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": LAUNCH_FLAGS}


@pytest.fixture
def watched_page(page):
    """A page that records JS errors, dialogs and any request that leaves 127.0.0.1."""
    page.js_errors, page.outside_requests, page.dialogs = [], [], []
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))

    def on_request(request):
        if not request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            page.outside_requests.append(request.url)
    page.on("request", on_request)
    yield page
    assert page.js_errors == [], f"JavaScript errors: {page.js_errors}"
    assert page.outside_requests == [], f"requests left 127.0.0.1: {page.outside_requests}"


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def pytest_collection_modifyitems(session, config, items):
    """Browser tests last: Playwright's sync API keeps an event loop running in the main
    thread until the session ends, and every async test after it would then fail with
    "Runner.run() cannot be called from a running event loop"."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
