"""The one translations table (locales/translations.csv): labels for codes and the
interface's own words, in English, Azerbaijani and Russian.

Codes (statuses, categories, event kinds, release reasons, ...) stay codes in the data,
the JSON and the CSV, which are the API; pages show a code's label in the reader's
language. A missing translation falls back to English, and a missing English label to
the code with its underscores as spaces, so a new code never breaks a page.
"""
import csv

from .settings import ROOT

PATH = ROOT / "locales" / "translations.csv"
LANGUAGES = ("en", "az", "ru")
DEFAULT = "en"
# The language's own name, for the switch.
NAMES = {"en": "English", "az": "Azərbaycanca", "ru": "Русский"}


CATEGORIES = ROOT / "data" / "categories.csv"
_TABLE = {}


def from_csv(path=PATH, categories=CATEGORIES):
    """The table as the build reads it, from the repository's files."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = {(row["domain"], row["code"]): row for row in csv.DictReader(f)}
    # A category's English name is the data's (data/categories.csv), not typed here again.
    with open(categories, encoding="utf-8", newline="") as f:
        for category in csv.DictReader(f):
            row = rows.setdefault(("category", category["category_id"]),
                                  {"domain": "category", "code": category["category_id"]})
            row["en"] = category["name"]
    return rows


def load(rows):
    """Use these rows (the built database's translations table) from now on: a deployed
    site has the database, not the repository's files."""
    _TABLE.clear()
    _TABLE.update({(row["domain"], row["code"]): dict(row) for row in rows})


def table():
    if not _TABLE:
        _TABLE.update(from_csv())
    return _TABLE


def label(domain, code, lang=DEFAULT):
    """The label of code in domain, in lang (falling back to English, then to the code)."""
    if code is None:
        return ""
    row = table().get((domain, code))
    if row is None:
        return str(code).replace("_", " ")
    # The interface's own words are keyed by their English text, which is not typed twice.
    return row.get(lang if lang in LANGUAGES else DEFAULT) or row.get(DEFAULT) or str(code)


def language(value):
    """A requested language if the interface has it, else English."""
    return value if value in LANGUAGES else DEFAULT


# Units of a term, with the plural forms each language needs (Russian has three).
UNITS = {"en": {"year": ("year", "years"), "month": ("month", "months")},
         "az": {"year": ("il",), "month": ("ay",)},
         "ru": {"year": ("год", "года", "лет"), "month": ("месяц", "месяца", "месяцев")}}


def count(n, unit, lang=DEFAULT):
    """'1 year', '9 years'; '9 il'; '1 год', '3 года', '9 лет'."""
    forms = UNITS[language(lang)][unit]
    if len(forms) == 3:
        form = forms[0] if n % 10 == 1 and n % 100 != 11 else \
            forms[1] if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else forms[2]
    else:
        form = forms[0] if n == 1 or len(forms) == 1 else forms[1]
    return f"{n} {form}"


def term(months, lang=DEFAULT):
    """A term in months as years and months: '5 years 6 months', '6 months'."""
    years, rest = divmod(int(months), 12)
    parts = ([count(years, "year", lang)] if years else []) + ([count(rest, "month", lang)] if rest else [])
    return " ".join(parts) or count(0, "month", lang)
