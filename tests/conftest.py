"""Shared fixtures: a real database built from data/, and a real Datasette on it."""
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from registry import build, metadata, datapackage, serve, settings  # noqa: E402
from registry.settings import DB_PATH
DB_FILE = DB_PATH.name

FIXTURES = ROOT / "tests" / "fixtures"
MINIMAL = FIXTURES / "minimal"


@pytest.fixture(scope="session")
def real_db(tmp_path_factory):
    """build/political_prisoners.db built afresh from data/ into a temporary folder."""
    out = tmp_path_factory.mktemp("real") / DB_FILE
    report = build.build(out=out)
    assert report.error_count == 0, "\n".join(map(str, report.errors))
    return out


def build_minimal(folder, name=DB_FILE):
    """Copy the small valid fixture registry into folder/data and build it; returns the db path."""
    folder = Path(folder)
    shutil.copytree(MINIMAL, folder / "data")
    out = folder / name
    report = build.build(folder / "data", out, commit="test")
    assert report.error_count == 0, "\n".join(map(str, report.errors))
    return out


@pytest.fixture
def minimal_copy(tmp_path):
    """A writable copy of the small valid fixture registry, to break in one place."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target)
    return target


def make_datasette(db_path, **settings):
    """A Datasette as registry/serve.py runs it; keyword arguments override settings."""
    from datasette.app import Datasette
    return Datasette(
        files=[],
        immutables=[str(db_path)],
        metadata=metadata.render(db_path),
        settings={**{k: (v == "on") if v in ("on", "off") else int(v)
                     for k, v in serve.SETTINGS.items()}, **settings},
        plugins_dir=str(serve.PLUGINS_DIR),
        template_dir=str(serve.TEMPLATES_DIR) if serve.TEMPLATES_DIR.exists() else None,
        static_mounts=[("downloads", str(serve.DOWNLOADS_DIR))] if serve.DOWNLOADS_DIR.exists() else [],
    )


@pytest.fixture(scope="session")
def ds(real_db):
    return make_datasette(real_db)


@pytest.fixture(scope="session")
def metadata_yml():
    return settings.load_metadata()


@pytest.fixture(scope="session")
def resources():
    return datapackage.resources()
