"""The load generator: all the load the benchmark and the load test put on a server.

Three kinds of load, because each answers a question the others cannot:

* latency: one client, one keep-alive connection, page after page: what a page costs
  a single reader when nothing else is running (p50/p95 per page).
* wrk: C clients at 16 connections for a bounded time: how many requests a second
  the server gives. A Python client on the same machine would be the bottleneck
  for cached pages (docs/reliability.md), so throughput is wrk's.
* hammer: Python clients that read every response: its status, whether a facet
  timed out, whether it came from the response cache; optionally with hostile
  clients alongside (tools.perf.flood). This is the load test's: it needs to know
  what each reader got, not only how many.

Only ever 127.0.0.1 (the flood's clients send from other 127.x loopback addresses).
"""
import asyncio
import http.client
import re
import shutil
import statistics
import subprocess
import threading
import time
from pathlib import Path

import httpx

from registry import serve

from .flood import pathological as pathological_client, sql_flood
from .pages import FACET_TIMEOUT, facets_timed_out, missing_facets

MIX_SCRIPT = Path(__file__).with_name("mix.lua")


def get(port, path, timeout=60, conn=None, headers=None):
    """(status, body bytes, seconds) for one GET on 127.0.0.1."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        start = time.perf_counter()
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, body, time.perf_counter() - start
    finally:
        if own:
            conn.close()


def percentile(values, q):
    values = sorted(values)
    if not values:
        return None
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def latency(port, paths, requests, warmup=2, headers=None):
    """Warm, single client, keep-alive: p50/p95 in ms per page, plus facet timeouts."""
    out = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for name, path in paths.items():
        times, statuses, timed_out = [], set(), None
        for i in range(warmup + requests):
            try:
                status, body, secs = get(port, path, conn=conn, headers=headers)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                statuses.add("error")
                continue
            statuses.add(status)
            if i >= warmup:
                times.append(secs * 1000)
            found = facets_timed_out(path, status, body)
            if found is not None:
                timed_out = found
        out[name] = {"path": path, "p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95),
                     "status": sorted(map(str, statuses)), "facets_timed_out": timed_out}
    conn.close()
    return out


def wrk(port, path, seconds, connections=16, headers=None, paths_file=None):
    """Requests/s at `connections` connections for `seconds` (wrk, 2 threads).

    With paths_file, the requests go through its paths in turn (mix.lua) instead of to path.
    """
    if not shutil.which("wrk"):
        return None
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    if paths_file:
        cmd += ["-s", str(MIX_SCRIPT)]
    cmd.append(f"http://127.0.0.1:{port}{path}")
    if paths_file:
        cmd += ["--", str(paths_file)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    text = proc.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    lat = re.search(r"Latency\s+([\d.]+\w+)\s+([\d.]+\w+)\s+([\d.]+\w+)", text)
    total = re.search(r"(\d+) requests in", text)
    facet_timeouts = re.search(r"facet timeouts: (\d+)", text)
    return {"rps": float(rps.group(1)) if rps else None,
            "requests": int(total.group(1)) if total else None,
            "facet_timeouts": int(facet_timeouts.group(1)) if facet_timeouts else None,
            "non_2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": errors.group(1).strip() if errors else "",
            "latency_avg": lat.group(1) if lat else None}


def probed_wrk(port, path, json_path, seconds, headers=None):
    """wrk on path, while one client checks the JSON for facets that timed out under load.

    wrk does not read what it gets back, hence the probe. It always asks for a fresh
    render: a facet can only time out while a page is being rendered, and a cached
    page was rendered before the load began.
    """
    probes = {"requests": 0, "timed_out": 0, "facets": []}
    stop = time.time() + seconds

    def probe():
        time.sleep(min(1.0, seconds / 4))
        while time.time() < stop - 0.5:
            try:
                status, body, _ = get(port, json_path, timeout=30, headers=serve.RENDER_AFRESH)
            except OSError:
                continue
            probes["requests"] += 1
            if status == 200:
                t = missing_facets(json_path, body)
                if t:
                    probes["timed_out"] += 1
                    probes["facets"] = sorted(set(probes["facets"]) | set(t))

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    result = wrk(port, path, seconds, headers=headers)
    thread.join(30)
    if result is not None:
        result["probe"] = probes
    return result


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

        tasks = [worker() for _ in range(connections)]
        if pathological:
            tasks.append(pathological_client(client, end, runaway))
        if flood:
            tasks.append(sql_flood(url, flood, end))
        results = await asyncio.gather(*tasks)
        wall = time.monotonic() - start
    ms = [x * 1000 for x in latencies]

    def ms_at(q):
        return round(percentile(ms, q), 1) if ms else None
    out = {
        "requests": len(latencies) + errors,
        "ok": len(latencies),
        "errors": errors,
        "error_kinds": sorted(set(bad)),
        "facet_timeouts": facet_timeouts,
        "responses_from_cache": from_cache,
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": ms_at(0.50),
        "p95_ms": ms_at(0.95),
        "p99_ms": ms_at(0.99),
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
