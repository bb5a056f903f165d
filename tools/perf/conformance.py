"""Do we reject what the peer path rejects? The validator against frictionless on
every bad-input fixture (tests/fixtures/bad), row by row.

Being faster than frictionless only counts if we catch at least what it catches;
tests/test_bench.py asserts it per fixture, and the benchmark reports the table.
"""
import shutil
import tempfile
from pathlib import Path

from .baselines import write_peer_package
from .measure import ROOT

# Faults after which we stop reading a file, so we report nothing on its later rows.
FATAL = ("is not valid UTF-8", "cannot be parsed as CSV", "file is missing", "file is empty")


def our_errors(report):
    """(file, line) of each error, and the files whose rows we could not read at all."""
    ours = {(Path(p.path).name, p.line) for p in report.errors}
    fatal = {Path(p.path).name for p in report.errors
             if p.line in (None, 1) or any(f in p.message for f in FATAL)}
    return ours, fatal


def explained(file, row, kind, ours, fatal):
    """Whether our errors account for an error frictionless reports at (file, row).

    The same row; or, for a file-level fault (row None), any error in that file. Where
    we stop at a file-level fault (encoding, broken quoting, missing file or column,
    unknown or duplicate column) we read no further rows of that file, so frictionless's
    follow-on errors in its rows are consequences of the one fault we report, and so are
    its foreign-key and file-level errors in the files that refer to it (frictionless
    repeats a parent's encoding error in every child table).
    """
    if (file, row) in ours or (row is None and any(f == file for f, _ in ours)):
        return True
    if file in fatal:
        return True
    return bool(fatal) and (row is None or kind == "foreign-key")


def fixture_agreement():
    """For each tests/fixtures/bad case: does frictionless reject, do we, and at which rows."""
    from registry import validate
    from frictionless import Package, system  # the perf extra: only the benchmark needs it
    from tests.test_validate import overlay  # the same overlay the validator tests use
    fixtures = ROOT / "tests" / "fixtures"
    out = {}
    for case in sorted(p for p in (fixtures / "bad").iterdir() if p.is_dir()):
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            shutil.copytree(fixtures / "minimal", data)
            overlay(case, data)
            pkg_path = write_peer_package(data)
            with system.use_context(trusted=True):
                report = Package(str(pkg_path)).validate()
            theirs = {(Path(task.place).name, getattr(err, "row_number", None), err.type)
                      for task in report.tasks for err in task.errors}
            rep = validate.check(data)
            ours, fatal = our_errors(rep)
            missed = sorted(f"{f}:{r}" for f, r, k in theirs if not explained(f, r, k, ours, fatal))
            out[case.name] = {"frictionless_rejects": not report.valid,
                              "ours_rejects": rep.error_count > 0,
                              "frictionless_rows": sorted({f"{f}:{r}" for f, r, _ in theirs}),
                              "missed_by_ours": missed}
    return out
