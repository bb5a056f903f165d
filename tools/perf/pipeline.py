"""Our pipeline and its baselines at one size, each step measured in its own process."""
import sys

from registry.settings import DB_PATH

from .baselines import CSVS_TO_SQLITE, floor_script, run_csvs_to_sqlite, run_peer
from .measure import ROOT, repeated, rm

PY = sys.executable


def pipeline(n, data_dir, work, repeats, skip=()):
    res = {"persons": n}
    res["rows"] = {p.stem: sum(1 for _ in open(p, "rb")) - 1 for p in sorted(data_dir.glob("*.csv"))}
    res["csv_mb"] = sum(p.stat().st_size for p in data_dir.glob("*.csv")) / 1e6
    res["validate"] = repeated([PY, "-m", "registry.validate", "--data-dir", str(data_dir)], repeats)
    db = work / DB_PATH.name
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
        res["csvs_to_sqlite"] = run_csvs_to_sqlite(data_dir, work, repeats)
    if (ROOT / "registry" / "release.py").exists():
        downloads = work / "downloads"
        res["release"] = repeated([PY, "-m", "registry.release", "--data-dir", str(data_dir),
                                   "--out", str(downloads)], 1, before=lambda: rm(downloads))
    for key in ("validate", "build", "floor", "csvs_to_sqlite", "release"):
        if key in res and res[key]["rc"] != 0:
            print(f"  ! {key} exited {res[key]['rc']}: {res[key]['out'][-500:]}", file=sys.stderr)
    return res
