"""The schema itself: only real Table Schema keys, keys that point somewhere real.

frictionless silently ignores a misspelt key (a field-level "primarykey" lets
duplicates through), so these tests read the JSON directly.
"""
import json

import pytest

from registry import datapackage


def schemas():
    return [(r.name, json.loads(r.schema_path.read_text(encoding="utf-8"))) for r in datapackage.resources()]


@pytest.mark.parametrize("name,schema", schemas(), ids=[n for n, _ in schemas()])
def test_schema_uses_only_table_schema_keys(name, schema):
    assert set(schema) <= datapackage.TABLE_SCHEMA_KEYS, set(schema) - datapackage.TABLE_SCHEMA_KEYS
    for field in schema["fields"]:
        assert set(field) <= datapackage.FIELD_KEYS, (field["name"], set(field) - datapackage.FIELD_KEYS)
        assert set(field.get("constraints", {})) <= datapackage.CONSTRAINT_KEYS, field["name"]
        assert field["name"].islower() and " " not in field["name"], "snake_case headers"
        assert field.get("description"), f"{name}.{field['name']} needs a description for Datasette"
    for fk in schema.get("foreignKeys", []):
        assert set(fk) == datapackage.FOREIGN_KEY_KEYS
        assert set(fk["reference"]) == datapackage.REFERENCE_KEYS


@pytest.mark.parametrize("name,schema", schemas(), ids=[n for n, _ in schemas()])
def test_keys_name_real_fields_and_resources(name, schema):
    by_name = {r.name: r for r in datapackage.resources()}
    fields = {f["name"] for f in schema["fields"]}
    assert schema["primaryKey"], "every table declares a schema-level primaryKey"
    assert set(schema["primaryKey"]) <= fields
    for fk in schema.get("foreignKeys", []):
        assert set(fk["fields"]) <= fields
        parent = by_name[fk["reference"]["resource"]]
        assert set(fk["reference"]["fields"]) <= set(parent.field_names)
        # A reference must name a key of its parent, or it is not a key at all.
        assert fk["reference"]["fields"] == parent.primary_key


def test_article_ids_are_text():
    articles = datapackage.resources()[[r.name for r in datapackage.resources()].index("articles")]
    assert articles.field("article_id").type == "string"


def test_package_descriptor_is_complete():
    desc = datapackage.load_descriptor()
    assert desc["version"].count(".") == 2 and all(p.isdigit() for p in desc["version"].split("."))
    assert desc["licenses"][0]["name"] == "CC-BY-4.0"
    for res in desc["resources"]:
        assert set(res) <= datapackage.RESOURCE_KEYS, set(res) - datapackage.RESOURCE_KEYS
        assert res["path"] == f"../data/{res['name']}.csv"
        assert res["dialect"]["lineTerminator"] == "\n"


def test_frictionless_agrees_the_real_data_is_valid():
    """The reference implementation of the spec accepts what our validator accepts."""
    from frictionless import Package, system
    with system.use_context(trusted=True):
        report = Package(str(datapackage.DESCRIPTOR)).validate()
    errors = [f"{t.name}:{e.row_number}: {e.message}" for t in report.tasks for e in t.errors]
    assert report.valid, "\n".join(errors[:20])


@pytest.mark.parametrize("name,schema", [s for s in schemas() if s[0] != "sources"],
                         ids=[n for n, _ in schemas() if n != "sources"])
def test_every_table_cites_a_source_on_every_row(name, schema):
    """Every row must name its source: a required source_id that must exist in sources."""
    field = next((f for f in schema["fields"] if f["name"] == "source_id"), None)
    assert field is not None, f"{name} has no source_id column"
    assert field["constraints"].get("required") is True
    assert {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}} \
        in schema["foreignKeys"]
