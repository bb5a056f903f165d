"""What the numbers were measured on: the machine and the versions, for both reports.

Timings mean little without the cores, the memory, the load at the start and the
versions of everything measured; each report prints them beside its figures.
"""
import datetime
import os
import platform
import sqlite3
import subprocess
from importlib import metadata as importlib_metadata
from pathlib import Path

from registry.serve import SETTINGS

from .baselines import CSVS_TO_SQLITE


def proc_field(path, key, default):
    """The value of the first `key: value` line of a /proc file, or default."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return default


def _output(args):
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def bench_machine():
    """The machine, the load average at the start, and every tool the benchmark compares."""
    mem_kb = proc_field("/proc/meminfo", "MemTotal", "0 kB").split()[0]
    versions = {"python": platform.python_version(), "sqlite (python)": sqlite3.sqlite_version,
                "sqlite3 CLI": _output(["sqlite3", "--version"]).split(" ")[0]}
    for dist in ("datasette", "sqlite-utils", "frictionless"):
        try:
            versions[dist] = importlib_metadata.version(dist)
        except Exception:
            versions[dist] = "?"
    if CSVS_TO_SQLITE.exists():
        versions["csvs-to-sqlite"] = _output([str(CSVS_TO_SQLITE), "--version"]).split()[-1]
    versions["wrk"] = (_output(["wrk", "--version"]).split("\n")[0] or "?")[:40]
    return {"nproc": os.cpu_count(), "cpu": proc_field("/proc/cpuinfo", "model name", "?"),
            "ram_mb": int(mem_kb) // 1024, "versions": versions,
            "loadavg_start": os.getloadavg(), "date": datetime.datetime.now().isoformat(timespec="seconds")}


def loadtest_machine(db_path):
    """The machine, the versions and the database the load test ran against."""
    mem_kb = proc_field("/proc/meminfo", "MemTotal", "unknown").split()[0]
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    persons = conn.execute("SELECT count(*) FROM persons").fetchone()[0]
    conn.close()
    return {
        "nproc": os.cpu_count(),
        "cpu": proc_field("/proc/cpuinfo", "model name", "unknown"),
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
