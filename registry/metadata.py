"""Render Datasette's metadata: metadata.yml plus what the schema and the database already say.

Table titles, descriptions and column descriptions come from schema/*.json, so they
are written once. The coverage figures in the home page text come from the built
database, so they can never disagree with the data.

Usage: python -m registry.metadata [--db PATH] [--out PATH]
"""
import argparse
import html
import json
import os
from pathlib import Path


from . import datapackage, settings
from .assets import versioned
from .build import DEFAULT_DB, DERIVED_COLUMNS, METADATA
from .coverage import figures

DATABASE = settings.DB_NAME
LICENSE = {"license": "CC BY 4.0", "license_url": "https://creativecommons.org/licenses/by/4.0/"}


def coverage(db_path):
    """Figures for the home page text, read from the database (registry/coverage.py)."""
    f = figures(db_path)
    held, latest = f["held"], f["latest"] or {}
    return {
        "persons": f["persons"],
        "counted_lists": f["counted_lists"],
        "held_now": held["held_now"],
        "confirmed": held["confirmed"],
        "sentence_running": held["sentence_running"],
        "last_reported_held": held["last_reported_held"],
        "as_of": held["registry_as_of"],
        "window_start": held["window_start"],
        "latest_total": latest.get("total", "unknown"),
        "latest_as_of": latest.get("as_of", "unknown"),
        "latest_compiler": latest.get("compiler", "unknown"),
        "latest_named": latest.get("named", 0),
        "version": f["version"],
        "commit": f["commit"],
    }


def render(db_path=DEFAULT_DB, metadata_path=METADATA, descriptor=datapackage.DESCRIPTOR):
    meta = settings.load_metadata(metadata_path)
    figures = coverage(db_path)
    # The figures are data: escape them, or a compiler's name could run as script.
    meta["description_html"] = meta.get("description_html", "").format(
        **{k: html.escape(str(v)) for k, v in figures.items()})
    tables = meta.setdefault("databases", {}).setdefault(DATABASE, {}).setdefault("tables", {})
    for res in datapackage.resources(descriptor):
        conf = tables.setdefault(res.name, {})
        conf.setdefault("title", res.title)
        conf.setdefault("description", res.description)
        columns = {f.name: f.description for f in res.fields}
        columns.update(DERIVED_COLUMNS.get(res.name, {}))
        conf.setdefault("columns", {}).update({k: v for k, v in columns.items()
                                               if k not in conf["columns"]})
        for key, value in LICENSE.items():
            conf.setdefault(key, value)
    # Datasette writes each saved query's name into its metadata the first time the query
    # is served; written here, every worker process shows the same metadata from the start.
    for name, query in (meta["databases"][DATABASE].get("queries") or {}).items():
        query.setdefault("name", name)
    credit_charts(meta, figures["version"])
    # Stylesheets and scripts named in metadata.yml get content-versioned addresses, so
    # browsers keep them (registry/assets.py).
    for key in ("extra_css_urls", "extra_js_urls"):
        meta[key] = [versioned(u) if isinstance(u, str) else dict(u, url=versioned(u["url"]))
                     for u in meta.get(key, [])]
    public_address(meta)
    return meta


def public_address(meta):
    """The public site's address (REGISTRY_PUBLIC_URL, read where the metadata is rendered:
    the server's start, or deploy/deploy.sh), for the pages' canonical links
    (plugins/page_meta.py) and the sitemap's addresses with robots.txt's Sitemap line: a
    crawler that reached another name of the site (a Cloud Run or Fly address) is sent to
    the public one. Unset, both use the address each request came to."""
    public = datapackage.public_url()
    if not public:
        return
    meta["public_url"] = public
    sitemap = (meta.get("plugins") or {}).get("datasette-sitemap")
    if sitemap is not None:
        sitemap.setdefault("base_url", public.rstrip("/"))


def credit_charts(meta, version):
    """Every dashboard chart carries its title, the registry's credit with the data release
    and a white background in the chart itself, so an exported image travels with them.
    The title never runs wider than the chart's box: Vega fits the whole drawing, title
    included, into the box, and a title wider than a phone squeezed the bars out of sight."""
    credit = f"Source: Azerbaijan Political Prisoners Registry, data release {version}, CC BY 4.0"
    dashboards = (meta.get("plugins") or {}).get("datasette-dashboards") or {}
    for dashboard in dashboards.values():
        for chart in (dashboard.get("charts") or {}).values():
            if chart.get("library") != "vega-lite":
                continue
            display = chart.setdefault("display", {})
            notes = [credit] + ([chart["coverage"]] if chart.get("coverage") else [])
            display.setdefault("title", {"text": chart["title"], "subtitle": notes,
                                         "anchor": "start", "fontSize": 15, "subtitleFontSize": 13,
                                         "subtitleColor": "#444444",
                                         "limit": {"expr": "containerSize()[0]"}})
            display.setdefault("background", "white")


def write(db_path=DEFAULT_DB, out=None):
    """Render the metadata for db_path into a JSON file (next to the database by default)."""
    out = Path(out) if out else Path(db_path).with_name("metadata.json")
    # Written aside and renamed: two servers starting on one database at once must never
    # read each other's half-written file.
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(render(db_path), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, out)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(DEFAULT_DB))
    parser.add_argument("--out", default=str(Path(DEFAULT_DB).with_name("metadata.json")))
    args = parser.parse_args(argv)
    print(f"wrote {write(args.db, args.out)}")


if __name__ == "__main__":
    main()
