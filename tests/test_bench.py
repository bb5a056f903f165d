"""The benchmark's own machinery: the synthetic registry validates, the bench runs end to
end at a tiny size, and on every bad-input fixture our validator flags whatever the
peer path (frictionless) flags, at the same row. No timings are asserted here: the
numbers live in docs/performance.md and come from `make bench`.
"""
import json
import shutil
import subprocess
import sys

import pytest

from registry import validate
from tools.perf import baselines, conformance, pages, synthetic, synthetic_names
from tools.perf.report import combine

from .conftest import FIXTURES, ROOT
from .test_validate import overlay

BAD = sorted(p for p in (FIXTURES / "bad").iterdir() if p.is_dir())


def test_synthetic_registry_passes_the_validator(tmp_path):
    counts = synthetic.generate(500, tmp_path / "data", seed=7)
    assert counts["persons"] == 500
    # The real proportions per person, roughly.
    assert 1.0 <= counts["detentions"] / 500 <= 1.15
    assert 2.5 <= counts["charges"] / counts["detentions"] <= 4.0
    assert counts["aliases"] >= 500 and counts["list_entries"] == 500
    report = validate.check(tmp_path / "data")
    assert report.error_count == 0, "\n".join(map(str, report.errors))
    assert report.warning_count == 0, "\n".join(map(str, report.warnings))


def test_synthetic_registry_is_deterministic(tmp_path):
    synthetic.generate(200, tmp_path / "a", seed=3)
    synthetic.generate(200, tmp_path / "b", seed=3)
    for path in sorted((tmp_path / "a").glob("*.csv")):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_synthetic_people_are_distinct_namesakes():
    """Every person i gets a distinct (given, father, surname) and a distinct person_id."""
    seen, ids = set(), set()
    for i in range(0, synthetic_names.capacity(), 997):
        given, _, father, sur, pid = synthetic_names.person_names(i)
        assert (given, father, sur) not in seen and pid not in ids
        seen.add((given, father, sur))
        ids.add(pid)


@pytest.mark.slow
def test_bench_runs_end_to_end_at_a_tiny_size(tmp_path):
    if shutil.which("sqlite3") is None:
        pytest.skip("the floor baseline needs the sqlite3 CLI")
    proc = subprocess.run([sys.executable, "-m", "tools.perf.bench", "--quick", "--no-doc",
                           "--skip", "fixtures,csvs-to-sqlite", "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    size = results["sizes"][0]
    for step in ("validate", "build", "floor"):
        assert size[step]["rc"] == 0, (step, size[step]["out"])
        assert size[step]["seconds"] > 0 and size[step]["peak_mb"] > 0
    assert size["peer"]["rc"] == 0
    prod = size["serving"]["production"]
    for timing in ("latency", "latency_rendered"):
        assert all(p["status"] == ["200"] for p in prod[timing].values()), prod[timing]
    for run in ("load_html", "load_html_rendered", "load_json", "load_mix"):
        assert prod[run]["requests"] > 0 and prod[run]["non_2xx"] == 0, (run, prod[run])
    assert prod["load_mix"]["facet_timeouts"] is not None, "the wrk script reports its count"
    assert size["serving"]["stock"]["latency"], "the stock baseline was served"
    assert "| persons |" in proc.stdout
    combined = combine([tmp_path, tmp_path])
    assert [s["persons"] for s in combined["sizes"]] == [size["persons"]]


def test_mixed_paths_are_distinct_and_all_answer(real_db, ds):
    """The distinct-pages load must not spend its requests on errors or repeats."""
    import asyncio
    paths = pages.mixed_paths(real_db)
    assert len(paths) == len(set(paths)) > 300
    kinds = {"person": 0, "filtered": 0, "search": 0, "json": 0}
    for p in paths:
        kinds["json" if ".json" in p else "search" if "_search=" in p
              else "filtered" if "?" in p else "person"] += 1
    assert all(kinds.values()), kinds

    async def statuses():
        return {p: (await ds.client.get(p)).status_code for p in paths[::7]}
    assert set(asyncio.run(statuses()).values()) == {200}


@pytest.mark.parametrize("case", BAD, ids=[p.name for p in BAD])
def test_we_flag_every_row_the_peer_path_flags(case, minimal_copy):
    """Whenever frictionless reports an error, our validator reports one at the same row."""
    from frictionless import Package, system
    overlay(case, minimal_copy)
    pkg = baselines.write_peer_package(minimal_copy)
    with system.use_context(trusted=True):
        theirs = Package(str(pkg)).validate()
    report = validate.check(minimal_copy)
    ours, fatal = conformance.our_errors(report)
    flagged = {(task.place.rsplit("/", 1)[-1], getattr(err, "row_number", None), err.type)
               for task in theirs.tasks for err in task.errors}
    missed = [f"{f}:{r} ({k})" for f, r, k in sorted(flagged, key=str)
              if not conformance.explained(f, r, k, ours, fatal)]
    assert not missed, f"frictionless flags {missed}; ours: {sorted(ours, key=str)}"
    if not theirs.valid:
        assert report.error_count > 0
