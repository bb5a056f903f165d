"""Static files under addresses that change when their content does.

A page links /assets/publication.css?v=3f2a9c01d4 instead of /assets/publication.css:
the version is the start of the file's SHA-256, so a browser may keep the file for a
year (plugins/asset_caching.py says so) and still gets the new one the moment it
changes, because the address changes with it.
"""
import functools
import hashlib
import importlib.resources
import re
from pathlib import Path

from .settings import ROOT

VERSION_LENGTH = 10
# A file name that already carries its content hash, as bundlers write them (main.08f5d3d8.js).
HASHED_NAME = re.compile(r"\.[0-9a-f]{8,}\.(?:js|css|map)$")


def _plugin_static(name):
    try:
        return Path(str(importlib.resources.files(name.replace("-", "_")) / "static"))
    except ModuleNotFoundError:
        return None


def file_for(url):
    """The file a static address serves, or None."""
    path = url.split("?", 1)[0]
    if path.startswith("/assets/"):
        base, rest = ROOT / "static", path[len("/assets/"):]
    elif path.startswith("/-/static/"):
        base, rest = _plugin_static("datasette"), path[len("/-/static/"):]
        base = base.parent / "static" if base else None
    elif path.startswith("/-/static-plugins/"):
        name, _, rest = path[len("/-/static-plugins/"):].partition("/")
        base = _plugin_static(name)
    else:
        return None
    if base is None or ".." in rest.split("/"):
        return None
    candidate = base / rest
    return candidate if candidate.is_file() else None


@functools.lru_cache(maxsize=256)
def versioned(url):
    """url with ?v=<content hash>, or url unchanged when no file backs it."""
    path = file_for(url)
    if path is None:
        return url
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:VERSION_LENGTH]
    return f"{url}{'&' if '?' in url else '?'}v={digest}"


def is_versioned(path, query_string):
    """Whether an address names one version of a file for good."""
    return bool(HASHED_NAME.search(path)) or re.search(r"(^|&)v=[0-9a-f]+", query_string) is not None \
        or (path.startswith("/-/static/") and re.fullmatch(r"[0-9a-f]{6,}", query_string) is not None)
