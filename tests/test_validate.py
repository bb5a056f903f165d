"""The validator: the real data pass, and each class of bad input fails with file:row: column.

Each folder in tests/fixtures/bad/ is one class of bad input: its CSVs replace
those of the small valid registry in tests/fixtures/minimal/, and expected.txt
holds the messages the validator must print (one per line; a line starting with
"warning:" must be printed as a warning, and then the run must still pass).
"""
import subprocess
import sys

import pytest

from registry import validate
from registry.settings import DB_PATH
DB_FILE = DB_PATH.name

from .conftest import FIXTURES, ROOT

BAD = sorted(p for p in (FIXTURES / "bad").iterdir() if p.is_dir())


def overlay(case, target):
    for path in case.iterdir():
        if path.suffix == ".csv":
            (target / path.name).write_bytes(path.read_bytes())
        elif path.name == "delete.txt":
            for name in path.read_text().split():
                (target / name).unlink()


def run(data_dir):
    report = validate.check(data_dir)
    return report


def test_real_data_is_valid():
    report = run(None)
    assert report.error_count == 0, "\n".join(map(str, report.errors))


def test_minimal_fixture_is_valid():
    report = run(FIXTURES / "minimal")
    assert report.error_count == 0 and report.warning_count == 0, [str(p) for p in report.errors]


@pytest.mark.parametrize("case", BAD, ids=[p.name for p in BAD])
def test_bad_input_is_reported_with_file_row_and_column(case, minimal_copy):
    overlay(case, minimal_copy)
    report = run(minimal_copy)
    errors = [str(p) for p in report.errors]
    warnings = [str(p) for p in report.warnings]
    expected = [line for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines()
                if line.strip()]
    assert expected, f"{case.name} has no expected.txt"
    for line in expected:
        if line.startswith("warning:"):
            want = line[len("warning:"):].strip()
            assert any(want in w for w in warnings), f"no warning like {want!r} in {warnings}"
        else:
            assert any(line in e for e in errors), f"no error like {line!r} in {errors}"
    if all(line.startswith("warning:") for line in expected):
        assert report.error_count == 0, f"warnings must not fail the run: {errors}"
    else:
        assert report.error_count > 0


def test_command_line_exits_1_and_separates_errors_from_warnings(minimal_copy):
    overlay(FIXTURES / "bad" / "unknown-enum", minimal_copy)
    overlay(FIXTURES / "bad" / "group-counts-disagree", minimal_copy)
    proc = subprocess.run([sys.executable, "-m", "registry.validate", "--data-dir", str(minimal_copy)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    out = proc.stdout
    assert out.index("ERRORS:") < out.index("WARNINGS:")
    assert "persons.csv:3: status: 'jailed' is not allowed" in out
    assert "1 error(s), 1 warning(s)" in out


def test_warnings_alone_exit_0(minimal_copy):
    overlay(FIXTURES / "bad" / "group-counts-disagree", minimal_copy)
    proc = subprocess.run([sys.executable, "-m", "registry.validate", "--data-dir", str(minimal_copy)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout
    assert "WARNINGS:" in proc.stdout


def test_every_problem_is_reported_in_one_run(minimal_copy):
    """Three faults in three files: all three come back at once."""
    for case in ("unknown-enum", "impossible-date", "dangling-fk-detentions-person"):
        overlay(FIXTURES / "bad" / case, minimal_copy)
    report = run(minimal_copy)
    text = "\n".join(map(str, report.errors))
    assert "persons.csv:3: status:" in text
    assert "events.csv:2: date:" in text
    assert "detentions.csv:3: person_id:" in text


# ------------------------------------------------------------ tooling faults: one line, no traceback

def test_a_directory_where_a_csv_should_be_is_reported(minimal_copy):
    (minimal_copy / "places.csv").unlink()
    (minimal_copy / "places.csv").mkdir()
    errors = [str(p) for p in run(minimal_copy).errors]
    assert any("places.csv: is a directory or other non-file; expected a CSV file" in e for e in errors)


def test_a_symlinked_csv_is_refused(minimal_copy, tmp_path):
    outside = tmp_path / "elsewhere.csv"
    (minimal_copy / "places.csv").rename(outside)
    (minimal_copy / "places.csv").symlink_to(outside)
    errors = [str(p) for p in run(minimal_copy).errors]
    assert any("places.csv: is a symbolic link; expected a regular CSV file" in e for e in errors)


def test_messages_show_invisible_and_control_characters_escaped(minimal_copy):
    # A value echoed in a message (an enum error) carries a bidi override and an escape.
    path = minimal_copy / "persons.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",female,", ",fe\u202emale\x1b[2J,", 1),
                    encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "registry.validate", "--data-dir", str(minimal_copy)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1
    assert "\u202e" not in proc.stdout and "\x1b" not in proc.stdout
    assert "'fe\\u202emale\\u001b[2J' is not allowed" in proc.stdout
    assert all(ch.isprintable() for line in proc.stdout.splitlines() for ch in line)


def test_a_build_that_cannot_write_fails_in_one_line_and_leaves_nothing(minimal_copy, tmp_path):
    blocker = tmp_path / "build"
    blocker.write_text("a file where the build folder should be")
    proc = subprocess.run([sys.executable, "-m", "registry.build", "--data-dir", str(minimal_copy),
                           "--out", str(blocker / DB_FILE)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "build failed: cannot write" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "data"]


def test_a_blank_alias_is_reported_not_a_crash(minimal_copy):
    path = minimal_copy / "aliases.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[1] = ""
    path.write_text("\n".join([lines[0], ",".join(cells)] + lines[2:]) + "\n", encoding="utf-8")
    errors = [str(p) for p in run(minimal_copy).errors]
    assert any("aliases.csv:2: alias: is required" in e for e in errors), errors
