"""The versioned data package zip, the plain downloads, CITATION.cff and the deploy directory."""
import json
import os
import subprocess
import sys
import time
import urllib.request
import zipfile

import pytest
import yaml

from registry import datapackage, release, settings
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("downloads")
    return release.release(out=out)


def test_zip_has_a_root_level_datapackage_with_inlined_schemas(built):
    version = datapackage.version()
    assert built.name == f"azerbaijan-political-prisoners-{version}.zip"
    with zipfile.ZipFile(built) as z:
        names = set(z.namelist())
        desc = json.loads(z.read("datapackage.json"))
        assert desc["version"] == version
        for res in desc["resources"]:
            assert res["path"] == f"data/{res['name']}.csv"
            assert res["path"] in names
            assert isinstance(res["schema"], dict) and res["schema"]["fields"]
            assert z.read(res["path"]) == (ROOT / "data" / f"{res['name']}.csv").read_bytes()
        assert {"README.md", "CHANGELOG.md", "LICENSE", "CITATION.cff"} <= names
        assert all(i.date_time == release.FIXED_TIME for i in z.infolist())
        cff = yaml.safe_load(z.read("CITATION.cff"))
        assert cff["version"] == version


def test_release_is_byte_reproducible(built, tmp_path):
    again = release.release(out=tmp_path)
    assert again.read_bytes() == built.read_bytes()
    os.utime(ROOT / "data" / "persons.csv")  # a touched file changes nothing
    assert release.release(out=tmp_path).read_bytes() == built.read_bytes()


def test_downloads_are_readable_by_everybody(built):
    for path in [built] + sorted(built.parent.glob("*.csv")):
        assert path.stat().st_mode & 0o444 == 0o444, f"{path.name} is not world-readable"


def test_plain_csvs_sit_next_to_the_zip(built):
    for res in datapackage.resources():
        plain = built.parent / f"{res.name}.csv"
        assert plain.read_bytes() == (ROOT / "data" / f"{res.name}.csv").read_bytes()
    assert (built.parent / "datapackage.json").exists()
    assert (built.parent / "CITATION.cff").exists()


def test_zip_validates_as_a_data_package(built, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    with zipfile.ZipFile(built) as z:
        z.extractall(tmp_path)
    report = frictionless.Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_citation_cff_says_how_to_cite_this_version():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == datapackage.version()
    assert cff["type"] == "dataset" and cff["license"] == "CC-BY-4.0"
    assert "version" in cff["message"]


def test_deploy_directory_serves_with_the_same_arguments(real_db, tmp_path):
    """deploy/deploy.sh dir builds what the Dockerfile runs; run it here without docker."""
    from tests.browser.conftest import free_port
    out = tmp_path / "deploy"
    env = dict(os.environ, DB=str(real_db), PY=sys.executable)
    subprocess.run(["bash", str(ROOT / "deploy" / "deploy.sh"), "dir", str(out)], check=True,
                   env=env, capture_output=True)
    args = (out / "serve-args.txt").read_text().split()
    assert args[args.index("default_cache_ttl") + 1] == os.environ.get("DEPLOY_CACHE_TTL", "86400")
    for flag in ("--plugins-dir", "--template-dir", "--static", "-i", "--inspect-file"):
        assert flag in args
    assert '"--port", "8080"' in (out / "Dockerfile").read_text()
    assert "datasette==" in (out / "requirements.txt").read_text()
    port = free_port()
    args[args.index("--port") + 1] = str(port)
    args[args.index("--host") + 1] = "127.0.0.1"
    proc = subprocess.Popen([sys.executable, "-m", "datasette"] + args, cwd=out,
                            env=dict(os.environ, PYTHONPATH=str(out)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        r = urllib.request.urlopen(base + f"/{settings.DB_NAME}/persons/anar-mammadli")
        assert r.status == 200 and "max-age=" in r.headers["cache-control"]
        assert urllib.request.urlopen(base + "/-/search?text=Mamm").status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_deploy_recipes_print_the_exact_commands(real_db):
    env = dict(os.environ, DB=str(real_db), PY=sys.executable)
    for action, expected in [("datasette-package", "datasette package"),
                             ("datasette-cloudrun", "datasette publish cloudrun"),
                             ("cloudrun", "gcloud run deploy"), ("fly", "flyctl deploy")]:
        r = subprocess.run(["bash", str(ROOT / "deploy" / "deploy.sh"), "print", action],
                           env=env, capture_output=True, text=True, check=True)
        assert expected in r.stderr
        if action.startswith("datasette"):
            assert "--setting default_cache_ttl" in r.stderr and "--plugins-dir" in r.stderr


def test_a_release_refuses_data_that_do_not_validate(tmp_path, minimal_copy):
    from .test_validate import overlay
    from .conftest import FIXTURES
    overlay(FIXTURES / "bad" / "formula-injection", minimal_copy)
    out = tmp_path / "out"
    with pytest.raises(release.NotValid):
        release.release(minimal_copy, out)
    assert not out.exists() or not any(out.iterdir())
    proc = subprocess.run([sys.executable, "-m", "registry.release", "--data-dir", str(minimal_copy),
                           "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 1
    assert "release refused: the data do not validate" in proc.stderr
    assert not out.exists() or not any(out.iterdir())


def test_the_public_address_is_one_setting_named_in_the_release(tmp_path, monkeypatch):
    out = tmp_path / "without"
    zip_path = release.release(out=out)
    with zipfile.ZipFile(zip_path) as z:
        desc = json.loads(z.read("datapackage.json"))
        cff = z.read("CITATION.cff").decode()
    assert "homepage" not in desc and "127.0.0.1" not in json.dumps(desc) and "\\nurl:" not in cff
    monkeypatch.setenv("REGISTRY_PUBLIC_URL", "https://registry.example.org")
    zip_path = release.release(out=tmp_path / "with")
    with zipfile.ZipFile(zip_path) as z:
        desc = json.loads(z.read("datapackage.json"))
        cff = yaml.safe_load(z.read("CITATION.cff"))
    assert desc["homepage"] == "https://registry.example.org/"
    assert cff["url"] == "https://registry.example.org/" and cff["version"] == datapackage.version()
