"""Build the versioned data package zip and the plain downloads, byte for byte reproducibly.

Writes into build/downloads/:
  azerbaijan-political-prisoners-<version>.zip   datapackage.json at the root (paths
      data/<name>.csv, Table Schemas inlined, version from schema/datapackage.json),
      data/*.csv, README.md, CHANGELOG.md, LICENSE files and CITATION.cff
  <name>.csv, datapackage.json, CITATION.cff      the same files, unzipped

The same inputs give the same zip bytes: members are sorted, every timestamp is fixed,
permissions are fixed, and JSON is written in a stable order.

Usage: python -m registry.release [--data-dir DIR] [--out DIR]
"""
import argparse
import json
import os
import re
import sys
import tempfile
import zipfile
from pathlib import Path

from . import datapackage, settings

ROOT = datapackage.ROOT
DEFAULT_OUT = settings.DOWNLOADS_DIR
NAME = "azerbaijan-political-prisoners"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold
DOC_FILES = ["README.md", "CHANGELOG.md", "CITATION.cff"]


def zip_name(version):
    return f"{NAME}-{version}.zip"


def descriptor(version=None, descriptor_path=datapackage.DESCRIPTOR):
    """The release datapackage.json: root-level paths data/<name>.csv and inlined schemas."""
    desc = datapackage.load_descriptor(descriptor_path)
    base = Path(descriptor_path).parent
    out = dict(desc)
    out["resources"] = []
    for res in desc["resources"]:
        res = dict(res)
        res["path"] = f"data/{res['name']}.csv"
        if isinstance(res.get("schema"), str):
            res["schema"] = datapackage.load_schema(base / res["schema"])
        out["resources"].append(res)
    if version:
        out["version"] = version
    if datapackage.public_url():
        out["homepage"] = datapackage.public_url()
    return out


def citation_text(version, released):
    """CITATION.cff with this release's version and date."""
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^version: .*$", f'version: "{version}"', text)
    text = re.sub(r"(?m)^date-released: .*$", f'date-released: "{released}"', text)
    if datapackage.public_url():
        text = re.sub(r"(?m)^url: .*\n", "", text) + f'url: "{datapackage.public_url()}"\n'
    return text


def fallback_readme(desc):
    lines = [f"# {desc['title']} — data release {desc['version']}", "", desc["description"], "",
             "## Files", ""]
    for res in desc["resources"]:
        lines.append(f"- `{res['path']}`: {res['title']}. {res['description']}")
    lines += ["", "`datapackage.json` describes every column (Frictionless Data Package).",
              "Licence: see LICENSE files. How to cite: see CITATION.cff.", ""]
    return "\n".join(lines)


def members(data_dir=None):
    """[(name in the zip, bytes)], sorted, for the release."""
    version = datapackage.version()
    desc = descriptor(version)
    released = desc.get("created", "")[:10] or "1970-01-01"
    files = {"datapackage.json": (json.dumps(desc, indent=2, ensure_ascii=False) + "\n").encode()}
    for res in datapackage.resources(data_dir=data_dir):
        files[f"data/{res.name}.csv"] = Path(res.path).read_bytes()
    readme = ROOT / "README.md"
    files["README.md"] = (readme.read_bytes() if readme.exists()
                          else fallback_readme(desc).encode())
    changelog = ROOT / "CHANGELOG.md"
    if changelog.exists():
        files["CHANGELOG.md"] = changelog.read_bytes()
    for lic in sorted(ROOT.glob("LICENSE*")):
        if lic.is_file():
            files[lic.name] = lic.read_bytes()
    files["CITATION.cff"] = citation_text(version, released).encode()
    return version, sorted(files.items())


def write_zip(path, items):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, whatever machine builds it
            z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


class NotValid(Exception):
    """The data do not validate: nothing is packaged."""


def release(data_dir=None, out=DEFAULT_OUT):
    """Validate, then write the zip and the plain files into out; returns the zip's path.

    A release is what people cite, so it refuses data that do not validate even when it
    is run on its own, not only behind `make build`.
    """
    from .validate import check
    report = check(data_dir)
    if report.error_count:
        raise NotValid(report)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    version, items = members(data_dir)
    fd, tmp = tempfile.mkstemp(prefix=".release-", suffix=".zip", dir=out)
    os.close(fd)
    try:
        write_zip(tmp, items)
        # mkstemp makes the file private (0600); a download is for everybody, and the
        # web server may run as another user than the build.
        os.chmod(tmp, 0o644)
        target = out / zip_name(version)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    wanted = set()
    for name, data in items:
        if name.startswith("data/") or name in ("datapackage.json", "CITATION.cff"):
            plain = out / Path(name).name
            wanted.add(plain.name)
            if not plain.exists() or plain.read_bytes() != data:
                tmp_plain = plain.with_name(f".{plain.name}.tmp")
                tmp_plain.write_bytes(data)
                os.replace(tmp_plain, plain)
    for stale in out.glob("*.csv"):
        if stale.name not in wanted:
            stale.unlink()
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="package the CSVs in this folder instead of data/")
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    args = parser.parse_args(argv)
    try:
        target = release(args.data_dir, args.out)
    except NotValid as e:
        e.args[0].print(sys.stderr)
        print("release refused: the data do not validate; nothing was written", file=sys.stderr)
        return 1
    print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
