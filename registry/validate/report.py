"""Problems as file:row: column: message, collected for one run and printed once."""
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .. import datapackage

SHOWN_PER_KIND = 20


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
    for base in (Path.cwd(), datapackage.ROOT):
        try:
            return str(path.relative_to(base))
        except ValueError:
            pass
    return str(path)
