"""The benchmark's own machinery: the synthetic registry validates, the bench runs end to
end at a tiny size, and on every bad-input fixture our validator flags whatever the
peer path (frictionless) flags, at the same row. No timings are asserted here: the
numbers live in docs/performance.md and come from `make bench`.
"""
import json
import re
import shutil
import subprocess
import sys

import pytest

from registry import validate
from tools.perf import baselines, conformance, load, pages, synthetic, synthetic_names
from tools.perf.report import combine, report_markdown
from registry.settings import DB_NAME

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
    assert size["peer"]["rc"] == 0 and size["release"]["rc"] == 0
    assert size["rows"]["persons"] == 200 and size["csv_mb"] > 0
    for step in ("build", "floor"):
        assert size[step]["db_mb"] > 0, step
    for key in ("production", "stock"):
        served = size["serving"][key]
        assert "error" not in served, served
        timings = ("latency", "latency_rendered") if key == "production" else ("latency",)
        for timing in timings:
            for name, p in served[timing].items():
                assert p["status"] == ["200"], (key, timing, name, p)
                assert p["p50_ms"] > 0 and p["p95_ms"] >= p["p50_ms"], (key, timing, name, p)
        runs = ("load_html", "load_html_rendered", "load_json", "load_mix") if key == "production" \
            else ("load_html", "load_json", "load_mix")
        # Each load run ran and reported, with no error answer. How many requests fit in its
        # one second depends on the machine's load, so the count is not asserted: the
        # latency runs above already show every page answering.
        for run in runs:
            assert isinstance(served[run]["requests"], int), (key, run, served[run])
            assert served[run]["non_2xx"] == 0 and served[run]["rps"] >= 0, (key, run, served[run])
        # The full export has a line per person, whichever settings serve it.
        assert served["csv_export"]["status"] == 200
        assert served["csv_export"]["rows"] == size["persons"], served["csv_export"]
        assert served["server_peak_mb"] > 0
    prod = size["serving"]["production"]
    assert prod["load_mix"]["facet_timeouts"] is not None, "the wrk script reports its count"
    assert prod["mix_paths"] > 0
    for run in ("load_html", "load_html_rendered"):
        assert set(prod[run]["probe"]) == {"requests", "timed_out", "facets"}, prod[run]
    # The report printed carries the measured rows of this size, not placeholders.
    assert proc.stdout.strip() == report_markdown(results)
    row = next(line for line in proc.stdout.splitlines() if line.startswith("| 200 |"))
    cells = [c.strip() for c in row.split("|")[1:-1]]
    assert cells[1] == f"{sum(size['rows'].values()):,}", cells
    for cell in cells[3:7]:  # validate, build, floor, peer: time, CPU and memory measured
        assert re.fullmatch(r"[\d.]+ s \(CPU [\d.]+ s\) / \d+ MB", cell), cells
    assert cells[7] == "not run", "csvs-to-sqlite was skipped"
    for key in ("production", "stock"):
        assert any(line.startswith(f"| 200 | {key} | ") and "error" not in line
                   for line in proc.stdout.splitlines()), key
    assert "### Serving: warm latency" in proc.stdout
    combined = combine([tmp_path, tmp_path])
    assert [s["persons"] for s in combined["sizes"]] == [size["persons"]]


def test_combine_keeps_every_size_once_the_later_run_winning(tmp_path):
    def run(folder, command, sizes):
        folder.mkdir()
        (folder / "results.json").write_text(json.dumps({
            "machine": {"nproc": 1}, "command": command, "repeats": 1,
            "sizes": [{"persons": n, "build": {"seconds": s}} for n, s in sizes]}))
        return folder
    first = run(tmp_path / "a", "bench --sizes 1k,10k", [(1000, 1.0), (10000, 5.0)])
    second = run(tmp_path / "b", "bench --sizes 10k,1M", [(10000, 6.0), (1000000, 90.0)])
    combined = combine([first, second])
    assert [(s["persons"], s["build"]["seconds"]) for s in combined["sizes"]] == [
        (1000, 1.0), (10000, 6.0), (1000000, 90.0)]
    assert combined["command"] == "bench --sizes 1k,10k`; `bench --sizes 10k,1M"
    assert combined["machine"] == {"nproc": 1}


def test_percentiles_interpolate_between_measurements():
    assert load.percentile([], 0.5) is None
    assert load.percentile([4, 1, 3, 2], 0.5) == 2.5
    assert load.percentile([10], 0.95) == 10
    assert load.percentile(list(range(101)), 0.95) == 95


def test_a_page_that_lost_a_facet_is_told_apart():
    """HTML says so; JSON only omits the facet it was asked for."""
    path = f"/{DB_NAME}/persons.json?_facet=status"
    assert pages.facets_timed_out(path, 200, json.dumps({"facet_results": {
        "status": {}, "category": {}, "charges": {}, "cases": {}}}).encode()) == []
    assert "status" in pages.facets_timed_out(path, 200, b'{"facet_results": {}}')
    html = b"<p>These facets timed out: status, category</p>"
    assert pages.facets_timed_out(f"/{DB_NAME}/persons", 200, html) == "status, category"
    assert pages.facets_timed_out(f"/{DB_NAME}/persons", 200, b"<p>fine</p>") is None
    assert pages.facets_timed_out(path, 500, b"error") is None


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
