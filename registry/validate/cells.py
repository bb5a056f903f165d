"""Checks of one cell against its field: type, constraints, and the shapes of bad input
(invisible characters, formula look-alikes, addresses that are not addresses)."""
import datetime
import re
import unicodedata

from .report import invisible, visible

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
# Per column: how many values that passed the cell checks are remembered, and how long.
MEMO_SIZE = 10000
MEMO_VALUE_LENGTH = 200


def today():
    return datetime.date.today()



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
