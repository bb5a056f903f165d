"""What the importer reads from the repository itself.

data/ is the only copy of article titles and case names and descriptions: they
are written once, in the registry's own words, and corrected there; the
importer takes them from data/ rather than keep a second copy to drift.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "data"
SCHEMA_DIR = REPO / "schema"


def _rows(table: str, data_dir: Path) -> list[dict]:
    with open(data_dir / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def data_rows(table: str, key: str, data_dir: Path = DATA_DIR) -> dict[str, dict]:
    """key -> row of data/<table>.csv."""
    return {r[key]: r for r in _rows(table, data_dir)}


def schema_fields(table: str) -> tuple[list[str], list[str]]:
    """Column names in the schema's order, and the primary key."""
    d = json.loads((SCHEMA_DIR / f"{table}.json").read_text(encoding="utf-8"))
    return [f["name"] for f in d["fields"]], d["primaryKey"]
