"""Validate data/*.csv against schema/: every problem in one run, as file:row: column: message.

Cell checks run in Python while the rows stream into a staging SQLite database;
key, foreign-key and cross-table checks then run as SQL on that database, so memory
stays flat as the data grow and the build reuses the same load.

Usage: python -m scripts.validate [--data-dir DIR]
Exit status 1 on any error; warnings are printed and do not fail.
"""
import argparse
import csv
import datetime
import os
import re
import sqlite3
import sys
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from . import package
from . import consistency_rules, provenance_rules
from .fold import father_name, name_key

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection),
# also after leading blanks, and in their fullwidth forms; "|" starts a DDE call.
FORMULA_START = tuple("=+-@|\uff1d\uff0b\uff0d\uff20\uff5c")
HTML = re.compile(r"<\s*[a-zA-Z!/?]")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# ASCII digits only: int() would also take Arabic-Indic digits such as "١٢٣".
INTEGER = re.compile(r"-?[0-9]+")
# SQLite stores integers in 64 bits; a longer one would crash the load.
INT64 = (-(2 ** 63), 2 ** 63 - 1)
# Plain words for the patterns the schema uses, so an error says what was expected.
PATTERN_WORDS = {
    "[a-z0-9]+(-[a-z0-9]+)*": "a slug of lower-case ASCII letters and digits joined by single "
                              "hyphens, such as anar-mammadli",
    "(1960:)?[0-9]+(-[0-9]+)?(\\.[0-9]+(-[0-9]+)?)*": "an article number such as 206.3.2, "
                                                     "193-1.3.1 or 1960:57-1.2",
    "https?://\\S+": "an http:// or https:// address without spaces",
    "[a-z]{2}": "a two-letter lower-case language code such as en",
}
URL_PATTERN = "https?://\\S+"
URL_FORBIDDEN = set('"\'<>\\`{}|^')


def url_problem(url):
    """What makes an address that matches https?://... not a real one, or None."""
    from urllib.parse import urlsplit
    bad = next((c for c in url if c in URL_FORBIDDEN), None)
    if bad:
        return f"contains the character {bad!r}, which an address cannot hold unescaped"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError as e:
        return f"cannot be parsed as an address ({e})"
    if not host:
        return "has no host name"
    if "." not in host and host != "localhost":
        return f"has the host name {host!r}, which is not a domain"
    return None


# A text cell with no maxLength of its own is still bounded.
DEFAULT_MAX_LENGTH = 5000
SHOWN_PER_KIND = 20
BATCH = 5000
# Per column: how many values that passed the cell checks are remembered, and how long.
MEMO_SIZE = 10000
MEMO_VALUE_LENGTH = 200
SQL_TYPES = {"integer": "INTEGER", "boolean": "INTEGER", "number": "REAL", "year": "INTEGER"}


@dataclass
class Problem:
    path: str
    line: object
    column: str
    message: str
    warning: bool = False

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        text = f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        return visible(text)


def invisible(ch):
    """Control, format (zero-width, bidi), and line or paragraph separator characters."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")


def visible(text):
    """Every invisible or control character written as \\uXXXX, so no input can write
    terminal escapes or reorder a line in a CI log."""
    if text.isprintable():
        return text
    return "".join(f"\\u{ord(c):04x}" if invisible(c) or (not c.isprintable() and c != " ") else c
                   for c in text)


class Report:
    """Collects problems; repeats of one kind in one column are counted, not all printed."""

    def __init__(self):
        self.errors, self.warnings = [], []
        self._seen = defaultdict(int)

    def add(self, path, line, column, message, kind=None, warning=False):
        key = (path, column, kind or message, warning)
        self._seen[key] += 1
        if self._seen[key] <= SHOWN_PER_KIND:
            (self.warnings if warning else self.errors).append(
                Problem(path, line, column, message, warning))

    def error(self, *args, **kw):
        self.add(*args, **kw)

    def warn(self, *args, **kw):
        self.add(*args, warning=True, **kw)

    @property
    def hidden(self):
        return {k: n - SHOWN_PER_KIND for k, n in self._seen.items() if n > SHOWN_PER_KIND}

    @property
    def error_count(self):
        return sum(n for (_, _, _, w), n in self._seen.items() if not w)

    @property
    def warning_count(self):
        return sum(n for (_, _, _, w), n in self._seen.items() if w)

    def print(self, out=None):
        out = out or sys.stdout  # looked up now, so a redirected stdout is honoured
        for title, items, warn in (("ERRORS", self.errors, False), ("WARNINGS", self.warnings, True)):
            if not items:
                continue
            print(f"{title}:", file=out)
            for p in items:
                print(f"  {p}", file=out)
            for (path, column, kind, w), n in self.hidden.items():
                if w == warn:
                    print(f"  {path}: {column}: ... and {n} more like '{kind}'", file=out)
        print(f"{self.error_count} error(s), {self.warning_count} warning(s)", file=out)


def display_path(path):
    path = Path(path)
    path = path.parent.resolve() / path.name  # a symlink is named as itself, not its target
    for base in (Path.cwd(), package.ROOT):
        try:
            return str(path.relative_to(base))
        except ValueError:
            pass
    return str(path)


def today():
    return datetime.date.today()


# ---------------------------------------------------------------- cell checks

def shown(value, limit=80):
    """A cell as an error message quotes it: one line, and not longer than limit."""
    value = visible(value)
    return value if len(value) <= limit else value[:limit - 3] + "..."


def cell_checker(field, report, path, latest):
    """A function (value, line) -> typed value for one column, reporting what is wrong."""
    c = field.constraints
    name, ftype = field.name, field.type
    pattern = re.compile(c["pattern"]) if "pattern" in c else None
    enum = set(c["enum"]) if "enum" in c else None
    max_length = c.get("maxLength", DEFAULT_MAX_LENGTH if ftype == "string" else None)
    min_length = c.get("minLength")
    minimum, maximum = c.get("minimum"), c.get("maximum")
    required = field.required
    true_values, false_values = set(field.true_values), set(field.false_values)
    failed = [False]

    def err(*args):
        failed[0] = True
        report.error(*args)

    def check(value, line):
        if value == "":
            if required:
                err(path, line, name, "is required; expected a value, found a blank cell", "required")
            return None
        if ftype == "string":
            if not CONTROL.search(value) and all(c.isspace() or invisible(c) for c in value):
                err(path, line, name, "is blank-looking (only spaces or invisible characters); "
                    "expected a value" + ("" if required else ", or an empty cell"), "blank-looking")
                return None
            if CONTROL.search(value):
                ch = CONTROL.search(value).group()
                err(path, line, name, f"contains control character U+{ord(ch):04X}; expected plain "
                    "single-line text", "control")
            hidden = next((c for c in value if invisible(c) and not CONTROL.match(c)), None)
            if hidden:
                err(path, line, name, f"contains invisible character U+{ord(hidden):04X} "
                    f"({unicodedata.name(hidden, 'unnamed')}); expected visible text without "
                    "zero-width, bidirectional or separator characters", "invisible")
            if not unicodedata.is_normalized("NFC", value):
                err(path, line, name, "is not in Unicode NFC form (a letter is stored as a base "
                    "letter plus a combining mark); expected NFC text, as an editor saving "
                    "composed characters writes it", "nfc")
            start = value.lstrip()
            if start.startswith(FORMULA_START):
                err(path, line, name, f"starts with '{start[0]}'{' after blanks' if start != value else ''}"
                    ", which a spreadsheet would run as a formula; expected text that does not "
                    "start with = + - @ | or their fullwidth forms", "formula")
            if HTML.search(value):
                err(path, line, name, f"contains HTML markup ({HTML.search(value).group()}...); "
                    "expected plain text", "html")
            if max_length is not None and len(value) > max_length:
                err(path, line, name, f"is {len(value)} characters long; expected at most {max_length}",
                    "maxLength")
            if min_length is not None and len(value) < min_length:
                err(path, line, name, f"is {len(value)} characters long; expected at least {min_length}",
                    "minLength")
            typed = value
        elif ftype == "integer":
            if not INTEGER.fullmatch(value):
                err(path, line, name, f"'{shown(value)}' is not an integer; expected whole digits such as 66",
                    "type")
                return None
            typed = int(value)
            if not INT64[0] <= typed <= INT64[1]:
                err(path, line, name, f"'{value[:30]}' is too large; expected an integer of at most "
                    "18 digits", "type")
                return None
        elif ftype == "date":
            try:
                if not DATE.fullmatch(value):
                    raise ValueError
                day = datetime.date.fromisoformat(value)
            except ValueError:
                err(path, line, name, f"'{shown(value)}' is not a valid date; expected an existing day as "
                    "YYYY-MM-DD", "type")
                return None
            if day > latest:
                err(path, line, name, f"{value} is in the future; expected a date on or before "
                    f"{latest.isoformat()}", "future")
            typed = value
        elif ftype == "boolean":
            if value in true_values:
                typed = 1
            elif value in false_values:
                typed = 0
            else:
                err(path, line, name, f"'{shown(value)}' is not a boolean; expected "
                    f"{' or '.join(sorted(true_values | false_values))}", "type")
                return None
        elif ftype == "number":
            try:
                typed = float(value)
            except ValueError:
                err(path, line, name, f"'{shown(value)}' is not a number", "type")
                return None
        else:
            typed = value
        if enum is not None and value not in enum:
            err(path, line, name, f"'{shown(value)}' is not allowed; expected one of: "
                f"{', '.join(sorted(enum))}", "enum")
        if pattern is not None and not pattern.fullmatch(value):
            words = PATTERN_WORDS.get(pattern.pattern)
            err(path, line, name, f"'{shown(value)}' does not match the expected form /{pattern.pattern}/"
                + (f"; expected {words}" if words else ""),
                "pattern")
        if pattern is not None and pattern.pattern == URL_PATTERN and pattern.fullmatch(value):
            problem = url_problem(value)
            if problem:
                err(path, line, name, f"'{shown(value)}' {problem}; expected a real web address "
                    "such as https://example.org/page", "url")
        if minimum is not None and typed < minimum:
            err(path, line, name, f"{value} is below the minimum {minimum}; expected at least {minimum}",
                "minimum")
        if maximum is not None and typed > maximum:
            err(path, line, name, f"{value} is above the maximum {maximum}; expected at most {maximum}",
                "maximum")
        return typed

    # The check depends on the value alone, so a value that passed once passes again:
    # remember the values that passed (a bounded number of short ones), and the
    # repeated values of a column (source ids, enums, dates) cost one dict lookup.
    memo = {}

    def checked(value, line):
        failed[0] = False
        typed = check(value, line)
        if not failed[0] and len(memo) < MEMO_SIZE and len(value) <= MEMO_VALUE_LENGTH:
            memo[value] = typed
        return typed

    checked.memo = memo
    return checked


# ---------------------------------------------------------------- file checks

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


# ---------------------------------------------------------------- key and table rules

def quoted(names):
    return ", ".join(f'"{n}"' for n in names)


def check_keys(resources, conn, report, readable):
    by_name = {r.name: r for r in resources}
    for res in resources:
        if not readable[res.name]:
            continue
        path = display_path(res.path)
        keys = [res.primary_key] if res.primary_key else []
        keys += [[f.name] for f in res.fields if f.constraints.get("unique") and [f.name] not in keys]
        for key in keys:
            kind = "primary key" if key == res.primary_key else "unique value"
            where = " AND ".join(f'"{k}" IS NOT NULL' for k in key)
            sql = (f'SELECT rowid, {quoted(key)}, min(rowid) OVER (PARTITION BY {quoted(key)}) '
                   f'FROM "{res.name}" WHERE {where} AND ({quoted(key)}) IN ('
                   f'SELECT {quoted(key)} FROM "{res.name}" WHERE {where} GROUP BY {quoted(key)} '
                   f'HAVING count(*) > 1) ORDER BY rowid')
            for line, *values in conn.execute(sql):
                first = values.pop()
                if line != first:
                    shown_key = shown(", ".join(f"{k}={v}" for k, v in zip(key, values)), 200)
                    report.error(path, line, key[0], f"duplicate {kind} ({shown_key}); first used on line "
                                 f"{first}; expected each {kind} once", "duplicate")
        for fk in res.foreign_keys:
            parent = by_name.get(fk["reference"]["resource"])
            if parent is None or not readable[parent.name]:
                continue
            cols, refs = fk["fields"], fk["reference"]["fields"]
            index = f'"_fk_{parent.name}_{"_".join(refs)}"'
            conn.execute(f'CREATE INDEX IF NOT EXISTS {index} ON "{parent.name}" ({quoted(refs)})')
            join = " AND ".join(f'p."{r}" = c."{f}"' for f, r in zip(cols, refs))
            present = " AND ".join(f'c."{f}" IS NOT NULL' for f in cols)
            selected = ", ".join(f'c."{f}"' for f in cols)
            sql = (f'SELECT c.rowid, {selected} '
                   f'FROM "{res.name}" c WHERE {present} AND NOT EXISTS '
                   f'(SELECT 1 FROM "{parent.name}" p WHERE {join}) ORDER BY c.rowid')
            for line, *values in conn.execute(sql):
                report.error(path, line, cols[0], f"'{shown(','.join(map(str, values)))}' is not in "
                             f"{display_path(parent.path)} ({','.join(refs)}); expected an existing "
                             f"{','.join(refs)}",
                             "foreign-key")


def check_rules(resources, conn, report, readable):
    """Rules across rows and tables that a Table Schema cannot state."""
    paths = {r.name: display_path(r.path) for r in resources}
    ok = lambda *names: all(readable.get(n) for n in names)  # noqa: E731

    if ok("detentions"):
        for line, arrested, released in conn.execute(
                "SELECT rowid, arrested_on, released_on FROM detentions "
                "WHERE released_on < arrested_on ORDER BY rowid"):
            report.error(paths["detentions"], line, "released_on", f"{released} is before arrested_on "
                         f"{arrested}; expected a release on or after the arrest", "release-order")
        for line, in conn.execute(
                "SELECT rowid FROM detentions WHERE (released_on IS NOT NULL OR release_reason IS NOT "
                "NULL) AND release_source_id IS NULL ORDER BY rowid"):
            report.error(paths["detentions"], line, "release_source_id", "is blank but the row "
                         "records a release; expected the source that states the release",
                         "release-source")
    if ok("persons", "detentions"):
        # Without this index the NOT EXISTS below scans detentions once per person:
        # quadratic, 15 s at 10k persons and hours at 1M (docs/performance.md).
        conn.execute('CREATE INDEX IF NOT EXISTS "_rule_detentions_person_id" ON detentions (person_id)')
        for line, pid in conn.execute(
                "SELECT rowid, person_id FROM persons p WHERE NOT EXISTS (SELECT 1 FROM detentions d "
                "WHERE d.person_id = p.person_id) ORDER BY rowid"):
            report.error(paths["persons"], line, "person_id", f"'{pid}' has no detention; expected at "
                         f"least one row in {paths['detentions']}", "no-detention")
    if ok("persons", "aliases"):
        check_near_duplicates(conn, report, paths)
    if ok("lists", "list_group_counts"):
        for line, lid, total, summed in conn.execute(
                "SELECT l.rowid, l.list_id, l.total, sum(g.count) FROM lists l JOIN list_group_counts "
                "g ON g.list_id = l.list_id WHERE l.total IS NOT NULL GROUP BY l.list_id "
                "HAVING sum(g.count) != l.total ORDER BY l.rowid"):
            report.warn(paths["lists"], line, "total", f"'{lid}' publishes a total of {total} but its "
                        f"group counts in {paths['list_group_counts']} add up to {summed}; both are "
                        "kept as published", "group-sum")
    if ok("sources"):
        provenance_rules.check_sources(conn, report, paths)
        consistency_rules.check_same_addresses(conn, report, paths)
    consistency_rules.check_rows_agree(conn, report, paths, ok)
    if ok("lists", "list_entries"):
        provenance_rules.check_list_basis(conn, report, paths)
    if ok("list_entries", "list_removals"):
        provenance_rules.check_list_removals(conn, report, paths)
    if "corrections" in paths and ok(*paths):
        provenance_rules.check_corrections(conn, report, paths, resources, package.version())
    if ok("sources"):
        cited = []
        for res in resources:
            for fk in res.foreign_keys:
                if fk["reference"]["resource"] == "sources" and ok(res.name):
                    cited.append(f'SELECT "{fk["fields"][0]}" AS source_id FROM "{res.name}"')
        if cited:
            conn.execute(f"CREATE TEMP TABLE cited AS {' UNION '.join(cited)}")
            for line, sid in conn.execute(
                    "SELECT rowid, source_id FROM sources WHERE source_id NOT IN "
                    "(SELECT \"source_id\" FROM cited WHERE \"source_id\" IS NOT NULL) ORDER BY rowid"):
                report.warn(paths["sources"], line, "source_id", f"'{sid}' is cited by no row; expected "
                            "every source to support at least one fact", "unused-source")


def check_near_duplicates(conn, report, paths):
    """Two person_ids whose names fold to one key are probably one person spelt twice.

    People who share a name but whose patronymics name different fathers, or whom
    sources give different genders (Arzu Huseynova, Araz Hasanov), are different
    people, and are not reported.
    """
    conn.execute("CREATE TEMP TABLE name_keys (key TEXT, person_id TEXT, line INTEGER, name TEXT, "
                 "source TEXT)")
    conn.execute("CREATE TEMP TABLE fathers (person_id TEXT PRIMARY KEY, father TEXT)")
    spellings = (
        ((line, pid, n, "persons") for line, pid, name, name_az in conn.execute(
            "SELECT rowid, person_id, name, name_az FROM persons") for n in (name, name_az) if n),
        conn.execute("SELECT rowid, person_id, alias, 'aliases' FROM aliases"))
    # Batches, not a dict of every person's father, so memory stays flat at 1M persons;
    # OR IGNORE keeps each person's first father, as setdefault did.
    rows, fathers = [], []
    for line, pid, name, table in (row for source in spellings for row in source):
        rows.append((name_key(name), pid, line, name, table))
        father = father_name(name)
        if father:
            fathers.append((pid, father))
        if len(rows) >= BATCH:
            conn.executemany("INSERT INTO name_keys VALUES (?, ?, ?, ?, ?)", rows)
            conn.executemany("INSERT OR IGNORE INTO fathers VALUES (?, ?)", fathers)
            rows.clear()
            fathers.clear()
    conn.executemany("INSERT INTO name_keys VALUES (?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT OR IGNORE INTO fathers VALUES (?, ?)", fathers)
    conn.execute("CREATE INDEX temp.name_keys_key ON name_keys (key, person_id)")
    reported = set()
    for a_pid, a_line, a_name, a_src, b_pid, b_line, b_name, b_src in conn.execute("""
            SELECT a.person_id, a.line, a.name, a.source, b.person_id, b.line, b.name, b.source
            FROM name_keys a JOIN name_keys b ON a.key = b.key AND a.person_id > b.person_id
            LEFT JOIN fathers fa ON fa.person_id = a.person_id
            LEFT JOIN fathers fb ON fb.person_id = b.person_id
            LEFT JOIN persons ga ON ga.person_id = a.person_id
            LEFT JOIN persons gb ON gb.person_id = b.person_id
            WHERE a.key != '' AND NOT (fa.father IS NOT NULL AND fb.father IS NOT NULL
                                       AND fa.father != fb.father)
              AND NOT (ga.gender IS NOT NULL AND gb.gender IS NOT NULL AND ga.gender != gb.gender)
            ORDER BY a.line, b.line"""):
        if (a_pid, b_pid) in reported:
            continue
        reported.add((a_pid, b_pid))
        if (a_src, a_line) < (b_src, b_line):
            # Report the later row: it is usually the one just added.
            a_pid, a_line, a_name, a_src, b_pid, b_line, b_name, b_src = (
                b_pid, b_line, b_name, b_src, a_pid, a_line, a_name, a_src)
        column = "name" if a_src == "persons" else "alias"
        report.error(paths[a_src], a_line, column, f"'{a_name}' ({a_pid}) looks like the same person as "
                     f"'{b_name}' ({b_pid}, {paths[b_src]}:{b_line}); expected one person_id per "
                     "person, with other spellings in aliases", "near-duplicate")


# ---------------------------------------------------------------- entry points

def validate(data_dir=None, staging=None, descriptor=package.DESCRIPTOR, latest=None):
    """Validate every resource. Returns (report, open staging connection)."""
    resources = package.resources(descriptor, data_dir)
    if staging is None:
        fd, staging = tempfile.mkstemp(prefix="registry-validate-", suffix=".db")
        os.close(fd)
        os.unlink(staging)
    conn = sqlite3.connect(staging, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA temp_store = FILE")
    report = Report()
    latest = latest or today()
    readable = {}
    conn.execute("BEGIN")
    for res in resources:
        readable[res.name] = load_resource(res, conn, report, latest)
    conn.execute("COMMIT")
    check_keys(resources, conn, report, readable)
    check_rules(resources, conn, report, readable)
    return report, conn, resources


def check(data_dir=None, **kwargs):
    """Validate and return the report only; the staging database is deleted."""
    report, conn, _ = validate(data_dir, **kwargs)
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    conn.close()
    if path:
        os.unlink(path)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="validate the CSVs in this folder instead of data/")
    args = parser.parse_args(argv)
    report = check(args.data_dir)
    report.print()
    return 1 if report.error_count else 0


if __name__ == "__main__":
    sys.exit(main())
