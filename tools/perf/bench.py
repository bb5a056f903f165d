"""Benchmark the pipeline and the site at scale, against the floor and the peers.

For each size: generate a synthetic registry (tools.perf.synthetic), then time and
measure the peak memory of each step in its own process (os.wait4 gives that
process's rusage): our validate, our build (which validates first), the floor
(the sqlite3 CLI's .import into typed tables), the peer path (frictionless
validate, then sqlite-utils insert --csv per table), csvs-to-sqlite, and the
release downloads. Then serve the built database twice, with the production
settings (registry.serve) and with stock Datasette settings, and measure warm
latency per page and throughput at 16 connections (wrk, bounded duration), all on
127.0.0.1.

Usage: python -m tools.perf.bench [--sizes 1k,10k,100k] [--repeats 3] [--quick]
Results go to build/bench/results.json and into docs/performance.md (between the
bench markers); the rest of that file is written by hand.
"""
import argparse
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from registry import datapackage, serve
from . import synthetic

ROOT = datapackage.ROOT
PY = sys.executable
OUT = ROOT / "build" / "bench"
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
CSVS_TO_SQLITE = ROOT / "build" / "c2s-venv" / "bin" / "csvs-to-sqlite"
DB_NAME = "political_prisoners"
STEP_TIMEOUT = 3600
SQL_TYPES = {"integer": "INTEGER", "boolean": "INTEGER", "number": "REAL", "year": "INTEGER"}


def parse_size(text):
    text = text.strip().lower()
    mult = {"k": 1000, "m": 1000000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * mult)


def slabel(size):
    return size.get("label") or label(size["persons"])


def label(n):
    return f"{n // 1000000}M" if n >= 1000000 and n % 1000000 == 0 else (
        f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n))


# ---------------------------------------------------------------- one measured process

def measure(cmd, cwd=ROOT, timeout=STEP_TIMEOUT, stdin=None, env=None):
    """Run cmd; return {seconds, peak_mb, rc, out}.

    Peak RSS comes from GNU time run between us and cmd: wait4 on a direct child would
    report at least our own RSS, which a forked child keeps as its high-water mark
    across exec. Without /usr/bin/time, wait4 gives that upper bound.
    """
    timefile = None
    if os.path.exists("/usr/bin/time"):
        timefile = Path(f"/tmp/bench-time-{os.getpid()}.txt")
        cmd = ["/usr/bin/time", "-f", "%M %U %S", "-o", str(timefile)] + list(cmd)
    start = time.perf_counter()
    with open(os.devnull, "rb") if stdin is None else open(stdin, "rb") as inp:
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=inp, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, env=env)
        out = []
        reader = threading.Thread(target=lambda: out.append(proc.stdout.read()), daemon=True)
        reader.start()
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        reader.join()
    text = (out[0] if out else b"").decode("utf-8", "replace")
    peak_kb, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    if timefile is not None:
        try:
            kb, user, system = timefile.read_text().split("\n")[-2].split()
            peak_kb, cpu = int(kb), float(user) + float(system)
        except (OSError, ValueError, IndexError):
            pass
        timefile.unlink(missing_ok=True)
    return {"seconds": time.perf_counter() - start, "cpu_seconds": cpu, "peak_mb": peak_kb / 1024,
            "rc": proc.returncode, "out": text[-3000:]}


def repeated(cmd, repeats, before=None, **kw):
    """Median seconds and max peak over repeats; before() runs (untimed) before each."""
    runs = []
    for _ in range(repeats):
        if before:
            before()
        runs.append(measure(cmd, **kw))
    return {"seconds": statistics.median(r["seconds"] for r in runs),
            "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
            "all_seconds": [round(r["seconds"], 3) for r in runs],
            "peak_mb": max(r["peak_mb"] for r in runs), "rc": runs[-1]["rc"],
            "out": runs[-1]["out"]}


def rm(*paths):
    for p in paths:
        p = Path(p)
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()


# ---------------------------------------------------------------- the baselines

def write_peer_package(data_dir):
    """datapackage.json beside the CSVs, schemas inlined, for frictionless."""
    desc = datapackage.load_descriptor()
    for res in desc["resources"]:
        res["path"] = f"{res['name']}.csv"
        res["schema"] = datapackage.load_schema(datapackage.DESCRIPTOR.parent / res["schema"])
    path = Path(data_dir) / "datapackage.json"
    path.write_text(json.dumps(desc, indent=1), encoding="utf-8")
    return path


def floor_script(data_dir, path):
    """A sqlite3 CLI script: typed tables with their primary keys, then .import."""
    lines = []
    for res in datapackage.resources(data_dir=data_dir):
        cols = ", ".join(f'"{f.name}" {SQL_TYPES.get(f.type, "TEXT")}' for f in res.fields)
        pk = ", ".join(f'"{k}"' for k in res.primary_key)
        lines.append(f'CREATE TABLE "{res.name}" ({cols}, PRIMARY KEY ({pk}));')
    lines.append(".mode csv")
    for res in datapackage.resources(data_dir=data_dir):
        lines.append(f'.import --skip 1 "{res.path}" "{res.name}"')
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def peer_insert_cmds(data_dir, db):
    sqlite_utils = str(Path(PY).with_name("sqlite-utils"))
    cmds = []
    for res in datapackage.resources(data_dir=data_dir):
        cmd = [sqlite_utils, "insert", str(db), res.name, str(res.path), "--csv"]
        for k in res.primary_key:
            cmd += ["--pk", k]
        cmds.append(cmd)
    return cmds


def run_peer(data_dir, work, repeats):
    """frictionless validate the package, then sqlite-utils insert --csv table by table."""
    pkg = write_peer_package(data_dir)
    frictionless = str(Path(PY).with_name("frictionless"))
    fl = repeated([frictionless, "validate", str(pkg)], repeats)
    db = work / "peer.db"
    ins_runs = []
    for _ in range(repeats):
        rm(db)
        total, cpu, peak, rc = 0.0, 0.0, 0.0, 0
        for cmd in peer_insert_cmds(data_dir, db):
            r = measure(cmd)
            total += r["seconds"]
            cpu += r["cpu_seconds"]
            peak = max(peak, r["peak_mb"])
            rc = rc or r["rc"]
        ins_runs.append((total, peak, rc, cpu))
    ins = {"seconds": statistics.median(t for t, _, _, _ in ins_runs),
           "cpu_seconds": statistics.median(c for _, _, _, c in ins_runs),
           "peak_mb": max(p for _, p, _, _ in ins_runs), "rc": ins_runs[-1][2]}
    return {"frictionless": fl, "insert": ins,
            "seconds": fl["seconds"] + ins["seconds"],
            "cpu_seconds": fl["cpu_seconds"] + ins["cpu_seconds"],
            "peak_mb": max(fl["peak_mb"], ins["peak_mb"]), "rc": fl["rc"] or ins["rc"],
            "db_mb": db.stat().st_size / 1e6 if db.exists() else None}


# ---------------------------------------------------------------- the pipeline at one size

def pipeline(n, data_dir, work, repeats, skip=()):
    res = {"persons": n}
    res["rows"] = {p.stem: sum(1 for _ in open(p, "rb")) - 1 for p in sorted(data_dir.glob("*.csv"))}
    res["csv_mb"] = sum(p.stat().st_size for p in data_dir.glob("*.csv")) / 1e6
    res["validate"] = repeated([PY, "-m", "registry.validate", "--data-dir", str(data_dir)], repeats)
    db = work / "political_prisoners.db"
    res["build"] = repeated([PY, "-m", "registry.build", "--data-dir", str(data_dir), "--out", str(db)],
                            repeats)
    res["build"]["db_mb"] = db.stat().st_size / 1e6 if db.exists() else None
    floor_db = work / "floor.db"
    script = floor_script(data_dir, work / "floor.sql")
    res["floor"] = repeated(["sqlite3", str(floor_db)], repeats, before=lambda: rm(floor_db),
                            stdin=script)
    res["floor"]["db_mb"] = floor_db.stat().st_size / 1e6 if floor_db.exists() else None
    if "peer" not in skip:
        res["peer"] = run_peer(data_dir, work, repeats)
    if "csvs-to-sqlite" not in skip and CSVS_TO_SQLITE.exists():
        c2s_db = work / "c2s.db"
        csvs = [str(data_dir / f"{r.name}.csv") for r in datapackage.resources(data_dir=data_dir)]
        res["csvs_to_sqlite"] = repeated([str(CSVS_TO_SQLITE)] + csvs + [str(c2s_db)], repeats,
                                         before=lambda: rm(c2s_db))
        res["csvs_to_sqlite"]["db_mb"] = c2s_db.stat().st_size / 1e6 if c2s_db.exists() else None
    if (ROOT / "registry" / "release.py").exists():
        downloads = work / "downloads"
        res["release"] = repeated([PY, "-m", "registry.release", "--data-dir", str(data_dir),
                                   "--out", str(downloads)], 1, before=lambda: rm(downloads))
    for key in ("validate", "build", "floor", "csvs_to_sqlite", "release"):
        if key in res and res[key]["rc"] != 0:
            print(f"  ! {key} exited {res[key]['rc']}: {res[key]['out'][-500:]}", file=sys.stderr)
    return res


# ---------------------------------------------------------------- serving

# The response cache is a serving choice like the settings: the stock baseline runs
# without it, with every other plugin (the pages need them) and the same templates.
NOT_STOCK = {"response_cache.py"}


def stock_plugins_dir(work):
    folder = Path(work) / "stock-plugins"
    rm(folder)
    folder.mkdir(parents=True)
    for plugin in sorted(serve.PLUGINS_DIR.glob("*.py")):
        if plugin.name not in NOT_STOCK:
            (folder / plugin.name).symlink_to(plugin)
    return folder


class Server:
    """A Datasette subprocess on 127.0.0.1, production (registry.serve) or stock settings."""

    def __init__(self, db, stock=False):
        self.db, self.stock, self.port = Path(db), stock, serve.free_port()

    def __enter__(self):
        if self.stock:
            from registry import metadata as md
            meta = self.db.with_name("metadata-stock.json")
            meta.write_text(json.dumps(md.render(self.db), ensure_ascii=False), encoding="utf-8")
            from registry.serve import TEMPLATES_DIR
            cmd = [PY, "-m", "datasette", "serve", str(self.db), "--metadata", str(meta),
                   "--host", "127.0.0.1", "--port", str(self.port),
                   "--plugins-dir", str(stock_plugins_dir(self.db.parent))]
            if TEMPLATES_DIR.exists():
                cmd += ["--template-dir", str(TEMPLATES_DIR)]
        else:
            cmd = [PY, "-m", "registry.serve", "--db", str(self.db), "--port", str(self.port)]
        log_path = self.db.with_name(f"serve-{'stock' if self.stock else 'prod'}.log")
        with open(log_path, "wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        serve.wait_until_answering(self.proc, f"http://127.0.0.1:{self.port}", log_path, timeout=300)
        return self

    def rss_mb(self):
        """Peak RSS of the server so far: VmHWM of its process (datasette may exec, same
        pid) plus that of each child (uvicorn's worker processes), an upper bound."""
        total = 0
        for pid in serve.process_tree(self.proc.pid):
            try:
                for line in open(f"/proc/{pid}/status"):
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
            except OSError:
                continue
        return total / 1024 if total else None

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


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


def pct(values, q):
    values = sorted(values)
    if not values:
        return None
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def pages(db):
    """The default pages to time: name -> path."""
    import sqlite3

    import yaml
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    pid = conn.execute("SELECT person_id FROM persons ORDER BY rowid LIMIT 1").fetchone()[0]
    article = conn.execute("SELECT article_id FROM person_charges GROUP BY article_id "
                           "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    conn.close()
    meta = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8")) or {}
    base = f"/{DB_NAME}"
    out = {
        "home": "/",
        "persons (default facets)": f"{base}/persons",
        "persons.json (default facets)": f"{base}/persons.json",
        "facet by charge (_facet_array)": f"{base}/persons?_facet_array=charges&_facet=status",
        "filter by a charge": f"{base}/persons?charges__arraycontains={article}",
        "person_charges facet article_id": f"{base}/person_charges?_facet=article_id",
        "search": f"{base}/persons?_search=mammadov",
        "person page": f"{base}/persons/{pid}",
        "saved query": f"{base}/conflicting_claims",
    }
    dashboards = ((meta.get("plugins") or {}).get("datasette-dashboards") or {})
    if dashboards:
        out["dashboard"] = f"/-/dashboards/{next(iter(dashboards))}"
    return out


def missing_facets(path, body):
    """Facets a table JSON page was asked for (metadata and _facet* arguments) but omits.

    Datasette 0.65 leaves a facet that timed out out of the JSON without saying so.
    """
    import yaml
    from urllib.parse import parse_qsl, urlsplit
    parts = urlsplit(path)
    table = parts.path.rsplit("/", 1)[-1].removesuffix(".json")
    meta = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8")) or {}
    conf = ((meta.get("databases") or {}).get(DB_NAME, {}).get("tables") or {}).get(table) or {}
    wanted = {f if isinstance(f, str) else next(iter(f.values())) for f in conf.get("facets") or []}
    wanted |= {v for k, v in parse_qsl(parts.query) if k.startswith("_facet")}
    got = set(json.loads(body).get("facet_results") or {})
    return sorted(wanted - got)


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
            if path.split("?")[0].endswith(".json") and status == 200:
                timed_out = missing_facets(path, body)
            elif status == 200 and b"These facets timed out" in body:
                timed_out = re.findall(rb"These facets timed out: ([^<]*)", body)[0].decode().strip()
        out[name] = {"path": path, "p50_ms": pct(times, 0.5), "p95_ms": pct(times, 0.95),
                     "status": sorted(map(str, statuses)), "facets_timed_out": timed_out}
    conn.close()
    return out


# wrk's two threads walk a list of paths, each from its own end of the interleave, so
# that no path is asked twice before every path has been asked once. Each thread counts
# the pages that say a facet timed out; done() reaches them through setup()'s threads.
MIX_SCRIPT = """
local threads, all = 0, {}
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
  table.insert(all, thread)
end
function init(args)
  paths, n, facet_timeouts = {}, 0, 0
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
end
function request()
  local path = paths[((n * 2 + id) % #paths) + 1]
  n = n + 1
  return wrk.format("GET", path)
end
function response(status, headers, body)
  if body and body:find("These facets timed out", 1, true) then
    facet_timeouts = facet_timeouts + 1
  end
end
function done()
  local total = 0
  for _, t in ipairs(all) do total = total + t:get("facet_timeouts") end
  io.write("facet timeouts: " .. total .. "\\n")
end
"""


def wrk(port, path, seconds, connections=16, headers=None, paths_file=None):
    """Requests/s at `connections` connections for `seconds` (wrk, 2 threads).

    With paths_file, the requests go through its paths in turn instead of to path.
    """
    if not shutil.which("wrk"):
        return None
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    if paths_file:
        script = Path(paths_file).with_suffix(".lua")
        script.write_text(MIX_SCRIPT, encoding="utf-8")
        cmd += ["-s", str(script)]
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


def mixed_paths(db, count=3000):
    """Distinct pages a crowd of readers might open, in a fixed shuffled order.

    Person pages (60%), the persons table filtered by a category, a status or a charge,
    or both (20%), searches (10%) and the same as JSON (10%): more paths than a 10 s run
    can ask for, so that every request is the first for its path and is rendered.
    """
    import random
    import sqlite3
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    base = f"/{DB_NAME}/persons"
    people = [r[0] for r in conn.execute("SELECT person_id FROM persons ORDER BY rowid LIMIT ?",
                                         [count])]
    cats = [r[0] for r in conn.execute("SELECT DISTINCT category FROM persons ORDER BY 1")]
    statuses = [r[0] for r in conn.execute("SELECT DISTINCT status FROM persons ORDER BY 1")]
    articles = [r[0] for r in conn.execute("SELECT DISTINCT article_id FROM person_charges ORDER BY 1")]
    words = [r[0] for r in conn.execute(
        "SELECT DISTINCT lower(substr(name, 1, instr(name || ' ', ' ') - 1)) FROM persons "
        "ORDER BY 1 LIMIT 400")]
    conn.close()
    filtered = ([f"{base}?category={c}" for c in cats] + [f"{base}?status={s}" for s in statuses]
                + [f"{base}?charges__arraycontains={a}" for a in articles]
                + [f"{base}?category={c}&status={s}" for c in cats for s in statuses]
                + [f"{base}?category={c}&charges__arraycontains={a}" for c in cats for a in articles])
    rng = random.Random(1)
    rng.shuffle(filtered)
    searches = [f"{base}?_search={w}" for w in words if w.isalpha()]
    paths = ([f"{base}/{p}" for p in people[:int(count * 0.6)]] + filtered[:int(count * 0.2)]
             + searches[:int(count * 0.1)])
    paths += [p.replace("?", ".json?", 1) if "?" in p else p + ".json"
              for p in paths[:count - len(paths)]]
    rng.shuffle(paths)
    return [p.replace(" ", "%20") for p in paths]


def load(port, path, json_path, seconds, headers=None):
    """wrk on path, while one client checks the JSON for facets that timed out under load.

    The probe always asks for a fresh render: a facet can only time out while a page
    is being rendered, and a cached page was rendered before the load began.
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


def serving(db, requests, load_seconds, stock_requests, csv_timeout=300):
    paths = pages(db)
    mix = mixed_paths(db)
    mix_file = Path(db).with_name("mixed-paths.txt")
    mix_file.write_text("\n".join(mix) + "\n", encoding="utf-8")
    out = {}
    for stock in (False, True):
        key = "stock" if stock else "production"
        try:
            with Server(db, stock=stock) as srv:
                n = stock_requests if stock else requests
                lat = latency(srv.port, paths, n)
                # Production answers repeated pages from memory; its render path is
                # measured too, every request rendered afresh.
                rendered = None if stock else latency(srv.port, paths, n, headers=serve.RENDER_AFRESH)
                tp = load(srv.port, paths["persons (default facets)"],
                          paths["persons.json (default facets)"], load_seconds)
                tp_json = wrk(srv.port, paths["persons.json (default facets)"], load_seconds)
                tp_rendered = None if stock else load(
                    srv.port, paths["persons (default facets)"],
                    paths["persons.json (default facets)"], load_seconds, headers=serve.RENDER_AFRESH)
                tp_mix = wrk(srv.port, "/", load_seconds, paths_file=mix_file)
                # One full CSV export, bounded.
                csv_path = f"/{DB_NAME}/persons.csv?_stream=on&_size=max"
                try:
                    status, body, secs = get(srv.port, csv_path, timeout=csv_timeout)
                    export = {"seconds": secs, "mb": len(body) / 1e6, "status": status,
                              "rows": body.count(b"\n") - 1}
                except (OSError, http.client.HTTPException) as e:
                    export = {"error": str(e)}
                static = None
                if not stock and (ROOT / "build" / "downloads" / "persons.csv").exists():
                    try:
                        s_times = []
                        for _ in range(5):
                            status, body, secs = get(srv.port, "/downloads/persons.csv", timeout=60)
                            s_times.append(secs * 1000)
                        static = {"p50_ms": pct(s_times, 0.5), "status": status,
                                  "mb": len(body) / 1e6,
                                  "note": "build/downloads of the real data, served by the same process"}
                    except OSError as e:
                        static = {"error": str(e)}
                out[key] = {"workers": 1 if stock else serve.DEFAULT_WORKERS,
                            "latency": lat, "latency_rendered": rendered, "load_html": tp,
                            "load_json": tp_json, "load_html_rendered": tp_rendered,
                            "load_mix": tp_mix, "mix_paths": len(mix),
                            "csv_export": export, "static_download": static,
                            "server_peak_mb": srv.rss_mb()}
        except RuntimeError as e:
            out[key] = {"error": str(e)}
    return out


# ---------------------------------------------------------------- bad-input agreement

FATAL = ("is not valid UTF-8", "cannot be parsed as CSV", "file is missing", "file is empty")


def our_errors(report):
    """(file, line) of each error, and the files whose rows we could not read at all."""
    ours = {(Path(p.path).name, p.line) for p in report.errors}
    fatal = {Path(p.path).name for p in report.errors
             if p.line in (None, 1) or any(f in p.message for f in FATAL)}
    return ours, fatal


def explained(file, row, kind, ours, fatal):
    """Whether our errors account for an error frictionless reports at (file, row).

    The same row; or, for a file-level fault (row None), any error in that file. Where
    we stop at a file-level fault (encoding, broken quoting, missing file or column,
    unknown or duplicate column) we read no further rows of that file, so frictionless's
    follow-on errors in its rows are consequences of the one fault we report, and so are
    its foreign-key and file-level errors in the files that refer to it (frictionless
    repeats a parent's encoding error in every child table).
    """
    if (file, row) in ours or (row is None and any(f == file for f, _ in ours)):
        return True
    if file in fatal:
        return True
    return bool(fatal) and (row is None or kind == "foreign-key")


def fixture_agreement():
    """For each tests/fixtures/bad case: does frictionless reject, do we, and at which rows."""
    import tempfile

    from registry import validate
    from frictionless import Package, system
    from tests.test_validate import overlay  # the same overlay the validator tests use
    fixtures = ROOT / "tests" / "fixtures"
    out = {}
    for case in sorted(p for p in (fixtures / "bad").iterdir() if p.is_dir()):
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            shutil.copytree(fixtures / "minimal", data)
            overlay(case, data)
            pkg_path = write_peer_package(data)
            with system.use_context(trusted=True):
                report = Package(str(pkg_path)).validate()
            theirs = {(Path(task.place).name, getattr(err, "row_number", None), err.type)
                      for task in report.tasks for err in task.errors}
            rep = validate.check(data)
            ours, fatal = our_errors(rep)
            missed = sorted(f"{f}:{r}" for f, r, k in theirs if not explained(f, r, k, ours, fatal))
            out[case.name] = {"frictionless_rejects": not report.valid,
                              "ours_rejects": rep.error_count > 0,
                              "frictionless_rows": sorted({f"{f}:{r}" for f, r, _ in theirs}),
                              "missed_by_ours": missed}
    return out


# ---------------------------------------------------------------- machine and report

def machine():
    def cmd(args):
        try:
            return subprocess.run(args, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "?"
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), "?")
    mem = next((int(line.split()[1]) // 1024 for line in open("/proc/meminfo")
                if line.startswith("MemTotal")), 0)
    import sqlite3
    versions = {"python": platform.python_version(), "sqlite (python)": sqlite3.sqlite_version,
                "sqlite3 CLI": cmd(["sqlite3", "--version"]).split(" ")[0]}
    for dist in ("datasette", "sqlite-utils", "frictionless"):
        try:
            from importlib.metadata import version
            versions[dist] = version(dist)
        except Exception:
            versions[dist] = "?"
    if CSVS_TO_SQLITE.exists():
        versions["csvs-to-sqlite"] = cmd([str(CSVS_TO_SQLITE), "--version"]).split()[-1]
    versions["wrk"] = (cmd(["wrk", "--version"]).split("\n")[0] or "?")[:40]
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_mb": mem, "versions": versions,
            "loadavg_start": os.getloadavg(), "date": datetime.datetime.now().isoformat(timespec="seconds")}


def fmt(x, unit="", digits=1):
    if x is None:
        return "–"
    return f"{x:.{digits}f}{unit}"


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "–"


def cpu_ratio(a, b):
    if a.get("cpu_seconds") and b.get("cpu_seconds"):
        return f" (CPU {a['cpu_seconds'] / b['cpu_seconds']:.2f}×)"
    return ""


def report_markdown(results):
    lines = []
    m = results["machine"]
    lines += [f"Measured {m['date']} on {m['nproc']} cores ({m['cpu']}), {m['ram_mb']} MB RAM, "
              f"load average at start {', '.join(f'{x:.2f}' for x in m['loadavg_start'])}.",
              "Versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".",
              f"Command: `{results['command']}`. Timings are medians of {results['repeats']} runs "
              "per step unless the row says otherwise; peak memory is the step process's own "
              "maximum RSS (GNU time); CPU is user + system time of the step, which other work on "
              "a shared machine disturbs less than wall time."]
    if results.get("serve_command"):
        sm = results.get("serve_machine") or {}
        lines.append(f"Serving measured again with `{results['serve_command']}` on "
                     f"{sm.get('date', '?')}, load average at start "
                     f"{', '.join(f'{x:.2f}' for x in sm.get('loadavg_start', []))}.")
    lines += ["", "### Load: time and peak memory", "",
              "| persons | rows | CSV MB | our validate | our build (validates too) | floor: sqlite3 .import "
              "| peer: frictionless + sqlite-utils | csvs-to-sqlite | peer ÷ our build | our build ÷ floor |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for s in results["sizes"]:
        def cell(step):
            r = s.get(step)
            if not r:
                return "not run"
            bad = "" if r.get("rc") == 0 else f" (exit {r.get('rc')})"
            cpu = f" (CPU {fmt(r['cpu_seconds'], ' s')})" if r.get("cpu_seconds") is not None else ""
            return f"{fmt(r['seconds'], ' s')}{cpu} / {fmt(r['peak_mb'], ' MB', 0)}{bad}"
        peer = s.get("peer")
        runs = s.get("repeats")
        once = f" ({runs} run{'s' if runs != 1 else ''})" if runs and runs != results["repeats"] else ""
        lines.append(
            f"| {label(s['persons'])}{once} | {sum(s['rows'].values()):,} | {fmt(s['csv_mb'])} | {cell('validate')} "
            f"| {cell('build')} | {cell('floor')} | {cell('peer')} | {cell('csvs_to_sqlite')} "
            f"| {ratio(peer['seconds'], s['build']['seconds']) if peer else '–'}"
            f"{cpu_ratio(peer, s['build']) if peer else ''} "
            f"| {ratio(s['build']['seconds'], s['floor']['seconds'])}"
            f"{cpu_ratio(s['build'], s['floor'])} |")
    lines += ["", "Peer path split (frictionless validate / sqlite-utils insert), database sizes, "
              "release downloads:", "",
              "| persons | frictionless | sqlite-utils insert | DB MB: ours / floor / peer / csvs-to-sqlite "
              "| release (zip + CSVs) |", "|---|---|---|---|---|"]
    for s in results["sizes"]:
        peer = s.get("peer") or {}
        fl, ins = peer.get("frictionless"), peer.get("insert")
        rel = s.get("release")
        lines.append(
            f"| {label(s['persons'])} | {fmt(fl and fl['seconds'], ' s')} / {fmt(fl and fl['peak_mb'], ' MB', 0)} "
            f"| {fmt(ins and ins['seconds'], ' s')} / {fmt(ins and ins['peak_mb'], ' MB', 0)} "
            f"| {fmt(s['build'].get('db_mb'))} / {fmt(s['floor'].get('db_mb'))} / {fmt(peer.get('db_mb'))} / "
            f"{fmt((s.get('csvs_to_sqlite') or {}).get('db_mb'))} "
            f"| {fmt(rel and rel['seconds'], ' s') if rel and rel['rc'] == 0 else ('failed' if rel else '–')} |")
    served = ([results["real"]] if results.get("real") else []) + [
        s for s in results["sizes"] if s.get("serving")]
    if served:
        lines += ["", "### Serving: warm latency, one client (ms, p50 / p95)", "",
                  "Production answers a page it has rendered before from memory (cached); "
                  "rendered is the same server asked to render every request afresh "
                  "(`Cache-Control: no-cache`), which is what a page costs the first time. "
                  "Stock: Datasette's default settings, without the response cache."]
        workers = {(s["serving"].get("production") or {}).get("workers") for s in served} - {None}
        if workers:
            lines.append(f"Production runs {', '.join(map(str, sorted(workers)))} worker "
                         "process(es) (`registry/serve.py`, one per core); stock runs one "
                         "(`datasette serve`).")
        lines.append("")
        names = list(served[0]["serving"]["production"].get("latency", {}).keys())
        modes = (("production", "latency", "cached"), ("production", "latency_rendered", "rendered"),
                 ("stock", "latency", "stock"))
        header = "| page | " + " | ".join(f"{slabel(s)} {title}" for s in served
                                           for _, _, title in modes) + " |"
        lines += [header, "|---|" + "---|" * (len(served) * len(modes))]
        for name in names:
            row = [name]
            for s in served:
                for key, field, _ in modes:
                    lat = ((s["serving"].get(key) or {}).get(field) or {}).get(name)
                    if not lat:
                        row.append("–")
                        continue
                    bad = "" if lat["status"] == ["200"] else f" (HTTP {','.join(lat['status'])})"
                    to = f" timed out: {lat['facets_timed_out']}" if lat.get("facets_timed_out") else ""
                    row.append(f"{fmt(lat['p50_ms'], '', 0)} / {fmt(lat['p95_ms'], '', 0)}{bad}{to}")
            lines.append("| " + " | ".join(row) + " |")
        lines += ["", "### Serving: throughput at 16 connections, CSV export, memory", "",
                  "Requests per second with wrk (2 threads, 16 connections, bounded duration). "
                  "*One page*: every request for the persons page with its default facets, "
                  "as when a story links to it. *Rendered*: the same, each rendered afresh. "
                  "*Distinct pages*: a shuffled list of person pages, filtered and searched "
                  "persons pages and their JSON, each asked once before any is asked again "
                  "(the requests column says whether the run got through the list). Facet timeouts "
                  "are counted by a probe client asking for fresh renders of persons.json during "
                  "the one-page runs, and in every HTML page of the distinct-pages run.", "",
                  "| persons | settings | one page (HTML) | one page rendered | persons.json "
                  "| distinct pages: req/s (requests / paths) | non-2xx | facets timed out under "
                  "load | full persons CSV export | server peak RSS |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for s in served:
            for key in ("production", "stock"):
                r = s["serving"].get(key) or {}
                if "error" in r:
                    lines.append(f"| {slabel(s)} | {key} | error: {r['error']} |||||||")
                    continue
                h, j, e = r.get("load_html") or {}, r.get("load_json") or {}, r.get("csv_export") or {}
                hr, mx = r.get("load_html_rendered") or {}, r.get("load_mix") or {}
                probes = [x.get("probe") or {} for x in (h, hr) if x]
                timeouts = (f"{sum(p.get('timed_out', 0) for p in probes)} of "
                            f"{sum(p.get('requests', 0) for p in probes)} probes"
                            + "".join(f" {p['facets']}" for p in probes if p.get("facets"))
                            + (f"; {mx['facet_timeouts']} of {mx.get('requests')} distinct pages"
                               if mx.get("facet_timeouts") is not None else ""))
                exp = (f"{fmt(e.get('seconds'), ' s')} for {fmt(e.get('mb'), ' MB')}"
                       if "seconds" in e else e.get("error", "–"))
                mix = (f"{fmt(mx.get('rps'))} ({mx.get('requests', '–')} / {r.get('mix_paths', '–')})"
                       if mx else "–")
                non2xx = " / ".join(str(x.get("non_2xx", "–")) for x in (h, j, mx) if x)
                lines.append(
                    f"| {slabel(s)} | {key} | {fmt(h.get('rps'))} | {fmt(hr.get('rps'))} "
                    f"| {fmt(j.get('rps'))} | {mix} | {non2xx} "
                    f"| {timeouts} | {exp} | {fmt(r.get('server_peak_mb'), ' MB', 0)} |")
            st = (s["serving"].get("production") or {}).get("static_download")
            if st and "p50_ms" in st:
                lines.append(f"| {slabel(s)} | static download | "
                             f"/downloads/persons.csv: {fmt(st['p50_ms'], ' ms')} p50 for "
                             f"{fmt(st['mb'], ' MB', 2)} ({st['note']}) |||||||||")
    agree = results.get("fixtures")
    if agree:
        lines += ["", "### Bad-input fixtures: peer path vs ours", "",
                  "| fixture | frictionless rejects | ours rejects | rows frictionless flags "
                  "| flagged by frictionless, not by ours |", "|---|---|---|---|---|"]
        for name, a in agree.items():
            lines.append(f"| {name} | {'yes' if a['frictionless_rejects'] else 'no'} "
                         f"| {'yes' if a['ours_rejects'] else 'no'} "
                         f"| {', '.join(a['frictionless_rows']) or '–'} "
                         f"| {', '.join(a['missed_by_ours']) or 'none'} |")
    return "\n".join(lines)


def write_doc(markdown):
    DOC.parent.mkdir(parents=True, exist_ok=True)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else (
        "# Performance\n\nRun `make bench` to fill in the results below.\n\n")
    block = f"{BEGIN}\n{markdown}\n{END}"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## Results\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def print_table(results):
    print(report_markdown(results))


def serve_real(results, out, skip, args):
    """Serve the real registry (build/political_prisoners.db, from make build), if built."""
    real_db = ROOT / "build" / "political_prisoners.db"
    if "real" not in skip and "serve" not in skip and real_db.exists():
        import sqlite3
        persons = sqlite3.connect(f"file:{real_db}?mode=ro", uri=True).execute(
            "SELECT count(*) FROM persons").fetchone()[0]
        work = out / "real"
        work.mkdir(parents=True, exist_ok=True)
        shutil.copy2(real_db, work / "political_prisoners.db")
        print(f"== the real registry ({persons} persons): serving", file=sys.stderr)
        results["real"] = {"persons": persons, "label": f"real data ({persons})", "serving": serving(
            work / "political_prisoners.db", args.requests, args.load_seconds, max(3, args.requests // 3))}
        (out / "results.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


def serve_again(out, serve_sizes, skip, args, command):
    """--serve-only: serving measured again on the databases of the run in out/results.json."""
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    results["serve_command"] = command
    results["serve_machine"] = machine()
    serve_real(results, out, skip, args)
    for res in results["sizes"]:
        db = out / label(res["persons"]) / "political_prisoners.db"
        if res["persons"] in serve_sizes and db.exists():
            print(f"== {label(res['persons'])} persons: serving", file=sys.stderr)
            res["serving"] = serving(db, args.requests, args.load_seconds, max(3, args.requests // 3))
            (out / "results.json").write_text(json.dumps(results, indent=1, default=str),
                                              encoding="utf-8")
    md = report_markdown(results)
    print(md)
    if not args.no_doc:
        write_doc(md)
    return 0


def combine(out_dirs):
    """One report from several runs' results.json (such as 1k-100k, and 1M run apart).

    The first run gives the machine, the real data's serving and the fixtures; every
    size any run measured is kept once, the later run's figures winning.
    """
    runs = [json.loads((Path(d) / "results.json").read_text(encoding="utf-8")) for d in out_dirs]
    results = dict(runs[0])
    sizes = {}
    for run in runs:
        for size in run["sizes"]:
            sizes[size["persons"]] = size
    results["sizes"] = [sizes[n] for n in sorted(sizes)]
    results["command"] = "; ".join(f"`{r['command']}`" for r in runs).strip("`")
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k,100k",
                        help="persons per synthetic registry, such as 1k,10k,100k,1M")
    parser.add_argument("--serve-sizes", default=None,
                        help="sizes to serve and load-test (default: every size up to 100k)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per step (median reported)")
    parser.add_argument("--large-repeats", type=int, default=1,
                        help="runs per step at 100k persons and above")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--load-seconds", type=int, default=10, help="wrk duration per run")
    parser.add_argument("--skip", default="", help="comma-separated: peer,csvs-to-sqlite,serve,fixtures")
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true",
                        help="tiny and fast, for the tests: 200 persons, one run, short load")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/performance.md")
    parser.add_argument("--report-from", default=None,
                        help="comma-separated --out folders of earlier runs: write one report "
                             "from their results, measuring nothing")
    parser.add_argument("--serve-only", action="store_true",
                        help="measure serving again on the databases a previous run built in --out, "
                             "keeping that run's pipeline results")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeats, args.requests, args.load_seconds = "200", 1, 3, 1
    sizes = [parse_size(s) for s in args.sizes.split(",") if s]
    serve_sizes = ([parse_size(s) for s in args.serve_sizes.split(",") if s]
                   if args.serve_sizes is not None else [n for n in sizes if n <= 100000])
    skip = set(filter(None, args.skip.split(",")))
    if args.quick:
        skip.add("real")
    out = Path(args.out)
    command = "python -m tools.perf.bench " + " ".join(argv or sys.argv[1:])
    if args.report_from:
        md = report_markdown(combine(args.report_from.split(",")))
        print(md)
        if not args.no_doc:
            write_doc(md)
        return 0
    if args.serve_only:
        return serve_again(out, serve_sizes, skip, args, command)
    results = {"machine": machine(), "command": command, "repeats": args.repeats, "sizes": []}
    if "fixtures" not in skip:
        results["fixtures"] = fixture_agreement()
    serve_real(results, out, skip, args)
    for n in sizes:
        work = out / label(n)
        data = work / "data"
        marker = work / "data.ok"
        if not (marker.exists() and marker.read_text() == f"{n} {args.seed}"):
            rm(work)
            start = time.perf_counter()
            synthetic.generate(n, data, args.seed)
            marker.write_text(f"{n} {args.seed}")
            print(f"generated {label(n)} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        repeats = args.repeats if n < 100000 else min(args.repeats, args.large_repeats)
        print(f"== {label(n)} persons: pipeline ({repeats} run(s) per step)", file=sys.stderr)
        res = pipeline(n, data, work, repeats, skip)
        res["repeats"] = repeats
        if n in serve_sizes and "serve" not in skip and res["build"]["rc"] == 0:
            print(f"== {label(n)} persons: serving", file=sys.stderr)
            res["serving"] = serving(work / "political_prisoners.db", args.requests, args.load_seconds,
                                     max(3, args.requests // 3))
        results["sizes"].append(res)
        (out / "results.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    md = report_markdown(results)
    print(md)
    if not args.no_doc:
        write_doc(md)
    return 0 if all(s["build"]["rc"] == 0 for s in results["sizes"]) else 1


if __name__ == "__main__":
    sys.exit(main())
