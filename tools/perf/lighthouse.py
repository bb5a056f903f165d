"""`make lighthouse`: Lighthouse's mobile scores and byte weights for the pages readers open.

A benchmark, not a test: scores move with the machine's load, so each page is run
several times and the median is reported, with the command and the machine, in
docs/performance.md (between the lighthouse markers). The byte budgets themselves are
deterministic and are tests (tests/browser/test_page_weight.py).

Lighthouse comes from npm, pinned in tools/perf/npm/package-lock.json, and drives
Debian's chromium (CHROME_PATH); it never downloads a browser. The server is the
production one (registry.serve) on a free 127.0.0.1 port.

Usage: python -m tools.perf.lighthouse [--runs 3] [--no-doc]
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from registry import serve
from registry.settings import DB_NAME, DB_PATH, ROOT

NPM_DIR = ROOT / "tools" / "perf" / "npm"
LIGHTHOUSE = NPM_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME = "/usr/bin/chromium"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"
PAGES = {"home": "/", "person page": f"/{DB_NAME}/persons/anar-mammadli",
         "persons table": f"/{DB_NAME}/persons", "search": "/-/search?text=Mamm",
         "dashboard": "/-/dashboards/registry"}
CATEGORIES = ("performance", "accessibility", "seo", "best-practices")
# The goals of the reach issue: performance 90, the others 95.
GOALS = {"performance": 90, "accessibility": 95, "seo": 95, "best-practices": 95}
CHROME_FLAGS = "--headless --no-sandbox"


def ensure_lighthouse():
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NPM_DIR, check=True)


def command(url, out):
    return [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
            f"--chrome-flags={CHROME_FLAGS}", "--only-categories=" + ",".join(CATEGORIES)]


def run_once(url, workdir):
    out = Path(workdir) / "report.json"
    subprocess.run(command(url, out), check=True, env=dict(os.environ, CHROME_PATH=CHROME),
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    return {
        **{c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES},
        "bytes": audits["total-byte-weight"]["numericValue"],
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "failed": sorted(a["id"] for a in audits.values()
                         if a.get("score") is not None and a["score"] < 0.9
                         and a.get("scoreDisplayMode") == "binary"),
    }


def measure(base_url, runs):
    results = {}
    with tempfile.TemporaryDirectory() as workdir:
        for name, path in PAGES.items():
            samples = [run_once(base_url + path, workdir) for _ in range(runs)]
            results[name] = {key: statistics.median(s[key] for s in samples)
                             for key in (*CATEGORIES, "bytes", "fcp_ms", "lcp_ms")}
            results[name]["failed"] = sorted({a for s in samples for a in s["failed"]})
            print(f"{name}: " + ", ".join(f"{c} {results[name][c]:.0f}" for c in CATEGORIES)
                  + f", {results[name]['bytes'] / 1024:.0f} KB", flush=True)
    return results


def markdown(results, runs, argv):
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [START, "",
             f"Measured {when} on {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}; Lighthouse "
             f"{subprocess.run([str(LIGHTHOUSE), '--version'], capture_output=True, text=True).stdout.strip()}"
             f" (mobile defaults: simulated slow 4G and a mid-range phone), Debian chromium; "
             f"median of {runs} run(s) per page.",
             "", "Command: `python -m tools.perf.lighthouse " + " ".join(argv) + "`", "",
             "| page | performance | accessibility | SEO | best practices | bytes | first paint | largest paint |",
             "|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        lines.append(f"| {name} | {r['performance']:.0f} | {r['accessibility']:.0f} | {r['seo']:.0f} | "
                     f"{r['best-practices']:.0f} | {r['bytes'] / 1024:.0f} KB | {r['fcp_ms'] / 1000:.1f} s | "
                     f"{r['lcp_ms'] / 1000:.1f} s |")
    below = [f"{name}: {c} {r[c]:.0f} < {goal}" for name, r in results.items()
             for c, goal in GOALS.items() if r[c] < goal]
    lines += ["", "Below the goals (performance 90, the others 95): " + ("; ".join(below) or "none") + "."]
    failed = {name: r["failed"] for name, r in results.items() if r["failed"]}
    if failed:
        lines += ["", "Audits that failed in at least one run: "
                  + "; ".join(f"{n}: {', '.join(a)}" for n, a in failed.items()) + "."]
    return "\n".join(lines + ["", END])


def write_doc(text):
    doc = DOC.read_text(encoding="utf-8")
    if START in doc:
        doc = doc[:doc.index(START)] + text + doc[doc.index(END) + len(END):]
    else:
        doc = doc.rstrip() + "\n\n## Lighthouse (`make lighthouse`)\n\n" + text + "\n"
    DOC.write_text(doc, encoding="utf-8")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page (median reported)")
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/performance.md")
    args = parser.parse_args(argv)
    ensure_lighthouse()
    with tempfile.TemporaryDirectory() as logs:
        url, proc = serve.start_in_background(DB_PATH, Path(logs) / "serve.log", port=serve.free_port())
        try:
            results = measure(url, args.runs)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    text = markdown(results, args.runs, argv)
    if not args.no_doc:
        write_doc(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
