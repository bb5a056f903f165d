"""The data package: resources, their Table Schemas, and paths, read from schema/datapackage.json."""
import json
from dataclasses import dataclass, field
from pathlib import Path

from .settings import ROOT

DESCRIPTOR = ROOT / "schema" / "datapackage.json"

# Keys the Table Schema and Data Package specs define. Anything else in a schema is
# a typo that frictionless would silently ignore (a field-level "primarykey" lets
# duplicates through), so the schema test rejects it.
TABLE_SCHEMA_KEYS = {"fields", "missingValues", "primaryKey", "foreignKeys", "fieldsMatch", "$schema"}
FIELD_KEYS = {"name", "type", "format", "title", "description", "constraints", "trueValues",
              "falseValues", "example", "rdfType", "missingValues", "bareNumber", "groupChar",
              "decimalChar", "categories", "categoriesOrdered"}
CONSTRAINT_KEYS = {"required", "unique", "minLength", "maxLength", "minimum", "maximum",
                   "pattern", "enum", "exclusiveMinimum", "exclusiveMaximum"}
FOREIGN_KEY_KEYS = {"fields", "reference"}
REFERENCE_KEYS = {"resource", "fields"}
RESOURCE_KEYS = {"name", "path", "title", "description", "profile", "format", "mediatype",
                 "encoding", "dialect", "schema", "sources", "licenses", "bytes", "hash"}


@dataclass
class Field:
    name: str
    type: str
    description: str = ""
    constraints: dict = field(default_factory=dict)
    true_values: tuple = ("true",)
    false_values: tuple = ("false",)

    @property
    def required(self):
        return bool(self.constraints.get("required"))


@dataclass
class Resource:
    name: str
    path: Path
    title: str
    description: str
    fields: list
    primary_key: list
    foreign_keys: list
    schema_path: Path

    @property
    def field_names(self):
        return [f.name for f in self.fields]

    def field(self, name):
        return next(f for f in self.fields if f.name == name)


def load_descriptor(path=DESCRIPTOR):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_schema(schema_path):
    return json.loads(Path(schema_path).read_text(encoding="utf-8"))


def resources(descriptor_path=DESCRIPTOR, data_dir=None):
    """The package's resources in declared order (parents before children).

    data_dir replaces the directory of every resource's CSV: tests and benchmarks
    validate other copies of the data against the same schema.
    """
    descriptor_path = Path(descriptor_path)
    base = descriptor_path.parent
    out = []
    for res in load_descriptor(descriptor_path)["resources"]:
        schema_path = base / res["schema"]
        schema = load_schema(schema_path)
        # The folder is resolved, the file is not: a symlinked CSV must stay visible as one.
        given = base / res["path"]
        path = given.parent.resolve() / given.name
        if data_dir is not None:
            path = Path(data_dir) / path.name
        fields = [Field(f["name"], f.get("type", "string"), f.get("description", ""),
                        f.get("constraints", {}), tuple(f.get("trueValues", ["true"])),
                        tuple(f.get("falseValues", ["false"]))) for f in schema["fields"]]
        out.append(Resource(res["name"], path, res.get("title", res["name"]),
                            res.get("description", ""), fields, schema.get("primaryKey", []),
                            schema.get("foreignKeys", []), schema_path))
    return out


def version(descriptor_path=DESCRIPTOR):
    return load_descriptor(descriptor_path)["version"]


def public_url():
    """The address of the public site, the one setting for it (REGISTRY_PUBLIC_URL, set
    where the site is deployed), or None. It is deployment configuration, not data: the
    release writes it into datapackage.json (homepage) and CITATION.cff (url)."""
    import os
    url = os.environ.get("REGISTRY_PUBLIC_URL", "").strip()
    return url.rstrip("/") + "/" if url.startswith(("https://", "http://")) else None


def release_date(descriptor_path=DESCRIPTOR):
    """The data release's date (the descriptor's "created", YYYY-MM-DD)."""
    return load_descriptor(descriptor_path)["created"][:10]
