"""Dates as the list prints them, and as the registry's summaries write them."""
from __future__ import annotations

import re

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
MONTH_NAMES = "|".join(MONTHS)


def parse_date(text: str) -> str | None:
    """First date in a field: '22 November 2013', 'July 23rd, 2014', 'March13, 2007'."""
    m = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_NAMES})\s*,?\s*(\d{{4}})", text, re.I)
    if m:
        d, mo, y = int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3))
    else:
        m = re.search(rf"\b({MONTH_NAMES})\s*(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(\d{{4}})", text, re.I)
        if not m:
            return None
        mo, d, y = MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(3))
    return f"{y:04d}-{mo:02d}-{d:02d}"


def human_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    month = list(MONTHS)[m - 1].capitalize()
    return f"{d} {month} {y}"


def human_term(months: int) -> str:
    y, m = divmod(months, 12)
    parts = []
    if y:
        parts.append(f"{y} year" + ("s" if y != 1 else ""))
    if m:
        parts.append(f"{m} month" + ("s" if m != 1 else ""))
    return " and ".join(parts)
