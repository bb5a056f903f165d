"""The home page names this release's downloads: the data package zip and the plain CSVs
that registry/release.py wrote to build/downloads."""
from datasette import hookimpl

from registry import datapackage
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


@hookimpl
def extra_template_vars(view_name):
    return {"release": release_info()} if view_name == "index" else {}
