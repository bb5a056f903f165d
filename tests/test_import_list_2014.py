"""The importer of the August 2014 list, checked against values read from the document.

The document is third-party material kept outside the repository, in the shared
folder: $REGISTRY_SHARED, else <repo>/../shared. Without it the tests that read the
document are skipped, saying why (CI has the folder beside its clone, so it runs them).
"""
import csv
import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from importers.list_2014 import build_tables, facts
from importers.list_2014.source import SOURCE_ID, TABLES

ROOT = Path(__file__).resolve().parent.parent

DOC = Path("sources/documents/list-2014-08-political-prisoners-azerbaijan.html")
ARTICLE_ID = re.compile(r"(1960:)?[0-9]+(-[0-9]+)?(\.[0-9]+(-[0-9]+)?)*")


def shared_dir():
    candidates = []
    if os.environ.get("REGISTRY_SHARED"):
        candidates.append(Path(os.environ["REGISTRY_SHARED"]))
    candidates.append(ROOT.parent / "shared")
    for c in candidates:
        if (c / DOC).is_file():
            return c
    pytest.skip("the 2014 list document is third-party material outside the repository and was "
                f"not found (tried: {', '.join(str(c) for c in candidates)}); set REGISTRY_SHARED "
                f"to the folder holding {DOC}")


@pytest.fixture(scope="module")
def tables():
    return build_tables.parse(shared_dir() / DOC)


@pytest.fixture(scope="module")
def by_number(tables):
    """number -> dict of the person's rows in every table."""
    persons = {r["person_id"]: r for r in tables["persons"]}
    detentions = {r["person_id"]: r for r in tables["detentions"]}
    out = {}
    for e in tables["list_entries"]:
        pid = e["person_id"]
        det = detentions[pid]
        out[int(e["number"])] = {
            "entry": e,
            "person": persons[pid],
            "detention": det,
            "articles": [c["article_id"] for c in tables["charges"] if c["detention_id"] == det["detention_id"]],
            "events": [v for v in tables["events"] if v["person_id"] == pid],
            "aliases": {a["alias"]: a["kind"] for a in tables["aliases"] if a["person_id"] == pid},
        }
    return out


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def schema(table):
    return json.loads((ROOT / "schema" / f"{table}.json").read_text(encoding="utf-8"))


# ------------------------------------------------------------------ structure

def test_98_entries_numbered_once(tables):
    numbers = sorted(int(e["number"]) for e in tables["list_entries"])
    assert numbers == list(range(1, 99))
    assert len({e["person_id"] for e in tables["list_entries"]}) == 98
    assert len(tables["persons"]) == 98
    assert len(tables["detentions"]) == 98


def test_every_entry_has_person_arrest_and_charge(by_number):
    for n, rec in by_number.items():
        assert rec["person"]["person_id"], n
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", rec["detention"]["arrested_on"]), n
        assert rec["articles"], f"#{n} has no charge"
        assert any(v["kind"] == "arrested" for v in rec["events"]), n


def test_sections_and_counts(by_number):
    # counts per section, read from the document's table of contents
    expected = {"A": 13, "B": 10, "C": 9, "D": 2, "E": 52, "F": 3, "G": 9}
    counts = {}
    for rec in by_number.values():
        letter = rec["entry"]["group_as_printed"][0]
        counts[letter] = counts.get(letter, 0) + 1
    assert counts == expected
    assert by_number[1]["entry"]["group_as_printed"] == "A. Journalists and bloggers"
    assert by_number[87]["person"]["category"] == "lifetime-prisoner"
    assert by_number[33]["person"]["category"] == "opposition-civil-activist"
    assert by_number[65]["entry"]["subgroup_as_printed"].startswith("e. Cases of those detained in connection with the")
    assert by_number[65]["entry"]["subgroup_as_printed"].endswith("protest held on 5 October 2012")


def test_the_list_row(tables):
    (row,) = tables["lists"]
    assert row["list_id"] == "working-group-2014-08-10"
    assert (row["as_of"], row["as_of_precision"], row["total"], row["total_qualifier"],
            row["itemised"], row["scope"]) == ("2014-08-10", "day", "98", "exact", "true",
                                               "political_prisoners")


# ------------------------------------------------------------ known values

def test_anar_mammadli(by_number):
    rec = by_number[14]
    assert rec["person"]["person_id"] == "anar-mammadli"
    assert rec["entry"]["name_as_printed"] == "Anar Asaf oglu Mammadli"
    d = rec["detention"]
    assert d["detention_id"] == "anar-mammadli-2013"
    assert d["arrested_on"] == "2013-12-16"
    assert sorted(rec["articles"]) == ["179.3.2", "192.2.2", "213.1", "308.2", "313"]
    assert d["place_id"] == "baku-investigative-prison-kurdakhani"
    assert (d["sentence_kind"], d["sentence_months"], d["sentenced_on"]) == ("imprisonment", "66", "2014-05-26")
    assert d["case_id"] == "emds-2013"
    assert rec["person"]["status"] == "imprisoned"
    assert rec["person"]["gender"] == "male"


def test_ids_other_helpers_rely_on(by_number):
    ids = {n: r["person"]["person_id"] for n, r in by_number.items()}
    assert ids[3] == "nijat-nazim-aliyev" and ids[61] == "nijat-yaser-aliyev"
    assert ids[12] == "tofig-yagublu" and ids[13] == "avaz-zeynalli" and ids[15] == "bashir-suleymanli"
    assert ids[20] == "leyla-yunus" and ids[21] == "arif-yunus" and ids[22] == "rasul-jafarov"
    assert ids[23] == "intigam-aliyev" and by_number[23]["person"]["name"] == "Intigam Aliyev"
    assert ids[33] == "ilgar-mammadov" and by_number[33]["person"]["name"] == "Ilgar Mammadov"
    assert by_number[33]["aliases"]["Igar Eldar oglu Mammadov"] == "patronymic"
    assert by_number[20]["person"]["gender"] == "female"


def test_lifetime_prisoner_1960_code(by_number, tables):
    rec = by_number[88]  # Arif Kazimov
    assert rec["detention"]["arrested_on"] == "1996-12-10"
    assert rec["detention"]["place_id"] == "gobustan-prison"
    assert rec["detention"]["sentence_kind"] == "death_commuted_to_life"
    assert rec["detention"]["sentence_months"] == ""
    assert rec["detention"]["sentenced_on"] == "1997-11-28"
    assert rec["articles"] == [
        "1960:57", "1960:59.1", "1960:17", "1960:70", "1960:70-2.1", "1960:70-2.3", "1960:71",
        "1960:145.2.1", "1960:145.2.2", "1960:145.2.5", "1960:145.2.6", "1960:146", "1960:207.2",
        "1960:220.1", "1960:220.2", "1960:220-1.3"]
    assert sorted(by_number[89]["articles"]) == sorted(
        ["1960:59.1", "1960:15", "1960:70-2.1", "1960:71", "1960:220.1", "1960:120.2"])
    assert "1960:57-1.2" in by_number[87]["articles"]
    codes = {a["article_id"]: a["code"] for a in tables["articles"]}
    assert codes["1960:57-1.2"] == "1960" and codes["234.4.3"] == "current"


def test_group_verdicts_from_group_text(by_number):
    # N!DA: "Mammad Azizov received seven and a half years" (verdict of 6 May 2014)
    d = by_number[25]["detention"]
    assert (d["sentence_months"], d["sentenced_on"], d["case_id"]) == ("90", "2014-05-06", "nida-2013")
    assert by_number[30]["detention"]["sentence_months"] == "72"   # Shahin Novruzlu, six years
    # Rashad Hasanov is in the case but the group text gives no sentence for him
    assert by_number[26]["detention"]["sentence_months"] == ""
    # Islamic Party of Azerbaijan, 7 October 2011: Samadov 12 years, Akhundzada 11.5
    assert by_number[49]["detention"]["sentence_months"] == "144"
    assert by_number[46]["detention"]["sentence_months"] == "138"
    assert by_number[49]["detention"]["sentenced_on"] == "2011-10-07"
    # Dadashbayli case: convicted, no sentence printed
    assert by_number[35]["detention"]["sentence_months"] == ""
    assert by_number[35]["person"]["status"] == "imprisoned"


def test_other_read_values(by_number):
    d = lambda n: by_number[n]["detention"]  # noqa: E731
    assert (d(1)["arrested_on"], d(1)["sentence_months"], d(1)["sentenced_on"]) == ("2013-11-22", "66", "2014-05-27")
    assert by_number[22]["detention"]["arrested_on"] == "2014-08-02"   # printed "2 August 2 2014"
    assert by_number[22]["person"]["birth_year"] == "1984"
    assert by_number[22]["person"]["status"] == "pretrial_detention"
    assert d(27)["arrested_on"] == "2013-03-07" and d(27)["place_id"] == ""
    assert d(43)["arrested_on"] == "2007-03-13"                         # printed "March13, 2007"
    assert sorted(by_number[43]["articles"]) == ["218.2", "228.1", "228.2.1", "228.4", "278"]
    assert sorted(by_number[35]["articles"]) == sorted(
        ["28.2", "180.3.1", "204.3.1", "204.3.2", "218.1", "228.1", "228.4", "234.1", "274", "278"])
    assert d(74)["sentence_months"] == "27"                            # two years and three months
    assert d(55)["sentence_months"] == "40"                            # three years and four months
    assert d(34)["sentence_months"] == "48" and d(34)["sentenced_on"] == "2014-01-13"
    assert d(8)["place_id"] == d(93)["place_id"] == "investigative-prison-no-3-shuvalan"
    assert d(2)["place_id"] == d(5)["place_id"] == "prison-no-14"
    assert d(84)["arrested_on"] == "2014-04-12" and by_number[84]["articles"] == ["168.2"]
    for n in (6, 19, 20, 21, 22, 23, 98):
        assert by_number[n]["person"]["status"] == "pretrial_detention", n
        assert d(n)["place_id"] == "baku-investigative-prison-kurdakhani", n


def test_article_ids_stay_text(tables):
    for row in tables["articles"] + tables["charges"]:
        a = row["article_id"]
        assert ARTICLE_ID.fullmatch(a), a
        assert not a.endswith(".0"), a
    ids = {a["article_id"] for a in tables["articles"]}
    assert {"233", "274", "28", "28.2", "313"} <= ids
    assert {c["article_id"] for c in tables["charges"]} == ids
    # and the same in the CSV written to data/
    data_ids = {r["article_id"] for r in read_csv(ROOT / "data" / "articles.csv")}
    assert "274" in data_ids and "274.0" not in data_ids and "233.0" not in data_ids


def test_no_document_html_or_formulas(tables):
    for table, rows in tables.items():
        for row in rows:
            for k, v in row.items():
                assert "<" not in v, (table, k, v)
                assert not v.startswith(("=", "+", "-", "@")), (table, k, v)


def test_cli_writes_schema_ordered_lf_csv(tmp_path):
    subprocess.run([sys.executable, "-m", "importers.list_2014", str(shared_dir() / DOC),
                    "--out", str(tmp_path)], cwd=ROOT, check=True, capture_output=True)
    for table in TABLES:
        raw = (tmp_path / f"{table}.csv").read_bytes()
        assert b"\r" not in raw
        header = raw.split(b"\n", 1)[0].decode("utf-8")
        assert header.split(",") == [f["name"] for f in schema(table)["fields"]], table


# ----------------------------------------------------------- output == data/

STATUS_COLUMNS = {"status", "status_as_of", "status_source_id", "summary"}
RELEASE_COLUMNS = {"released_on", "release_reason", "release_source_id"}


def test_importer_output_is_in_data(tables):
    # A value the list gave may change later only as a recorded correction.
    corrected = {(c["table_name"], c["row_key"], c["column_name"])
                 for c in read_csv(ROOT / "data" / "corrections.csv")}
    for table, rows in tables.items():
        pk = schema(table)["primaryKey"]
        data = {tuple(r[k] for k in pk): r for r in read_csv(ROOT / "data" / f"{table}.csv")}
        for row in rows:
            key = tuple(row[k] for k in pk)
            assert key in data, f"{table} {key} is missing from data/{table}.csv"
            have = data[key]
            if table == "persons" and have["source_id"] != SOURCE_ID:
                continue  # replaced by a newer sourced row: only the person must exist
            # A later source may update a person's status (it has its own source
            # column); the summary then describes the later situation too.
            updated = (STATUS_COLUMNS if table == "persons"
                       and have["status_source_id"] != SOURCE_ID else set())
            for col, value in row.items():
                if col in RELEASE_COLUMNS or col in updated or value == "" \
                        or (table, "|".join(key), col) in corrected:
                    continue
                assert have[col] == value, f"data/{table}.csv {key} {col}: {have[col]!r} != {value!r}"


def test_titles_and_case_names_are_read_from_data(tmp_path):
    # data/ is their only copy: a title or case name edited there is what the importer writes.
    for table in ("articles", "cases"):
        text = (ROOT / "data" / f"{table}.csv").read_text(encoding="utf-8")
        (tmp_path / f"{table}.csv").write_text(
            text.replace("High treason (1960 code)", "Treason as edited (1960 code)")
                .replace("N!DA civic movement case", "N!DA case as edited"), encoding="utf-8")
    tables = build_tables.parse(shared_dir() / DOC, data_dir=tmp_path)
    titles = {a["article_id"]: a["title"] for a in tables["articles"]}
    names = {c["case_id"]: c["name"] for c in tables["cases"]}
    assert titles["1960:57"] == "Treason as edited (1960 code)"
    assert names["nida-2013"] == "N!DA case as edited"


# ------------------------------------------------------------ hand-read facts

FACTS_DIR = ROOT / "importers" / "list_2014" / "facts"


def test_facts_files_are_plain_csv():
    for path in sorted(FACTS_DIR.glob("*.csv")):
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw, path.name
        header = raw.decode("utf-8").split("\n", 1)[0].split(",")
        assert all(re.fullmatch(r"[a-z][a-z_]*", h) for h in header), path.name


def test_a_fact_whose_evidence_is_not_printed_stops_the_import():
    read = facts.load_facts()
    wrong = read.verdicts[25]._replace(evidence=("Mammad Azizov received nine years",))
    changed = dataclasses.replace(read, verdicts={**read.verdicts, 25: wrong})
    with pytest.raises(ValueError, match="#25 verdict: evidence not found"):
        build_tables.parse(shared_dir() / DOC, facts=changed)
