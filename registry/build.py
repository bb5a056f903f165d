"""Build build/political_prisoners.db from data/ and schema/, atomically.

The CSVs are validated first (registry.validate) into a staging database; only a
clean validation goes on to a new database file, typed from the schema, which then
replaces the old one with a single rename. A failed validation or a build killed
part-way leaves the last good database byte for byte where it was.

Usage: python -m registry.build [--data-dir DIR] [--out PATH]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import sqlite_utils

from . import datapackage, settings, translations
from .fold import search_forms
from .validate import validate

DEFAULT_DB = settings.DB_PATH
METADATA = settings.METADATA_PATH
COLUMN_TYPES = {"string": str, "date": str, "integer": int, "boolean": int, "year": int, "number": float}

# Columns the build adds to persons, so that Datasette can facet and search them.
DERIVED_COLUMNS = {
    "persons": {
        "charges": "Derived: JSON array of every article any source charges the person under "
                   "(facet with _facet_array=charges).",
        "cases": "Derived: JSON array of the collective cases the person's detentions belong to.",
        "first_arrested_on": "Derived: the earliest arrest date on record.",
    },
}


def git_commit():
    try:
        out = subprocess.run(["git", "-C", str(datapackage.ROOT), "rev-parse", "--short=12", "HEAD"],
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def faceted_columns(metadata_path=METADATA):
    """{table: [column, ...]} for every facet metadata.yml configures, to index each one."""
    meta = settings.load_metadata(metadata_path)
    out = {}
    for db in (meta.get("databases") or {}).values():
        for table, conf in (db.get("tables") or {}).items():
            for facet in conf.get("facets", []) or []:
                column = facet if isinstance(facet, str) else next(iter(facet.values()))
                out.setdefault(table, []).append(column)
    return out


def sorted_columns(metadata_path=METADATA):
    """{table: [column]} for the default sort metadata.yml gives each table page.

    A table page orders every request by it: without an index that is a sort of the
    whole table per page view (0.1 s at 100k persons; docs/performance.md).
    """
    meta = settings.load_metadata(metadata_path)
    out = {}
    for db in (meta.get("databases") or {}).values():
        for table, conf in (db.get("tables") or {}).items():
            column = conf.get("sort") or conf.get("sort_desc")
            if column:
                out.setdefault(table, []).append(column)
    return out


def create_tables(db, resources):
    for res in resources:
        columns = {f.name: COLUMN_TYPES.get(f.type, str) for f in res.fields}
        columns.update({c: str for c in DERIVED_COLUMNS.get(res.name, {})})
        fks = [(fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
               for fk in res.foreign_keys]
        db[res.name].create(columns, pk=res.primary_key if len(res.primary_key) > 1 else
                            res.primary_key[0], foreign_keys=fks,
                            not_null={f.name for f in res.fields if f.required})


def copy_rows(db, resources, staging_path):
    """Copy validated rows from staging, ordered by primary key so builds are reproducible."""
    db.execute("ATTACH DATABASE ? AS staging", [str(staging_path)])
    with db.conn:
        for res in resources:
            cols = ", ".join(f'"{n}"' for n in res.field_names)
            order = ", ".join(f'"{k}"' for k in res.primary_key)
            db.execute(f'INSERT INTO main."{res.name}" ({cols}) SELECT {cols} FROM staging."{res.name}" '
                       f'ORDER BY {order}')
    db.execute("DETACH DATABASE staging")


def add_person_facets(db):
    """persons.charges / cases / first_arrested_on, and person_charges for facets at scale."""
    # The UPDATE below looks up each person's detentions: without this index (which
    # add_indexes would create later anyway) it scans detentions once per person, which
    # is quadratic: 136 s at 10k persons, hours at 100k (docs/performance.md).
    db["detentions"].create_index(["person_id"], if_not_exists=True)
    with db.conn:
        db.execute("""CREATE TABLE person_charges (
            person_id TEXT NOT NULL REFERENCES persons(person_id),
            article_id TEXT NOT NULL REFERENCES articles(article_id),
            PRIMARY KEY (person_id, article_id))""")
        db.execute("""INSERT INTO person_charges
            SELECT DISTINCT d.person_id, c.article_id FROM charges c
            JOIN detentions d ON d.detention_id = c.detention_id ORDER BY 1, 2""")
        db.execute("""UPDATE persons SET
            charges = (SELECT json_group_array(article_id) FROM
                       (SELECT article_id FROM person_charges pc
                        WHERE pc.person_id = persons.person_id ORDER BY article_id)),
            cases = (SELECT json_group_array(case_id) FROM
                     (SELECT DISTINCT case_id FROM detentions d
                      WHERE d.person_id = persons.person_id AND case_id IS NOT NULL ORDER BY case_id)),
            first_arrested_on = (SELECT min(arrested_on) FROM detentions d
                                 WHERE d.person_id = persons.person_id)""")


def add_search(db):
    """persons_fts: every spelling, folded (registry/fold.py), so Məmmədli, Mammadli,
    Mamedli and Мамедли meet."""
    db.execute("""CREATE VIRTUAL TABLE persons_fts USING fts5(
        search_text, tokenize = 'unicode61 remove_diacritics 2')""")
    # One person at a time, with their aliases and case names gathered by SQL, so memory
    # stays flat as the registry grows (the aliases of 1M persons held in dicts would
    # not: docs/performance.md).
    cursor = db.conn.execute("""
        SELECT rowid, person_id, name, name_az, occupation, affiliation, summary,
               (SELECT json_group_array(alias) FROM (SELECT alias FROM aliases a
                 WHERE a.person_id = p.person_id ORDER BY alias)),
               (SELECT json_group_array(name) FROM (SELECT DISTINCT c.name FROM detentions d
                 JOIN cases c ON c.case_id = d.case_id WHERE d.person_id = p.person_id
                 ORDER BY c.name))
        FROM persons p ORDER BY rowid""")
    with db.conn:
        while True:
            batch = cursor.fetchmany(5000)
            if not batch:
                break
            rows = []
            for rowid, pid, name, name_az, occupation, affiliation, summary, aliases, cases in batch:
                aliases, cases = json.loads(aliases), json.loads(cases)
                rows.append((rowid, search_forms(pid.replace("-", " "), name, name_az, *aliases,
                                                 occupation, affiliation, *cases, summary)))
            db.conn.executemany("INSERT INTO persons_fts (rowid, search_text) VALUES (?, ?)", rows)


def add_indexes(db, resources):
    wanted = set()
    for res in resources:
        for fk in res.foreign_keys:
            if fk["fields"] != res.primary_key[:1]:
                wanted.add((res.name, (fk["fields"][0],)))
    for table, columns in list(faceted_columns().items()) + list(sorted_columns().items()):
        if table in db.table_names():
            for column in columns:
                wanted.add((table, (column,)))
    # A facet filtered by the other column (status within a category) needs the pair.
    wanted |= {("persons", ("category", "status")), ("persons", ("status", "category")),
               ("events", ("person_id", "date")), ("lists", ("scope", "as_of")),
               ("person_charges", ("article_id",))}
    existing_pk = {(r.name, tuple(r.primary_key[:1])) for r in resources}
    for table, columns in sorted(wanted):
        if (table, columns) in existing_pk or not all(c in db[table].columns_dict for c in columns):
            continue
        db[table].create_index(list(columns), if_not_exists=True)


def add_translations(db):
    """The labels of codes in English, Azerbaijani and Russian (locales/translations.csv),
    so that a builder's SQL can show words in any of the three languages."""
    rows = [{k: row.get(k) or None for k in ("domain", "code", *translations.LANGUAGES)}
            for row in translations.table().values()]
    db["translations"].insert_all(rows, pk=("domain", "code"))


def stamp(db, resources, data_version, commit):
    with db.conn:
        db["registry_build"].insert_all(
            [{"key": "data_version", "value": data_version},
             # The day the release speaks for: the held-now rule measures from it.
             {"key": "data_as_of", "value": datapackage.release_date()},
             {"key": "git_commit", "value": commit},
             {"key": "tables", "value": json.dumps(
                 {r.name: db[r.name].count for r in resources}, sort_keys=True)}],
            pk="key")


def remove_leftovers(out):
    """Delete the temporary files of builds that were killed part-way (their process is gone).

    Each temporary name carries its build's process id, so a build running now in the
    same folder keeps its files.
    """
    pattern = re.compile(rf"\.staging-(\d+)-\w+\.db|\.{re.escape(out.name)}\.(\d+)\.\w+\.tmp")
    for path in out.parent.iterdir():
        match = pattern.fullmatch(path.name)
        if not match:
            continue
        pid = int(match.group(1) or match.group(2))
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            path.unlink(missing_ok=True)
        except PermissionError:
            pass


def build(data_dir=None, out=DEFAULT_DB, commit=None):
    """Validate and build. Returns the validation report; the database changes only on success."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    fd, staging = tempfile.mkstemp(prefix=f".staging-{os.getpid()}-", suffix=".db", dir=out.parent)
    os.close(fd)
    os.unlink(staging)
    tmp = None
    try:
        report, conn, resources = validate(data_dir, staging)
        conn.close()
        if report.error_count:
            return report
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".tmp",
                                    dir=out.parent)
        os.close(fd)
        os.unlink(tmp)
        db = sqlite_utils.Database(tmp)
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        create_tables(db, resources)
        copy_rows(db, resources, staging)
        add_person_facets(db)
        add_search(db)
        add_indexes(db, resources)
        add_translations(db)
        stamp(db, resources, datapackage.version(), commit or git_commit())
        for sql_file in settings.SQL_FILES:
            db.conn.executescript(sql_file.read_text(encoding="utf-8"))
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign key check failed after copy: {problems[:5]}")
        db.execute("ANALYZE")
        db.close()
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, out)
        tmp = None
        return report
    finally:
        for leftover in (staging, tmp):
            if leftover and os.path.exists(leftover):
                os.unlink(leftover)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="build from the CSVs in this folder instead of data/")
    parser.add_argument("--out", default=str(DEFAULT_DB), help="database to write")
    args = parser.parse_args(argv)
    try:
        report = build(args.data_dir, args.out)
    except OSError as e:
        # A read-only or full folder: one line, and build() has removed its temporary files.
        print(f"build failed: cannot write {e.filename or args.out} ({e.strerror}); the previous "
              "database is unchanged", file=sys.stderr)
        return 1
    report.print()
    if report.error_count:
        kept = "the previous database is unchanged" if Path(args.out).exists() else "no database written"
        print(f"build failed: {kept} ({args.out})", file=sys.stderr)
        return 1
    print(f"built {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
