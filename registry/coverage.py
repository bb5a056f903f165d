"""The coverage figures, read from the built database: one function for the home page,
the README and the tests, so no page can state a number the data does not give.

Usage: python -m registry.coverage [--db PATH] [--write-readme]
  prints the README's coverage section, or rewrites it in README.md in place.
"""
import argparse
import sqlite3
import sys

from . import datapackage

README = datapackage.ROOT / "README.md"
START, END = "<!-- coverage:start -->", "<!-- coverage:end -->"


def figures(db_path):
    """Every coverage number, from the views that state the rules (sql/views.sql)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        one = lambda sql: conn.execute(sql).fetchone()  # noqa: E731
        stamp = dict(conn.execute("SELECT key, value FROM registry_build").fetchall())
        latest = one("SELECT * FROM latest_tally")
        return {
            "persons": one("SELECT count(*) FROM persons")[0],
            "counted_lists": one("SELECT count(*) FROM lists WHERE NOT itemised")[0],
            "lists": one("SELECT count(*) FROM lists")[0],
            "held": dict(one("SELECT * FROM held_now_summary")),
            "by_category": [dict(r) for r in conn.execute(
                "SELECT * FROM held_now_by_category WHERE people > 0")],
            "latest": dict(latest) if latest else None,
            "list_2014": [dict(r) for r in conn.execute("""
                SELECT CASE WHEN ps.held_now THEN 'held now'
                            WHEN ps.held_basis = 'last_reported_held' THEN 'last reported held'
                            ELSE 'released, pardoned or died' END AS outcome, count(*) AS people
                FROM list_entries le JOIN person_status ps ON ps.person_id = le.person_id
                WHERE le.list_id = 'working-group-2014-08-10' GROUP BY 1 ORDER BY 1""")],
            "disagreements": one("SELECT count(DISTINCT conflict_id) FROM conflicts")[0],
            "claims": one("SELECT count(*) FROM conflicts")[0],
            "corrections": one("SELECT count(*) FROM corrections")[0],
            "version": stamp.get("data_version", "unknown"),
            "commit": stamp.get("git_commit", "unknown"),
        }
    finally:
        conn.close()


def held_sentence(f):
    h = f["held"]
    return (f"As of {h['registry_as_of']} (the date of data release {f['version']}), the registry "
            f"counts **{h['held_now']} people held now**: **{h['confirmed']}** whom a source dated "
            f"within the previous 24 months (since {h['window_start']}) confirms in custody, and "
            f"**{h['sentence_running']}** serving a prison sentence on record that still runs, with "
            f"no release reported. **{h['last_reported_held']}** more were last reported held before "
            "that window and are not counted.")


def latest_sentence(f):
    t = f["latest"]
    if not t:
        return "No published count of political prisoners is recorded yet."
    return (f"The latest published count is **{t['total']}** political prisoners "
            f"({t['compiler']}, as of {t['as_of']}); reports name **{t['named']}** of them as on "
            "that edition, and the registry records each with its report.")


def readme_section(f):
    rows = "\n".join(f"| {c['name']} | {c['held_now']} | {c['confirmed']} | {c['sentence_running']} "
                     f"| {c['last_reported_held']} | {c['people']} |" for c in f["by_category"])
    outcomes = ", ".join(f"{o['people']} {o['outcome']}" for o in f["list_2014"])
    return f"""{START}
<!-- Written by `python -m registry.coverage --write-readme` from the built database;
     a test fails when it differs from the data. -->
- The registry names **{f['persons']} people** and records **{f['lists']} published lists
  and tallies**; {f['counted_lists']} of them are not itemised, so the registry holds
  their count plus the names that reports attribute to them.
- {held_sentence(f)}
- {latest_sentence(f)}
- Of the 98 people on the August 2014 list: {outcomes}.
- **{f['disagreements']} disagreements** between sources are kept as **{f['claims']} claims**,
  each with its own source; **{f['corrections']} corrections** are recorded in `corrections`.

| category | held now | confirmed | sentence running | last reported held (not counted) | people |
|---|---|---|---|---|---|
{rows}
{END}"""


def write_readme(db_path, readme=README):
    text = readme.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    readme.write_text(before + readme_section(figures(db_path)) + after, encoding="utf-8")


def readme_block(readme=README):
    text = readme.read_text(encoding="utf-8")
    return START + text.split(START, 1)[1].split(END, 1)[0] + END


def main(argv=None):
    from .build import DEFAULT_DB
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(DEFAULT_DB))
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args(argv)
    if args.write_readme:
        write_readme(args.db)
        print(f"rewrote the coverage section of {README.name}")
    else:
        print(readme_section(figures(args.db)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
