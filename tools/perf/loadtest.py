"""Load-test the public instance on 127.0.0.1, as production serves it, and write the figures down.

Starts `python -m registry.serve` (the production settings) on a free local port, then
for each page runs N concurrent connections for D seconds and records every
response: status, latency, and for table pages whether a facet timed out. It runs
every page twice: alone, and with one more client sending pathological queries
(a recursive CTE and a huge cross join) in a loop, which the SQL time limit must stop.

Pages: the home page, the persons table with its facets, a search, a person's page
and the dashboard (skipped, with a note, while no dashboard is configured).

Prints a Markdown table (p50, p95, p99, requests/s, errors, timed-out facets per page)
and the machine it ran on, and writes everything to build/loadtest.json.
Exit status 1 if any request failed or any facet timed out.

Usage: python -m tools.perf.loadtest [--db PATH] [--connections 32] [--duration 30] [--render]
       python -m tools.perf.loadtest --connections 2 --duration 2     (a quick check)
Only ever targets 127.0.0.1. The client is Python (asyncio + httpx) and runs on the
same machine as the server, so on a small machine it takes some of the CPU.
"""
import argparse
import asyncio
import json
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from importlib import metadata as importlib_metadata
from pathlib import Path
from urllib.parse import urlencode

import httpx

from registry import datapackage
from registry.build import DEFAULT_DB
from registry import serve
from registry.serve import SETTINGS

DB = "political_prisoners"
PATHOLOGICAL = {
    "recursive CTE": "with recursive c(x) as (select 1 union all select x + 1 from c) "
                     "select count(*) from c",
    "cross join": "select count(*) from persons a, persons b, persons c, persons d, events e",
}
FACET_TIMEOUT = "These facets timed out"
# The pages a reader must always get while arbitrary SQL floods the server.
FLOOD_PAGES = ("person page", "persons table + facets")


def start_server(db_path, log_path):
    try:
        return serve.start_in_background(db_path, log_path)
    except RuntimeError as e:
        raise SystemExit(f"loadtest: {e}") from e


def pick_pages(url, db_path):
    """{label: path}, and notes on pages that were skipped."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    person = conn.execute("SELECT person_id FROM persons "
                          "ORDER BY person_id = 'anar-mammadli' DESC, rowid LIMIT 1").fetchone()[0]
    surname = person.rsplit("-", 1)[-1]
    conn.close()
    pages = {
        "home": "/",
        "persons table + facets": f"/{DB}/persons",
        "search": f"/{DB}/persons?_search={surname}",
        "person page": f"/{DB}/persons/{person}",
    }
    notes = []
    meta = httpx.get(url + "/-/metadata.json", timeout=30).json()
    slugs = list(((meta.get("plugins") or {}).get("datasette-dashboards") or {}))
    if slugs:
        # A dashboard view is its page plus one JSON query per chart, as the browser fetches them.
        conf = meta["plugins"]["datasette-dashboards"][slugs[0]]
        views = [f"/-/dashboards/{slugs[0]}"]
        for chart in (conf.get("charts") or {}).values():
            if chart.get("query"):
                sql = re.sub(r"\[\[.*?\]\]", "", chart["query"], flags=re.S)
                views.append(f"/{chart.get('db', DB)}.json?" + urlencode({"sql": sql, "_shape": "array"}))
        pages[f"dashboard (page + {len(views) - 1} chart queries)"] = views
    else:
        notes.append("dashboard skipped: no dashboard is configured")
    for label, paths in pages.items():
        for path in [paths] if isinstance(paths, str) else paths:
            r = httpx.get(url + path, timeout=60)
            if r.status_code != 200:
                raise SystemExit(f"loadtest: {label} ({path}) answers HTTP {r.status_code} before the load")
    return pages, notes


def percentile(values, q):
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


async def send_sql(client, sql, tally):
    """One ?sql= request; counts it as sent, or as "other" when the connection failed."""
    try:
        r = await client.get(f"/{DB}.json", params={"sql": sql})
    except httpx.HTTPError:
        tally["other"] += 1
        return None
    tally["sent"] += 1
    return r


def flood_address(i):
    """A distinct loopback address for flooding client i (127.0.0.0/8 only)."""
    return f"127.0.{3 + i // 250}.{1 + i % 250}"


async def sql_flood(url, clients, end):
    """clients slow ?sql= queries in a loop, each from its own loopback address, until end.

    Every query differs, so no cache can merge them; each runs until the time limit."""
    outcome = {"sent": 0, "200": 0, "400 (time limit)": 0, "429": 0, "503": 0, "other": 0}

    async def one(i):
        transport = httpx.AsyncHTTPTransport(local_address=flood_address(i))
        async with httpx.AsyncClient(base_url=url, timeout=30, transport=transport) as client:
            n = 0
            while time.monotonic() < end:
                n += 1
                sql = ("with recursive c(x) as (select 1 union all select x + 1 from c) "
                       f"select count(*) + {i * 100000 + n} from c")
                r = await send_sql(client, sql, outcome)
                if r is None:
                    continue
                key = {400: "400 (time limit)"}.get(r.status_code, str(r.status_code))
                outcome[key if key in outcome else "other"] += 1
                if r.status_code in (429, 503):
                    await asyncio.sleep(0.2)  # a polite client; a hostile one only gets more 503s
    await asyncio.gather(*[one(i) for i in range(clients)])
    return outcome


async def hammer(url, paths, connections, duration, pathological=False, headers=None, flood=0):
    """connections clients on one page for duration seconds (plus one pathological client,
    or `flood` clients sending slow SQL from distinct loopback addresses).

    paths is one path, or several fetched one after another as one view (a dashboard).
    """
    paths = [paths] if isinstance(paths, str) else paths
    latencies, errors, facet_timeouts, bad = [], 0, 0, []
    from_cache = 0
    runaway = {"sent": 0, "stopped": 0, "other": 0, "latencies": []}
    limits = httpx.Limits(max_connections=connections + 1, max_keepalive_connections=connections + 1)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits,
                                 headers=headers or {}) as client:
        start = time.monotonic()
        end = start + duration

        async def worker():
            nonlocal errors, facet_timeouts, from_cache
            while time.monotonic() < end:
                t0 = time.perf_counter()
                failed = False
                for path in paths:
                    try:
                        r = await client.get(path)
                    except httpx.HTTPError as e:
                        failed = True
                        bad.append(type(e).__name__)
                        break
                    if r.status_code != 200:
                        failed = True
                        bad.append(str(r.status_code))
                        break
                    if FACET_TIMEOUT in r.text:
                        facet_timeouts += 1
                    from_cache += r.headers.get(serve.CACHE_HEADER) == "hit"
                if failed:
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - t0)

        async def troublemaker():
            queries = list(PATHOLOGICAL.values())
            i = 0
            while time.monotonic() < end:
                sql = queries[i % len(queries)]
                i += 1
                t0 = time.perf_counter()
                r = await send_sql(client, sql, runaway)
                if r is None:
                    continue
                runaway["latencies"].append(time.perf_counter() - t0)
                body = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
                if r.status_code == 400 and "took too long" in (body.get("error") or ""):
                    runaway["stopped"] += 1
                else:
                    runaway["other"] += 1

        tasks = [worker() for _ in range(connections)]
        if pathological:
            tasks.append(troublemaker())
        if flood:
            tasks.append(sql_flood(url, flood, end))
        results = await asyncio.gather(*tasks)
        wall = time.monotonic() - start
    ms = [x * 1000 for x in latencies]
    out = {
        "requests": len(latencies) + errors,
        "ok": len(latencies),
        "errors": errors,
        "error_kinds": sorted(set(bad)),
        "facet_timeouts": facet_timeouts,
        "responses_from_cache": from_cache,
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": round(percentile(ms, 0.50), 1) if ms else None,
        "p95_ms": round(percentile(ms, 0.95), 1) if ms else None,
        "p99_ms": round(percentile(ms, 0.99), 1) if ms else None,
        "max_ms": round(max(ms), 1) if ms else None,
        "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
    }
    if pathological:
        rl = [x * 1000 for x in runaway.pop("latencies")]
        runaway["p50_ms"] = round(percentile(rl, 0.5), 1) if rl else None
        runaway["max_ms"] = round(max(rl), 1) if rl else None
        out["pathological"] = runaway
    if flood:
        out["sql_flood"] = results[-1]
    return out


def machine(db_path):
    def first(path, key):
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"
    mem_kb = first("/proc/meminfo", "MemTotal").split()[0]
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    persons = conn.execute("SELECT count(*) FROM persons").fetchone()[0]
    conn.close()
    return {
        "nproc": os.cpu_count(),
        "cpu": first("/proc/cpuinfo", "model name"),
        "ram_gb": round(int(mem_kb) / 1024 / 1024, 1) if mem_kb.isdigit() else "unknown",
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "datasette": importlib_metadata.version("datasette"),
        "httpx": importlib_metadata.version("httpx"),
        "database": str(db_path),
        "database_mb": round(Path(db_path).stat().st_size / 1024 / 1024, 2),
        "persons": persons,
        "settings": SETTINGS,
    }


def markdown(result):
    lines = []
    for phase, title in (("alone", "Pages alone"),
                         ("with_pathological", "Same pages, with one client sending pathological "
                                               "queries in a loop")):
        mode = ("every page rendered afresh, bypassing the response cache" if result.get("render")
                else "pages answered from the response cache once rendered")
        lines += [f"**{title}** ({result['connections']} connections, {result['duration_s']} s per page; "
                  f"{mode})",
                  "", "| page | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | "
                  "facets timed out | responses from cache |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for label, r in result[phase].items():
            lines.append(f"| {label} | {r['requests']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | "
                         f"{r['p99_ms']} | {r['max_ms']} | {r['errors']} | {r['facet_timeouts']} | "
                         f"{r['responses_from_cache']} |")
        if phase == "with_pathological":
            lines += ["", "| page | pathological queries sent | stopped by the time limit | other | "
                      "their p50 ms |", "|---|---:|---:|---:|---:|"]
            for label, r in result[phase].items():
                p = r["pathological"]
                lines.append(f"| {label} | {p['sent']} | {p['stopped']} | {p['other']} | {p['p50_ms']} |")
        lines.append("")
    if result.get("with_sql_flood"):
        lines += [f"**While slow SQL floods the server** (pages rendered afresh, {result['connections']} "
                  "readers; the flooding clients each send slow ?sql= queries from their own loopback "
                  "address)", "",
                  "| page | requests | p50 ms | p95 ms | p95 without the flood (same run) | p95 ratio | "
                  "errors | flood: sent | ran to the time limit | 429 | 503 |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for label, r in result["with_sql_flood"].items():
            f, base = r["sql_flood"], result["rendered_baseline"][label]
            ratio = round(r["p95_ms"] / base["p95_ms"], 2) if r["p95_ms"] and base["p95_ms"] else None
            lines.append(f"| {label} | {r['requests']} | {r['p50_ms']} | {r['p95_ms']} | {base['p95_ms']} | "
                         f"{ratio} | {r['errors']} | {f['sent']} | {f['400 (time limit)']} | {f['429']} | "
                         f"{f['503']} |")
        lines.append("")
    m = result["machine"]
    lines.append(f"Machine: {m['nproc']} CPU ({m['cpu']}), {m['ram_gb']} GB RAM, {m['os']}; Python "
                 f"{m['python']}, SQLite {m['sqlite']}, Datasette {m['datasette']}, httpx {m['httpx']}; "
                 f"database {m['database_mb']} MB, {m['persons']} persons.")
    for note in result["notes"]:
        lines.append(f"Note: {note}.")
    lines.append(f"Command: `{result['command']}`")
    return "\n".join(lines)


def main(argv=None):
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
    db_path = Path(args.db)
    if not db_path.exists():
        raise SystemExit(f"loadtest: {db_path} does not exist; run `make build` first")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    url, proc = start_server(db_path, out.with_suffix(".server.log"))
    try:
        pages, notes = pick_pages(url, db_path)
        result = {"connections": args.connections, "duration_s": args.duration, "notes": notes,
                  "command": "python -m tools.perf.loadtest " + " ".join(argv if argv is not None
                                                                      else sys.argv[1:]),
                  "pages": pages, "render": args.render, "alone": {}, "with_pathological": {}}
        for phase, pathological in (() if args.only_flood else
                                    (("alone", False), ("with_pathological", True))):
            for label, path in pages.items():
                print(f"loadtest: {label}, {'with' if pathological else 'without'} the "
                      f"pathological client ...", file=sys.stderr)
                result[phase][label] = asyncio.run(hammer(
                    url, path, args.connections, args.duration, pathological,
                    headers=serve.RENDER_AFRESH if args.render else None))
                time.sleep(1)  # let the server settle between pages
        if args.flood:
            # Each page rendered afresh without the flood first: the baseline of the same run.
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
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    result["machine"] = machine(db_path)
    result["markdown"] = markdown(result)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(result["markdown"])
    print(f"\nwritten to {out}", file=sys.stderr)
    failed = [f"{phase}/{label}" for phase in ("alone", "with_pathological", "rendered_baseline",
                                               "with_sql_flood")
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
