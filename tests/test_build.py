"""The build: typed from the schema, complete, searchable, and atomic."""
import csv
import hashlib
import json
import sqlite3

import pytest

from registry import build, datapackage
from registry.settings import DB_PATH
DB_FILE = DB_PATH.name

from .conftest import FIXTURES
from .test_validate import overlay


def csv_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_row_counts_equal_the_csvs(real_db):
    conn = sqlite3.connect(real_db)
    for res in datapackage.resources():
        assert conn.execute(f'SELECT count(*) FROM "{res.name}"').fetchone()[0] == csv_rows(res.path), res.name


def test_columns_take_the_schema_types(real_db):
    conn = sqlite3.connect(real_db)
    declared = {r: {row[1]: row[2] for row in conn.execute(f'PRAGMA table_info("{r}")')}
                for r in ("articles", "detentions", "lists")}
    assert declared["articles"]["article_id"] == "TEXT"
    assert declared["detentions"]["sentence_months"] == "INTEGER"
    assert declared["lists"]["itemised"] == "INTEGER"
    # Article numbers survive as text: 275 never becomes 275.0.
    types = {t for (t,) in conn.execute("SELECT DISTINCT typeof(article_id) FROM articles")}
    assert types == {"text"}
    assert not conn.execute("SELECT count(*) FROM articles WHERE article_id LIKE '%.0'").fetchone()[0]


def test_keys_and_indexes(real_db):
    conn = sqlite3.connect(real_db)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    fks = conn.execute("PRAGMA foreign_key_list(charges)").fetchall()
    assert {(r[2], r[3]) for r in fks} >= {("articles", "article_id"), ("detentions", "detention_id")}
    indexed = {row[0] for row in conn.execute(
        "SELECT group_concat(ii.name) FROM sqlite_master m, pragma_index_info(m.name) ii "
        "WHERE m.type = 'index' AND m.tbl_name = 'persons' GROUP BY m.name")}
    assert {"category", "status"} <= indexed


def test_stamp_has_version_and_commit(real_db):
    stamp = dict(sqlite3.connect(real_db).execute("SELECT key, value FROM registry_build"))
    assert stamp["data_version"] == datapackage.version()
    assert stamp["git_commit"]
    assert json.loads(stamp["tables"])["persons"] > 0


@pytest.mark.parametrize("query", ["Məmmədli", "Mammadli", "mammadli", "MAMMADLI", "Memmedli"])
def test_search_folds_azerbaijani_letters(real_db, query):
    from registry.fold import fold
    conn = sqlite3.connect(real_db)
    hits = {r[0] for r in conn.execute(
        "SELECT p.person_id FROM persons p JOIN persons_fts f ON f.rowid = p.rowid "
        "WHERE persons_fts MATCH ?", [fold(query)])}
    assert "anar-mammadli" in hits


def test_failed_build_keeps_the_last_good_database(tmp_path, minimal_copy):
    out = tmp_path / DB_FILE
    assert build.build(minimal_copy, out).error_count == 0
    before = sha(out)
    overlay(FIXTURES / "bad" / "unknown-enum", minimal_copy)
    report = build.build(minimal_copy, out)
    assert report.error_count > 0
    assert sha(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", DB_FILE], \
        "no temporary files left behind"


def test_build_command_exits_1_and_says_the_database_is_kept(tmp_path, minimal_copy):
    import subprocess
    import sys
    out = tmp_path / DB_FILE
    assert build.build(minimal_copy, out).error_count == 0
    overlay(FIXTURES / "bad" / "dangling-fk-detentions-person", minimal_copy)
    proc = subprocess.run([sys.executable, "-m", "registry.build", "--data-dir", str(minimal_copy),
                           "--out", str(out)], capture_output=True, text=True, cwd=datapackage.ROOT)
    assert proc.returncode == 1
    assert "detentions.csv:3: person_id:" in proc.stdout
    assert "previous database is unchanged" in proc.stderr
