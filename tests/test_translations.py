"""locales/translations.csv labels every code the pages show, in all three languages."""
import csv

import pytest

from registry import datapackage, translations

# Which schema field's codes each domain labels.
DOMAINS = {"status": ("persons", "status"), "release_reason": ("detentions", "release_reason"),
           "sentence_kind": ("detentions", "sentence_kind"), "event_kind": ("events", "kind"),
           "list_basis": ("list_entries", "basis")}


def enum(table, field):
    resource = next(r for r in datapackage.resources() if r.name == table)
    return resource.field(field).constraints["enum"]


@pytest.mark.parametrize("domain", list(DOMAINS))
def test_every_code_has_a_label_in_every_language(domain):
    for code in enum(*DOMAINS[domain]):
        row = translations.table().get((domain, code))
        assert row, f"{domain} {code} has no row in locales/translations.csv"
        assert all(row[lang].strip() for lang in translations.LANGUAGES), (domain, code, row)


def test_every_category_has_a_label_and_its_english_is_the_data_s():
    with open(datapackage.ROOT / "data" / "categories.csv", encoding="utf-8") as f:
        categories = {r["category_id"]: r["name"] for r in csv.DictReader(f)}
    for cid, name in categories.items():
        row = translations.table().get(("category", cid))
        assert row and row["en"] == name and row["az"] and row["ru"], cid


def test_held_bases_and_answers_are_labelled():
    for domain in ("held_basis", "held_now_answer"):
        for basis in ("confirmed", "sentence_running", "last_reported_held", "not_held"):
            assert translations.label(domain, basis, "az") != basis


def test_the_table_is_one_row_per_code():
    with open(translations.PATH, encoding="utf-8", newline="") as f:
        keys = [(r["domain"], r["code"]) for r in csv.DictReader(f)]
    assert len(keys) == len(set(keys))


def test_an_unknown_code_or_language_falls_back():
    assert translations.label("status", "no_such_code", "az") == "no such code"
    assert translations.label("status", "released", "fr") == "released"
