"""Write the corrections of a data release into CHANGELOG.md, from data/corrections.csv.

The CHANGELOG lists every value a release changed; this keeps that list and the data
file from drifting apart (a test compares them).

Usage: python -m registry.corrections_log [--release X.Y.Z] [--write]
"""
import argparse
import csv
import sys

from . import datapackage

CHANGELOG = datapackage.ROOT / "CHANGELOG.md"
START = "<!-- corrections:{release}:start -->"
END = "<!-- corrections:{release}:end -->"


def short(value, limit=60):
    value = " ".join(value.split())
    return value if len(value) <= limit else value[:limit] + "…"


def lines(release, path=datapackage.ROOT / "data" / "corrections.csv"):
    with open(path, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["release"] == release]
    out = []
    for r in sorted(rows, key=lambda r: (r["table_name"], r["row_key"], r["column_name"])):
        where = f"`{r['table_name']}` `{r['row_key']}`"
        if r["column_name"] == "_row":
            out.append(f"- {where}: row removed. {r['reason']}")
        else:
            out.append(f"- {where} `{r['column_name']}`: “{short(r['old_value'])}” → "
                       f"“{short(r['new_value'])}” (source `{r['source_id']}`)")
    return out


def section(release):
    body = "\n".join(lines(release)) or "- none"
    return f"{START.format(release=release)}\n{body}\n{END.format(release=release)}"


def current(release, changelog=CHANGELOG):
    text = changelog.read_text(encoding="utf-8")
    start, end = START.format(release=release), END.format(release=release)
    if start not in text:
        return None
    return start + text.split(start, 1)[1].split(end, 1)[0] + end


def write(release, changelog=CHANGELOG):
    text = changelog.read_text(encoding="utf-8")
    old = current(release, changelog)
    if old is None:
        raise SystemExit(f"{changelog.name} has no {START.format(release=release)} marker")
    changelog.write_text(text.replace(old, section(release)), encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", default=datapackage.version())
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    if args.write:
        write(args.release)
    else:
        print(section(args.release))
    return 0


if __name__ == "__main__":
    sys.exit(main())
