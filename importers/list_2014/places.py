"""Place of detention as printed -> one place row (several spellings are one place)."""
from __future__ import annotations

import re

from .html_pages import ws

# Numbered prisons need no hand-written rule: the number is the identity.
NUMBERED_PRISON_RE = re.compile(r"^(?:Prison|Penitentiary Institution)\s*(?:No\.?|#|№)\s*(\d+)$", re.I)


def normalise_place(printed: str | None, rules) -> tuple[str, str, str] | None:
    """(place_id, name, kind) for a printed place; rules are facts/place_rules.csv.

    An unknown place stops the import rather than publishing an unnormalised one.
    """
    if not printed:
        return None
    p = ws(printed).rstrip(".")
    m = NUMBERED_PRISON_RE.match(p)
    if m:
        n = m.group(1)
        return (f"prison-no-{n}", f"Prison No. {n}", "penitentiary_institution")
    for rule in rules:
        if rule.pattern.search(p):
            return (rule.place_id, rule.name, rule.kind)
    raise ValueError(f"unknown place of detention: {printed!r}")
