"""The home page names this release's downloads (the data package zip and the plain CSVs
that registry/release.py wrote to build/downloads), and its figures, for the pages that
say them in Azerbaijani and Russian (the English text is metadata.yml's description)."""
from datasette import hookimpl

from registry import datapackage
from registry.metadata import coverage
from registry.settings import DB_NAME
from registry.settings import DOWNLOADS_DIR as DOWNLOADS


def release_info():
    """The release files in build/downloads, for the home page."""
    version = datapackage.version()
    zip_name = f"azerbaijan-political-prisoners-{version}.zip"
    if not DOWNLOADS.exists():
        return {"version": version, "zip": None, "csvs": []}
    return {"version": version,
            "zip": zip_name if (DOWNLOADS / zip_name).exists() else None,
            "csvs": sorted(p.name for p in DOWNLOADS.glob("*.csv"))}


FIGURES = {}


def figures(datasette):
    """The home page's figures, read once: the database never changes while it is served."""
    if not FIGURES and DB_NAME in datasette.databases:
        FIGURES.update(coverage(datasette.databases[DB_NAME].path))
    return FIGURES


@hookimpl
def extra_template_vars(view_name, datasette):
    if view_name != "index":
        return {}
    return {"release": release_info(), "figures": figures(datasette)}
