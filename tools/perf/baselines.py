"""What our pipeline is compared with: the floor and the peers, on the same CSVs.

The floor is the sqlite3 CLI's .import into typed tables with their primary keys: no
checks at all, so nothing that loads this data can be much faster. The peer path is
what a Frictionless user would run: frictionless validate on the package, then
sqlite-utils insert --csv per table. csvs-to-sqlite is the older Datasette-family
loader; it pins old pandas and click, so it lives in a venv of its own (make bench).
"""
import json
import statistics
import sys
from pathlib import Path

from registry import datapackage

from .measure import ROOT, measure, repeated, rm

PY = sys.executable
CSVS_TO_SQLITE = ROOT / "build" / "c2s-venv" / "bin" / "csvs-to-sqlite"
SQL_TYPES = {"integer": "INTEGER", "boolean": "INTEGER", "number": "REAL", "year": "INTEGER"}


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
        # One process per table: the run's time is their sum, its peak the largest.
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


def run_csvs_to_sqlite(data_dir, work, repeats):
    """csvs-to-sqlite on the 14 CSVs into a fresh database each run."""
    c2s_db = work / "c2s.db"
    csvs = [str(data_dir / f"{r.name}.csv") for r in datapackage.resources(data_dir=data_dir)]
    res = repeated([str(CSVS_TO_SQLITE)] + csvs + [str(c2s_db)], repeats, before=lambda: rm(c2s_db))
    res["db_mb"] = c2s_db.stat().st_size / 1e6 if c2s_db.exists() else None
    return res
