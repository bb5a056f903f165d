"""Names and places that every part of the registry agrees on, each stated once:
the database name (which is also the first part of every URL), where the build puts
its files, and the one reader of metadata.yml."""
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "political_prisoners"
BUILD_DIR = ROOT / "build"
DB_PATH = BUILD_DIR / f"{DB_NAME}.db"
DOWNLOADS_DIR = BUILD_DIR / "downloads"
METADATA_PATH = ROOT / "metadata.yml"
# The SQL the build runs after loading the tables, in this order.
SQL_FILES = [ROOT / "sql" / "held_statuses.sql", ROOT / "sql" / "views.sql"]


def load_metadata(path=METADATA_PATH):
    """metadata.yml as a dict (empty when the file is empty)."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
