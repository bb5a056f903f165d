"""Property-based tests of the validator (hypothesis).

1. It never crashes, whatever bytes a CSV holds: any input ends in a report.
2. It never accepts a row that breaks the schema: a row of the valid fixture with one
   cell made to violate one constraint of its column always fails the run, with an
   error on that row and column.
3. Every error it reports for a row names the row: `file:line:` with a line that
   exists in the file.

max_examples stays modest so these run in seconds; raise HYPOTHESIS_PROFILE=thorough
for a long run.
"""
import csv
import io
import os
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from registry import datapackage, validate

from .conftest import MINIMAL

settings.register_profile("default", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

RESOURCES = {r.name: r for r in datapackage.resources()}
TABLES = sorted(RESOURCES)
TODAY = validate.today()


def line_count(content):
    return content.count(b"\n") + (0 if content.endswith(b"\n") or not content else 1)


def run_with(files):
    """Validate the minimal fixture with some files replaced by the given bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(MINIMAL, data)
        for name, content in files.items():
            (data / f"{name}.csv").write_bytes(content)
        report = validate.check(data)
        lines = {name: line_count((data / f"{name}.csv").read_bytes()) for name in TABLES}
        return report, lines


def header_bytes(table):
    return (",".join(RESOURCES[table].field_names) + "\n").encode()


# Bytes that look like CSV often enough to get past the header: pieces of a real file,
# quotes, separators, line ends, BOMs, invalid UTF-8, NUL and long runs.
PIECES = st.sampled_from([b",", b'"', b'""', b"\n", b"\r\n", b"\r", b"\xef\xbb\xbf", b"\xff", b"\xc3",
                          b"\x00", b"=", b"<script>", b"2024-02-30", b"a" * 300, b"-1", b"99999999999999999999",
                          b"test-list-2020", b"aynur-testova", b"true", b"\xd9\xa6", b" ", b"\t"])
CSV_BYTES = st.one_of(
    st.binary(max_size=400),
    st.lists(st.one_of(PIECES, st.binary(max_size=8)), max_size=60).map(b"".join),
)


@given(table=st.sampled_from(TABLES), body=CSV_BYTES, with_header=st.booleans())
def test_never_crashes_on_any_bytes(table, body, with_header):
    content = (header_bytes(table) if with_header else b"") + body
    report, _ = run_with({table: content})
    # It always finishes with a report; the count is consistent with what it lists.
    assert report.error_count >= len(report.errors)
    assert report.warning_count >= len(report.warnings)


@given(table=st.sampled_from(TABLES), body=CSV_BYTES, with_header=st.booleans())
def test_every_error_names_an_existing_line(table, body, with_header):
    content = (header_bytes(table) if with_header else b"") + body
    report, lines = run_with({table: content})
    for problem in report.errors + report.warnings:
        name = Path(problem.path).stem
        text = str(problem)
        if problem.line is None:
            # Only a file with no row at all is reported without a line.
            assert re.search(r": file is (empty|missing)", text), text
            continue
        assert isinstance(problem.line, int) and 1 <= problem.line <= max(lines[name], 1), text
        assert text.startswith(f"{problem.path}:{problem.line}: "), text
        assert "\n" not in text, f"one problem, one line: {text!r}"


# ------------------------------------------------------------ one cell breaks one constraint

def violations(field):
    """(strategy of bad values, fragment of the expected message) for each constraint."""
    c, out = field.constraints, []
    text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20)
    if c.get("required"):
        out.append((st.just(""), "is required"))
    if "enum" in c:
        out.append((text.filter(lambda v: v not in c["enum"]), "is not allowed"))
    if "pattern" in c:
        pattern = re.compile(c["pattern"])
        out.append((text.filter(lambda v: not pattern.fullmatch(v)), ""))
    if "maxLength" in c:
        out.append((st.integers(1, 50).map(lambda n: "x" * (c["maxLength"] + n)), "characters long"))
    if field.type == "integer":
        out.append((st.from_regex(r"[0-9]*[.,a-z ][0-9a-z]*", fullmatch=True).filter(bool), "not an integer"))
        if "minimum" in c:
            out.append((st.integers(c["minimum"] - 10_000, c["minimum"] - 1).map(str), "below the minimum"))
        if "maximum" in c:
            out.append((st.integers(c["maximum"] + 1, c["maximum"] + 10_000).map(str), "above the maximum"))
    if field.type == "date":
        out.append((st.sampled_from(["10/08/2014", "2024-02-30", "2021-13-01", "2021-1-1", "20210101",
                                     "2021-02-29", "yesterday", "2014.08.10"]), "not a valid date"))
        out.append((st.integers(1, 3000).map(lambda d: (TODAY.fromordinal(TODAY.toordinal() + d))
                                            .isoformat()), "in the future"))
    if field.type == "boolean":
        out.append((text.filter(lambda v: v not in ("true", "false")), "not a boolean"))
    if field.type == "string":
        starts = st.sampled_from("=+-@")
        out.append((st.tuples(starts, st.text(max_size=10)).map("".join), "formula"))
        out.append((st.sampled_from(["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
                                     "a <b>bold</b> claim", "<!-- x -->", "</p>"]), "HTML"))
        out.append((st.tuples(st.text(max_size=5), st.characters(max_codepoint=31), st.text(max_size=5))
                    .map("".join), "control character"))
    return out


CASES = [(table, f.name, strategy, fragment)
         for table in TABLES for f in RESOURCES[table].fields for strategy, fragment in violations(f)]


@st.composite
def broken_cell(draw):
    table, column, strategy, fragment = draw(st.sampled_from(CASES))
    value = draw(strategy)
    return table, column, value, fragment


@given(case=broken_cell(), row=st.integers(0, 1))
def test_never_accepts_a_row_that_breaks_the_schema(case, row):
    table, column, value, fragment = case
    with open(MINIMAL / f"{table}.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    row = min(row + 1, len(rows) - 1)
    rows[row][rows[0].index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    report, _ = run_with({table: buffer.getvalue().encode("utf-8")})
    assert report.error_count > 0, f"{table}.{column} = {value!r} was accepted"
    # The error names the file, the row's first line and the column.
    line = row + 1 + sum(r_cell.count("\n") for r in rows[:row] for r_cell in r)
    where = f"{table}.csv:{line}: {column}: "
    if "\r" in value:
        # A bare CR breaks the line itself: the error names the line, not a column.
        where = f"{table}.csv:{line}: "
        fragment = ""  # "carriage return", or "CRLF" when it ends the line
    hits = [str(p) for p in report.errors if where in str(p)]
    assert hits, f"{table}.{column} = {value!r}: no error at {where!r} in {[str(p) for p in report.errors]}"
    if fragment:
        assert any(fragment in h for h in hits), (fragment, hits)
