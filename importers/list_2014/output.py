"""Tables -> CSV files in the form data/ keeps: schema column order, rows sorted by
primary key, LF line ends, so that a diff against data/ shows only real changes."""
from __future__ import annotations

import csv
from pathlib import Path

from .repository import schema_fields


def write_tables(tables: dict[str, list[dict]], out_dir: str | Path) -> None:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        fields, pk = schema_fields(table)
        rows = sorted(rows, key=lambda r: tuple(r[k] for k in pk))
        with open(out_dir / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
            w.writeheader()
            for r in rows:
                w.writerow({k: r.get(k, "") for k in fields})
