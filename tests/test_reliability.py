"""Nothing bad gets in and nothing good is lost.

- Every class of bad input in tests/fixtures/bad/ makes `registry.build` exit 1 with
  its file:row: column: message, and the last good database stays byte for byte.
- A dangling value in EVERY foreign-key column of the schema is reported (generated
  from schema/*.json, so a new foreign key is covered without a new fixture).
- A build killed with SIGKILL at any stage leaves the last good database untouched,
  and the next build clears the killed build's temporary files.
- A corrupt or foreign database file stops `python -m registry.serve` (what `make
  serve` runs) with a non-zero exit and a message that says what to do.
- The same inputs build the same data (`iterdump` identical across two builds).
"""
import csv
import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from registry import build, datapackage
from registry.settings import DB_PATH
DB_FILE = DB_PATH.name

from .conftest import FIXTURES, MINIMAL, ROOT, build_minimal
from .test_validate import overlay

BAD = sorted(p for p in (FIXTURES / "bad").iterdir() if p.is_dir())


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def expected_lines(case):
    return [line for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def leftovers(folder):
    return sorted(p.name for p in Path(folder).iterdir() if p.name.startswith("."))


@pytest.fixture
def good_db(tmp_path, minimal_copy):
    """A database built from the valid minimal fixture: the 'last good' one."""
    out = tmp_path / "out" / DB_FILE
    assert build.build(minimal_copy, out, commit="test").error_count == 0
    return out


# ------------------------------------------------------------ every bad class, through the build

@pytest.mark.parametrize("case", BAD, ids=[p.name for p in BAD])
def test_every_bad_class_fails_the_build_and_keeps_the_last_good_database(
        case, minimal_copy, good_db, capfd):
    before = sha(good_db)
    overlay(case, minimal_copy)
    status = build.main(["--data-dir", str(minimal_copy), "--out", str(good_db)])
    out, err = capfd.readouterr()
    lines = expected_lines(case)
    warnings_only = all(line.startswith("warning:") for line in lines)
    for line in lines:
        assert line.removeprefix("warning:").strip() in out, f"{line!r} not in:\n{out}"
    if warnings_only:
        # Warnings are reported and do not fail: the build goes ahead.
        assert status == 0, out
        assert "WARNINGS:" in out and "0 error(s)" in out
    else:
        assert status == 1, out
        assert "previous database is unchanged" in err
        assert sha(good_db) == before, "a failed build changed the last good database"
    assert leftovers(good_db.parent) == [], "temporary files left behind"


def test_each_bad_class_is_its_own_failure():
    """A class of bad input earns its folder by a failure no other class shows: two folders
    that expect the same messages test one thing twice, and a folder with no CSV or no
    expected message tests nothing."""
    seen = {}
    for case in BAD:
        assert list(case.glob("*.csv")) or (case / "delete.txt").exists(), \
            f"{case.name} changes no CSV"
        lines = tuple(sorted(expected_lines(case)))
        assert lines, f"{case.name} expects no message"
        assert lines not in seen, f"{case.name} expects exactly what {seen[lines]} expects"
        seen[lines] = case.name


def test_a_cell_longer_than_the_csv_reader_takes_is_reported(minimal_copy):
    from registry import validate
    path = minimal_copy / "cases.csv"
    path.write_text(src := path.read_text(encoding="utf-8").replace(
        "A fictional collective case.", "x" * 200_000), encoding="utf-8")
    report = validate.check(minimal_copy)
    assert "x" * 1000 in src
    # The csv module's limit is process-wide (another module may raise it): either the
    # reader's limit or the column's maxLength catches the cell, on its row.
    assert any(re.search(r"cases\.csv:2: (has a cell longer than|description: is 200000 characters "
                         r"long; expected at most)", str(p)) for p in report.errors), \
        [str(p) for p in report.errors]


# ------------------------------------------------------------ a dangling value in every foreign key

def foreign_key_columns():
    out = []
    for res in datapackage.resources():
        for fk in res.foreign_keys:
            out.append((res.name, fk["fields"][0], fk["reference"]["resource"],
                        fk["reference"]["fields"][0]))
    return out


FOREIGN_KEYS = foreign_key_columns()


def dangling_value(table, column):
    field = next(r for r in datapackage.resources() if r.name == table).field(column)
    # A value of the right form, so only the foreign key is wrong.
    return "999.9.9" if field.constraints.get("pattern", "").startswith("(1960:)") else "no-such-id-x"


def test_every_foreign_key_column_is_covered():
    assert len(FOREIGN_KEYS) >= 20
    assert ("detentions", "person_id", "persons", "person_id") in FOREIGN_KEYS
    assert ("lists", "same_list_as", "lists", "list_id") in FOREIGN_KEYS


@pytest.mark.parametrize("table,column,parent,ref", FOREIGN_KEYS,
                         ids=[f"{t}.{c}->{p}" for t, c, p, _ in FOREIGN_KEYS])
def test_a_dangling_value_is_reported_in_every_foreign_key_column(minimal_copy, table, column,
                                                                   parent, ref):
    from registry import validate
    path = minimal_copy / f"{table}.csv"
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    value = dangling_value(table, column)
    rows[1][header.index(column)] = value
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    report = validate.check(minimal_copy)
    errors = [str(p) for p in report.errors]
    want = f"{table}.csv:2: {column}: '{value}' is not in "
    hit = [e for e in errors if want in e]
    assert hit, f"no error like {want!r} in {errors}"
    assert f"{parent}.csv ({ref}); expected an existing {ref}" in hit[0]


# ------------------------------------------------------------ SIGKILL part-way through a build

NAMES_A, NAMES_B = "bdfklm", "nprtsv"  # alternate, so no two letters in a row are equal


def synthetic_name(i):
    """A distinct surname for i: the near-duplicate check never sees two alike."""
    letters, pos = [], 0
    while True:
        alphabet = NAMES_A if pos % 2 == 0 else NAMES_B
        letters.append(alphabet[i % 6])
        i //= 6
        pos += 1
        if not i:
            break
    return "".join(c + "o" for c in letters).capitalize()


def write_synthetic_copy(target, persons=1000):
    """The minimal fixture plus `persons` people, each with a detention, a charge and an event."""
    shutil.copytree(MINIMAL, target)
    with open(target / "persons.csv", "a", encoding="utf-8", newline="") as p, \
            open(target / "detentions.csv", "a", encoding="utf-8", newline="") as d, \
            open(target / "charges.csv", "a", encoding="utf-8", newline="") as c, \
            open(target / "events.csv", "a", encoding="utf-8", newline="") as e:
        for i in range(persons):
            pid = f"synth-{i}"
            p.write(f"{pid},Synth {synthetic_name(i)},,,,Reporter,,journalist-blogger,imprisoned,"
                    f"2021-03-01,test-news-2021,A synthetic person for the load.,test-list-2020\n")
            d.write(f"{pid}-2020,{pid},2020-01-15,day,test-prison-1,test-media-case,imprisonment,"
                    f"66,2020-04-20,,,,,test-list-2020\n")
            c.write(f"{pid}-2020,206.3.2,charged,test-list-2020\n")
            e.write(f"{pid}-2020-01-15-arrested,{pid},{pid}-2020,2020-01-15,day,arrested,"
                    f"Arrested (synthetic).,test-list-2020\n")
    return target


@pytest.fixture(scope="module")
def synthetic_data(tmp_path_factory):
    return write_synthetic_copy(tmp_path_factory.mktemp("synthetic") / "data")


# Runs the real build in a child process, but first wraps one of its steps so that the
# step writes a marker file and then waits: the test kills the child at exactly that
# point, every time, however fast the machine is.
PAUSED_BUILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from registry import build, validate
    module, step, marker = {module!r}, {step!r}, Path({marker!r})
    target = build if module == "build" else validate
    original = getattr(target, step)
    def paused(*args, **kwargs):
        result = original(*args, **kwargs) if {after!r} else None
        marker.write_text("reached")
        while True:
            time.sleep(1)
    setattr(target, step, paused)
    sys.exit(build.main(["--data-dir", {data!r}, "--out", {out!r}]))
""")

# (module, function, run it before pausing?): the stages a build goes through.
KILL_POINTS = {
    "while-validating": ("validate", "check_keys", False),
    "after-rows-copied-into-the-new-file": ("build", "add_person_facets", True),
    "while-indexing-the-new-file": ("build", "add_indexes", False),
    "just-before-the-rename": ("os", "replace", False),
}


def run_until(point, data, out, marker, timeout=120):
    module, step, after = KILL_POINTS[point]
    if module == "os":
        # Pause os.replace only when the build calls it, not in imports.
        script = PAUSED_BUILD.replace("target = build if module == \"build\" else validate",
                                      "target = build.os")
    else:
        script = PAUSED_BUILD
    code = script.format(root=str(ROOT), module=module, step=step, after=after, marker=str(marker),
                         data=str(data), out=str(out))
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"build ended before {point}: {proc.stdout.read().decode()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"build never reached {point}")
        time.sleep(0.01)
    return proc


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_sigkill_at_any_stage_leaves_the_last_good_database(point, synthetic_data, good_db, tmp_path,
                                                            minimal_copy):
    before = sha(good_db)
    proc = run_until(point, synthetic_data, good_db, tmp_path / "marker")
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert sha(good_db) == before, f"SIGKILL {point} changed the database"
    sqlite3.connect(f"file:{good_db}?mode=ro", uri=True).execute("PRAGMA quick_check").fetchone()
    left = leftovers(good_db.parent)
    if point != "while-validating":
        assert any(name.endswith(".tmp") for name in left), left
    # The next build succeeds and clears the killed build's temporary files.
    assert build.build(minimal_copy, good_db, commit="test").error_count == 0
    assert leftovers(good_db.parent) == []
    count = sqlite3.connect(good_db).execute("SELECT count(*) FROM persons").fetchone()[0]
    assert count == 2


def test_sigkill_without_a_pause_as_soon_as_the_new_file_appears(synthetic_data, good_db):
    """The plain build, killed the moment its temporary database file appears on disk."""
    before = sha(good_db)
    proc = subprocess.Popen([sys.executable, "-m", "registry.build", "--data-dir", str(synthetic_data),
                             "--out", str(good_db)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not any(p.suffix == ".tmp" for p in good_db.parent.iterdir()):
        assert proc.poll() is None, "the build ended before it wrote its temporary file"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert sha(good_db) == before


def test_a_build_running_now_keeps_its_files(tmp_path):
    """Only the files of dead builds are cleared: a live build's names carry a live pid."""
    out = tmp_path / DB_FILE
    live = tmp_path / f".staging-{os.getpid()}-abc123.db"
    parent = tmp_path / f".{DB_FILE}.{os.getppid()}.abc123.tmp"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    gone = tmp_path / f".{DB_FILE}.{dead.pid}.abc123.tmp"
    other = tmp_path / ".unrelated.tmp"
    for p in (live, parent, gone, other):
        p.write_text("x")
    build.remove_leftovers(out)
    assert live.exists() and parent.exists() and other.exists()
    assert not gone.exists()


# ------------------------------------------------------------ a corrupt database stops the server

def corrupt_variants(good, folder):
    data = Path(good).read_bytes()
    page = int.from_bytes(data[16:18], "big") or 65536
    variants = {
        "random-bytes": os.urandom(len(data)),
        "zero-length": b"",
        "truncated-half": data[: len(data) // 2],
        "header-only": data[:100],
        "pages-zeroed": data[:page] + b"\0" * (len(data) - page),
        "pages-scrambled": data[:page] + bytes(b ^ 0x5A for b in data[page:]),
        "text-file": b"person_id,name\nanar-mammadli,Anar Mammadli\n",
    }
    out = {}
    for name, content in variants.items():
        path = Path(folder) / f"{name}.db"
        path.write_bytes(content)
        out[name] = path
    other = Path(folder) / "not-the-registry.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    out["not-the-registry"] = other
    out["missing"] = Path(folder) / "missing.db"
    return out


@pytest.fixture(scope="module")
def corrupt_dbs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corrupt")
    good = build_minimal(folder, "good.db")
    return corrupt_variants(good, folder)


CORRUPT = ["random-bytes", "zero-length", "truncated-half", "header-only", "pages-zeroed",
           "pages-scrambled", "text-file", "not-the-registry", "missing"]


@pytest.mark.parametrize("variant", CORRUPT)
def test_serve_refuses_a_corrupt_database_with_a_clear_message(corrupt_dbs, variant):
    from .browser.conftest import free_port
    db = corrupt_dbs[variant]
    before = sha(db) if db.exists() else None
    proc = subprocess.Popen([sys.executable, "-m", "registry.serve", "--db", str(db),
                             "--port", str(free_port())], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"serve started on a {variant} database instead of refusing it")
    assert proc.returncode != 0
    assert err.startswith("serve: "), err
    assert str(db) in err and "make build" in err, err
    assert "Traceback" not in err
    assert (sha(db) if db.exists() else None) == before, "serve must not touch the file"


# ------------------------------------------------------------ the same inputs build the same data

def dump(path):
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.mark.parametrize("data", ["minimal", "synthetic"])
def test_two_builds_of_the_same_inputs_hold_the_same_data(tmp_path, data, synthetic_data):
    source = MINIMAL if data == "minimal" else synthetic_data
    first, second = tmp_path / "a" / "registry.db", tmp_path / "b" / "registry.db"
    for out in (first, second):
        assert build.build(source, out, commit="test").error_count == 0
    a, b = dump(first), dump(second)
    assert len(a) > 20
    assert a == b


def test_two_builds_of_the_real_data_hold_the_same_data(tmp_path, real_db):
    again = tmp_path / "again.db"
    commit = dict(sqlite3.connect(real_db).execute("SELECT key, value FROM registry_build"))["git_commit"]
    assert build.build(out=again, commit=commit).error_count == 0
    assert dump(real_db) == dump(again)
