"""Render Datasette's metadata: metadata.yml plus what the schema and the database already say.

Table titles, descriptions and column descriptions come from schema/*.json, so they
are written once. The coverage figures in the home page text come from the built
database, so they can never disagree with the data.

Usage: python -m scripts.metadata [--db PATH] [--out PATH]
"""
import argparse
import html
import json
import sqlite3
from pathlib import Path

import yaml

from . import package
from .build import DEFAULT_DB, DERIVED_COLUMNS, METADATA

DATABASE = "political_prisoners"
LICENSE = {"license": "CC BY 4.0", "license_url": "https://creativecommons.org/licenses/by/4.0/"}


def coverage(db_path):
    """Figures for the home page text, read from the database."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        one = lambda sql: conn.execute(sql).fetchone()  # noqa: E731
        stamp = dict(conn.execute("SELECT key, value FROM registry_build"))
        latest = one("""SELECT list_id, total, as_of, compiler FROM lists
                        WHERE scope = 'political_prisoners' AND total IS NOT NULL AND as_of IS NOT NULL
                        ORDER BY as_of DESC, list_id LIMIT 1""") or (None, None, None, None)
        named = one(f"SELECT count(*) FROM list_entries WHERE list_id IN (SELECT list_id FROM lists "
                    f"WHERE list_id = '{latest[0]}' OR same_list_as = '{latest[0]}')")[0] if latest[0] else 0
        return {
            "persons": one("SELECT count(*) FROM persons")[0],
            "counted_lists": one("SELECT count(*) FROM lists WHERE NOT itemised")[0],
            "latest_total": latest[1] if latest[1] is not None else "unknown",
            "latest_as_of": latest[2] or "unknown",
            "latest_compiler": latest[3] or "unknown",
            "latest_named": named,
            "version": stamp.get("data_version", "unknown"),
            "commit": stamp.get("git_commit", "unknown"),
        }
    finally:
        conn.close()


def render(db_path=DEFAULT_DB, metadata_path=METADATA, descriptor=package.DESCRIPTOR):
    meta = yaml.safe_load(Path(metadata_path).read_text(encoding="utf-8"))
    figures = coverage(db_path)
    # The figures are data: escape them, or a compiler's name could run as script.
    meta["description_html"] = meta.get("description_html", "").format(
        **{k: html.escape(str(v)) for k, v in figures.items()})
    tables = meta.setdefault("databases", {}).setdefault(DATABASE, {}).setdefault("tables", {})
    for res in package.resources(descriptor):
        conf = tables.setdefault(res.name, {})
        conf.setdefault("title", res.title)
        conf.setdefault("description", res.description)
        columns = {f.name: f.description for f in res.fields}
        columns.update(DERIVED_COLUMNS.get(res.name, {}))
        conf.setdefault("columns", {}).update({k: v for k, v in columns.items()
                                               if k not in conf["columns"]})
        for key, value in LICENSE.items():
            conf.setdefault(key, value)
    return meta


def write(db_path=DEFAULT_DB, out=None):
    """Render the metadata for db_path into a JSON file (next to the database by default)."""
    out = Path(out) if out else Path(db_path).with_name("metadata.json")
    out.write_text(json.dumps(render(db_path), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(DEFAULT_DB))
    parser.add_argument("--out", default=str(Path(DEFAULT_DB).with_name("metadata.json")))
    args = parser.parse_args(argv)
    print(f"wrote {write(args.db, args.out)}")


if __name__ == "__main__":
    main()
