"""Load-test the public instance on 127.0.0.1, as production serves it, and write the figures down.

Starts `python -m registry.serve` (the production settings) on a free local port, then
for each page runs N concurrent connections for D seconds and records every
response: status, latency, and for table pages whether a facet timed out. It runs
every page twice: alone, and with one more client sending pathological queries
(a recursive CTE and a huge cross join) in a loop, which the SQL time limit must stop.
Then the flood phase: the person page and the persons table rendered afresh, first
alone (the baseline of the same run), then while --flood clients send slow SQL from
distinct loopback addresses.

Pages: the home page, the persons table with its facets, a search, a person's page
and the dashboard (skipped, with a note, while no dashboard is configured).

Prints a Markdown table (p50, p95, p99, requests/s, errors, timed-out facets per page)
and the machine it ran on, and writes everything to build/loadtest.json.
Exit status 1 if any request failed or any facet timed out.

Usage: python -m tools.perf.loadtest [--db PATH] [--connections 32] [--duration 30] [--render]
       python -m tools.perf.loadtest --connections 2 --duration 2     (a quick check)
Only ever targets 127.0.0.1. The client is Python (asyncio + httpx: load.hammer) and
runs on the same machine as the server, so on a small machine it takes some of the CPU.
The server is the benchmark's (harness.Server), the tables come from report.py.
"""
import argparse
import asyncio
import contextlib
import json
import sys
import time
from pathlib import Path

from registry import datapackage, serve
from registry.build import DEFAULT_DB

from .harness import Server
from .load import hammer
from .machine import loadtest_machine
from .pages import loadtest_pages
from .report import loadtest_markdown

# The pages a reader must always get while arbitrary SQL floods the server.
FLOOD_PAGES = ("person page", "persons table + facets")
PHASES = ("alone", "with_pathological", "rendered_baseline", "with_sql_flood")


def run_pages(url, pages, args, result):
    """Every page alone, then every page with the pathological client."""
    for phase, pathological in (("alone", False), ("with_pathological", True)):
        for label, path in pages.items():
            print(f"loadtest: {label}, {'with' if pathological else 'without'} the "
                  f"pathological client ...", file=sys.stderr)
            result[phase][label] = asyncio.run(hammer(
                url, path, args.connections, args.duration, pathological,
                headers=serve.RENDER_AFRESH if args.render else None))
            time.sleep(1)  # let the server settle between pages


def run_flood(url, pages, args, result):
    """Each flood page rendered afresh without the flood first: the baseline of the same
    run, so the ratio compares like with like on a machine whose speed drifts."""
    result["rendered_baseline"], result["with_sql_flood"] = {}, {}
    for label in [k for k in pages if k in FLOOD_PAGES]:
        for phase, flood in (("rendered_baseline", 0), ("with_sql_flood", args.flood)):
            print(f"loadtest: {label}, rendered afresh"
                  + (f", while {flood} clients flood slow SQL" if flood else "") + " ...",
                  file=sys.stderr)
            result[phase][label] = asyncio.run(hammer(
                url, pages[label], args.connections, args.duration,
                headers=serve.RENDER_AFRESH, flood=flood))
            time.sleep(1)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(DEFAULT_DB))
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=30, help="seconds per page and phase")
    parser.add_argument("--out", default=str(datapackage.ROOT / "build" / "loadtest.json"))
    parser.add_argument("--flood", type=int, default=32,
                        help="clients sending slow SQL from distinct loopback addresses in the "
                             "flood phase (0 skips it)")
    parser.add_argument("--only-flood", action="store_true",
                        help="run only the flood phase (with its baseline)")
    parser.add_argument("--render", action="store_true",
                        help="render every page afresh (Cache-Control: no-cache), bypassing "
                             "the response cache")
    args = parser.parse_args(argv)
    if args.connections > 256 or args.duration > 300 or args.flood > 256:
        parser.error("bounded: at most 256 connections, 256 flooding clients and 300 s per page")
    return args


def main(argv=None):
    args = parse_args(argv)
    db_path = Path(args.db)
    if not db_path.exists():
        raise SystemExit(f"loadtest: {db_path} does not exist; run `make build` first")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        try:
            srv = stack.enter_context(Server(db_path, log_path=out.with_suffix(".server.log"),
                                             timeout=90))
        except RuntimeError as e:
            raise SystemExit(f"loadtest: {e}") from e
        pages, notes = loadtest_pages(srv.url, db_path)
        result = {"connections": args.connections, "duration_s": args.duration, "notes": notes,
                  "command": "python -m tools.perf.loadtest " + " ".join(argv if argv is not None
                                                                      else sys.argv[1:]),
                  "pages": pages, "render": args.render, "alone": {}, "with_pathological": {}}
        if not args.only_flood:
            run_pages(srv.url, pages, args, result)
        if args.flood:
            run_flood(srv.url, pages, args, result)
    result["machine"] = loadtest_machine(db_path)
    result["markdown"] = loadtest_markdown(result)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(result["markdown"])
    print(f"\nwritten to {out}", file=sys.stderr)
    failed = [f"{phase}/{label}" for phase in PHASES
              for label, r in result.get(phase, {}).items()
              if r["errors"] or r["facet_timeouts"] or not r["ok"]]
    stopped = all(r["pathological"]["other"] == 0 for r in result["with_pathological"].values())
    if failed:
        print(f"loadtest: errors or timed-out facets on {', '.join(failed)}", file=sys.stderr)
    if not stopped:
        print("loadtest: a pathological query was not stopped by the time limit", file=sys.stderr)
    return 1 if failed or not stopped else 0


if __name__ == "__main__":
    sys.exit(main())
