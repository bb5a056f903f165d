"""Serve the built database with Datasette, as the public instance runs it.

Refuses to start on a missing or corrupt database with a message that says what to
do, instead of letting Datasette fail on the first request.

With more than one worker (the default on a machine with more than one core), the
same Datasette runs in several uvicorn worker processes on one socket (registry/server/asgi.py),
because one Datasette process renders pages on one core only.

Usage: python -m registry.serve [--db PATH] [--host 127.0.0.1] [--port 8001] [--workers N]
"""
import argparse
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from . import metadata, datapackage, release
from .server import asgi
from .build import DEFAULT_DB

# Settings for a public, read-only instance. suggest_facets costs every table page a
# scan of every column; the time limits stop a runaway query from holding a thread.
# A facet gets the same limit as the page's own query: with 500 ms, 16 readers of
# filtered pages at 100k persons made 17 of 70 pages lose a facet (each facet query
# takes 100-200 ms alone, and 4 SQL threads share 2 cores), and the work done until
# the limit was thrown away; with 1500 ms none did, at the same throughput.
SETTINGS = {
    "suggest_facets": "off",
    "sql_time_limit_ms": "1500",
    "facet_time_limit_ms": "1500",
    "max_returned_rows": "2000",
    "default_page_size": "50",
    "num_sql_threads": "4",
    "default_cache_ttl": "300",
    "allow_download": "on",
    "max_csv_mb": "50",
}
PLUGINS_DIR = datapackage.ROOT / "plugins"
TEMPLATES_DIR = datapackage.ROOT / "templates"
STATIC_DIR = datapackage.ROOT / "static"
DOWNLOADS_DIR = release.DEFAULT_OUT


# One worker process per core, up to 4: each holds its own response cache (up to 128 MB).
DEFAULT_WORKERS = max(1, min(4, os.cpu_count() or 1))


# What plugins/response_cache.py answers to: a request with this header is rendered
# afresh (the benchmark and the load test measure the uncached path with it), and every
# response it passes says "hit" or "miss" in CACHE_HEADER.
RENDER_AFRESH = {"Cache-Control": "no-cache"}
CACHE_HEADER = "x-registry-cache"


class DatabaseProblem(Exception):
    pass


def check_database(db_path):
    """Raise DatabaseProblem unless db_path is a readable registry database."""
    path = Path(db_path)
    if not path.exists():
        raise DatabaseProblem(f"{path} does not exist; run `make build` first")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise DatabaseProblem(f"{path} is corrupt ({result}); rebuild it with `make build`")
            conn.execute("SELECT count(*) FROM registry_build").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise DatabaseProblem(f"{path} is not a readable SQLite database ({e}); delete it and "
                              "run `make build`") from e


def datasette_args(db_path, metadata_path, inspect_path, host, port):
    args = ["serve", "-i", str(db_path), "--inspect-file", str(inspect_path),
            "--metadata", str(metadata_path), "--host", host, "--port", str(port)]
    for name, value in SETTINGS.items():
        args += ["--setting", name, value]
    if PLUGINS_DIR.exists():
        args += ["--plugins-dir", str(PLUGINS_DIR)]
    if TEMPLATES_DIR.exists():
        args += ["--template-dir", str(TEMPLATES_DIR)]
    if STATIC_DIR.exists():
        args += ["--static", f"assets:{STATIC_DIR}"]
    if DOWNLOADS_DIR.exists():
        args += ["--static", f"downloads:{DOWNLOADS_DIR}"]
    return args


def runtime_dir(db_path):
    """Where the server's derived files go: a folder of this user's in the temporary
    directory, one per database path, reused across runs. Serving never writes beside
    the database, which may sit on a read-only volume."""
    import hashlib
    import tempfile
    key = hashlib.sha256(str(Path(db_path).resolve()).encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"registry-serve-{os.getuid()}" / key
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def prepare(db_path=DEFAULT_DB):
    """Check the database and write the metadata and inspect files for it."""
    check_database(db_path)
    db_path = Path(db_path)
    folder = runtime_dir(db_path)
    meta_path = metadata.write(db_path, folder / "metadata.json")
    inspect_path = folder / "inspect.json"
    tmp = folder / f".inspect.json.{os.getpid()}.tmp"
    subprocess.run([sys.executable, "-m", "datasette", "inspect", str(db_path),
                    "--inspect-file", str(tmp)], check=True)
    os.replace(tmp, inspect_path)  # see metadata.write: never a half-written file
    return meta_path, inspect_path


def free_port(host="127.0.0.1"):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def server_command(args, host, port, workers):
    """The command line that serves datasette_args with `workers` processes, and its env.

    One worker or several, the same runner: uvicorn with the slow-client guard
    (registry/server/run.py), serving the Datasette that Datasette's own command line
    would build (registry/server/asgi.py)."""
    env = dict(os.environ, **{asgi.ARGS_ENV: json.dumps(args)})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(datapackage.ROOT), env.get("PYTHONPATH")]))
    return [sys.executable, "-m", "registry.server.run", host, str(port), str(max(1, workers))], env


def process_tree(pid):
    """pid and every process below it (uvicorn's workers, their helpers), from /proc."""
    found, todo = [], [pid]
    while todo:
        pid = todo.pop()
        if pid in found:
            continue
        found.append(pid)
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def start_in_background(db_path, log_path, port=None, host="127.0.0.1", timeout=90, workers=None):
    """Run this module as a server process and wait until it answers.

    Returns (url, process). The log goes to a file: a pipe nobody reads fills up and
    stalls the server. Used by the tests, the load test and the benchmark.
    """
    port = port or free_port(host)
    cmd = [sys.executable, "-m", "registry.serve", "--db", str(db_path), "--host", host,
           "--port", str(port)] + (["--workers", str(workers)] if workers else [])
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=datapackage.ROOT, stdout=log, stderr=subprocess.STDOUT)
    return wait_until_answering(proc, f"http://{host}:{port}", log_path, timeout), proc


def wait_until_answering(proc, url, log_path, timeout=90):
    """Wait for a server process to answer at url; returns url, or raises with its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited:\n{Path(log_path).read_text(errors='replace')}")
        try:
            urllib.request.urlopen(url + "/-/versions.json", timeout=5)
            return url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"the server did not answer within {timeout} s (log: {log_path})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(DEFAULT_DB))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help=f"server processes (default here: {DEFAULT_WORKERS}, one per core)")
    args = parser.parse_args(argv)
    try:
        meta_path, inspect_path = prepare(args.db)
    except DatabaseProblem as e:
        print(f"serve: {e}", file=sys.stderr)
        return 1
    print(f"Serving the registry on http://{args.host}:{args.port}/ "
          f"({args.workers} worker{'s' if args.workers > 1 else ''})", file=sys.stderr)
    cmd, env = server_command(datasette_args(args.db, meta_path, inspect_path, args.host, args.port),
                              args.host, args.port, args.workers)
    os.execve(sys.executable, cmd, env)


if __name__ == "__main__":
    sys.exit(main())
