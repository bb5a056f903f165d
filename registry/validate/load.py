"""Stream each CSV into its staging table, checking bytes, header and cells on the way."""
import csv

from .cells import DEFAULT_MAX_LENGTH, cell_checker
from .report import display_path

BATCH = 5000
SQL_TYPES = {"integer": "INTEGER", "boolean": "INTEGER", "number": "REAL", "year": "INTEGER"}


def decoded_lines(raw, path, report, state):
    """Yield the file's lines as text, reporting BOM, CRLF and bad UTF-8 with line numbers."""
    for number, line in enumerate(raw, start=1):
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            report.error(path, 1, "", "file starts with a UTF-8 byte-order mark; expected UTF-8 "
                         "without BOM", "bom")
            line = line[3:]
        if line.endswith(b"\r\n"):
            report.error(path, number, "", "line ends with CRLF; expected LF line endings", "crlf")
            line = line[:-2] + b"\n"
        elif b"\r" in line:
            report.error(path, number, "", "contains a carriage return; expected LF line endings",
                         "cr")
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as e:
            report.error(path, number, "", f"is not valid UTF-8 (byte 0x{line[e.start]:02x} at "
                         f"position {e.start + 1}); expected UTF-8 text", "encoding")
            state["broken"] = True
            text = line.decode("utf-8", errors="replace")
        yield text


def load_resource(resource, conn, report, latest):
    """Stream one CSV into its staging table. Returns True if its rows could be read."""
    path = display_path(resource.path)
    expected = resource.field_names
    cols = ", ".join(f'"{n}"' for n in expected)
    columns = ", ".join(f'"{f.name}" {SQL_TYPES.get(f.type, "TEXT")}' for f in resource.fields)
    conn.execute(f'CREATE TABLE "{resource.name}" ({columns})')
    if resource.path.is_symlink():
        report.error(path, None, "", "is a symbolic link; expected a regular CSV file in the data "
                     "folder (a link could point anywhere on the machine)", "symlink")
        return False
    if not resource.path.exists():
        report.error(path, None, "", f"file is missing; expected a CSV for resource "
                     f"'{resource.name}'", "missing-file")
        return False
    if not resource.path.is_file():
        report.error(path, None, "", f"is a directory or other non-file; expected a CSV file for "
                     f"resource '{resource.name}'", "not-a-file")
        return False
    if resource.path.stat().st_size == 0:
        report.error(path, None, "", f"file is empty; expected a header row: {','.join(expected)}",
                     "empty")
        return False
    insert = f'INSERT INTO "{resource.name}" (rowid, {cols}) VALUES (?{", ?" * len(expected)})'
    checkers = [cell_checker(f, report, path, latest) for f in resource.fields]
    memos = [c.memo for c in checkers]
    state = {"broken": False}
    with open(resource.path, "rb") as raw:
        reader = csv.reader(decoded_lines(raw, path, report, state), strict=True)
        try:
            header = next(reader)
        except csv.Error as e:
            report.error(path, 1, "", f"cannot read the header row ({e}); expected the column "
                         f"names separated by commas, then an LF: {','.join(expected)}", "csv")
            return False
        if not check_header(header, expected, path, report):
            return False
        batch, rows = [], 0
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                if "new-line character" in str(e):
                    report.error(path, line, "", "has a carriage return inside an unquoted cell; "
                                 "expected LF line endings, and line breaks only inside quoted cells",
                                 "csv")
                elif "field larger than field limit" in str(e):
                    report.error(path, line, "", f"has a cell longer than {csv.field_size_limit()} "
                                 f"characters; expected at most {DEFAULT_MAX_LENGTH}", "csv")
                else:
                    report.error(path, line, "", f"cannot be parsed as CSV ({e}); expected balanced "
                                 "double quotes", "csv")
                state["broken"] = True
                break
            rows += 1
            if len(row) != len(expected):
                report.error(path, line, "", f"has {len(row)} fields; expected {len(expected)} "
                             f"({','.join(expected)})", "columns")
                continue
            batch.append([line] + [m[v] if v in m else check(v, line)
                                   for check, m, v in zip(checkers, memos, row)])
            if len(batch) >= BATCH:
                conn.executemany(insert, batch)
                batch.clear()
        if batch:
            conn.executemany(insert, batch)
    if rows == 0 and not state["broken"]:
        report.error(path, 1, "", "has a header but no data rows; expected at least one row", "no-rows")
    return not state["broken"]


def check_header(header, expected, path, report):
    ok = True
    seen = set()
    for name in header:
        if name in seen:
            report.error(path, 1, name, "appears twice in the header; expected each column once",
                         "header")
            ok = False
        seen.add(name)
    for name in header:
        if name not in expected:
            report.error(path, 1, name, f"is not a column of this table; expected columns: "
                         f"{','.join(expected)}", "header")
            ok = False
    for name in expected:
        if name not in header:
            report.error(path, 1, name, f"column is missing from the header; expected columns: "
                         f"{','.join(expected)}", "header")
            ok = False
    if ok and header != expected:
        report.error(path, 1, "", f"columns are out of order; expected {','.join(expected)}",
                     "header")
        ok = False
    return ok
