"""The README's coverage figures are the database's: a data change that moves them fails here."""
import re
import sqlite3

from .conftest import ROOT


def coverage_text():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text[text.index("<!-- coverage:start -->"):text.index("<!-- coverage:end -->")]


def figure(pattern):
    match = re.search(pattern, coverage_text())
    assert match, f"README coverage lacks {pattern!r}"
    return int(match.group(1))


def test_readme_coverage_matches_the_database(real_db):
    conn = sqlite3.connect(real_db)
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    assert figure(r"names \*\*(\d+) people\*\*") == one("SELECT count(*) FROM persons")
    assert figure(r"all (\d+) on the August 2014 list") == one(
        "SELECT count(*) FROM list_entries WHERE list_id = 'working-group-2014-08-10'")
    assert figure(r"\*\*(\d+) published lists and tallies\*\*") == one("SELECT count(*) FROM lists")
    assert figure(r"(\d+) counts of all political prisoners") == one(
        "SELECT count(*) FROM lists WHERE scope = 'political_prisoners'")
    assert figure(r"For (\d+) of them it holds the count only") == one(
        "SELECT count(*) FROM lists WHERE NOT itemised")
    latest_id, latest_total = conn.execute(
        "SELECT list_id, total FROM lists WHERE scope = 'political_prisoners' AND as_of IS NOT NULL "
        "AND total IS NOT NULL ORDER BY as_of DESC, list_id LIMIT 1").fetchone()
    assert figure(r"latest count, \*\*(\d+)\*\*") == latest_total
    assert figure(r"names \*\*(\d+)\*\* of\s+those") == one(
        f"SELECT count(*) FROM list_entries WHERE list_id IN (SELECT list_id FROM lists "
        f"WHERE list_id = '{latest_id}' OR same_list_as = '{latest_id}' OR list_id = "
        f"(SELECT same_list_as FROM lists WHERE list_id = '{latest_id}'))")
    assert figure(r"\*\*(\d+) disagreements\*\*") == one("SELECT count(DISTINCT conflict_id) FROM conflicts")
    assert figure(r"\*\*(\d+) claims\*\*") == one("SELECT count(*) FROM conflicts")


def test_contributing_walks_through_the_four_tasks():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for heading in ("### Add a person", "### Add a detention", "### Add an event",
                    "### Add a list edition", "## What `make validate` checks"):
        assert heading in text
