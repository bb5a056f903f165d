"""python -m importers.list_2014 PATH --out DIR"""
from __future__ import annotations

import argparse
import sys

from .build_tables import parse
from .output import write_tables
from .source import TABLES


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m importers.list_2014",
                                 description="Import the August 2014 list of political prisoners in Azerbaijan.")
    ap.add_argument("path", help="list-2014-08-political-prisoners-azerbaijan.html")
    ap.add_argument("--out", required=True, help="directory for the CSV files")
    args = ap.parse_args(argv)
    tables = parse(args.path)
    write_tables(tables, args.out)
    for t in TABLES:
        print(f"{t}: {len(tables[t])} rows", file=sys.stderr)
    return 0
