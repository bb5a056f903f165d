"""Criminal Code article numbers in a record's "Charge(s)" field."""
from __future__ import annotations

import re

from .html_pages import ws

ARTICLE_TOKEN = re.compile(r"(?<![\w.])(\d{1,3}(?:-\d+)?(?:\.\d+)*)(?:-ci)?(?![\w.]*\d)")


def charged_articles(charge_text: str) -> list[str]:
    """Article ids of a Charge field; the lifetime prisoners were tried under the 1960 code."""
    if "of 1960" in charge_text:
        return parse_1960_articles(charge_text)
    return parse_current_articles(charge_text)


def parse_current_articles(text: str) -> list[str]:
    """Article numbers of the current (2000) Criminal Code in a Charge field.

    A number counts as an article when it stands outside the parenthesised
    descriptions (depth 0), or when it is followed directly by "(" after a list
    separator (the conversion leaves a few descriptions with an unclosed
    parenthesis, e.g. record 43).
    """
    found: list[str] = []
    depth = 0
    pos = 0
    while pos < len(text):
        ch = text[pos]
        if ch == "(":
            depth += 1
            pos += 1
            continue
        if ch == ")":
            depth = max(0, depth - 1)
            pos += 1
            continue
        m = ARTICLE_TOKEN.match(text, pos)
        if m and (pos == 0 or not text[pos - 1].isalnum()):
            token = m.group(1)
            after = text[m.end():].lstrip()
            before = text[:pos].rstrip()
            list_ctx = (before == "" or before.endswith((",", ";", ")", ":"))
                        or re.search(r"(?:\band|\bvə|Articles?|Provisions?|Code)$", before, re.I))
            if depth == 0 or (list_ctx and after.startswith("(")):
                if depth and after.startswith("("):
                    depth = 0
                if token not in found:
                    found.append(token)
            pos = m.end()
            continue
        pos += 1
    return found


def _outside_parentheses(text: str) -> str:
    kept = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            kept.append(ch)
    return ws("".join(kept))


def parse_1960_articles(text: str) -> list[str]:
    """Articles of the 1960 Criminal Code in the lifetime prisoners' records.

    The translation writes e.g. "Article 59, Parts 1 (...), 17 (Participation),
    and 70 (Organizing armed bands ...)". Parts of a 1960 article are small
    numbers; the two-digit numbers listed after them (15 preparation/attempt,
    17 participation, 70 armed bands, 95 murder without aggravating elements)
    are their own articles of the 1960 code, as their descriptions show, so a
    listed "part" of 10 or more is read as an article.  "Part 2, Items 1, 2, 5
    and 6" gives part.item ids.  Segments are separated by ";" and only a
    segment that opens with "Article" or "Part N of Article" is read (one
    description contains a ";" of its own).
    """
    text = text.split("(of 1960)", 1)[-1]
    out: list[str] = []

    def add(a: str) -> None:
        a = "1960:" + a
        if a not in out:
            out.append(a)

    for seg in text.split(";"):
        seg = seg.strip()
        seg = re.sub(r"^and\s+", "", seg)
        m = re.match(r"Part\s+(\d+)\s+of\s+Article\s+(\d+(?:-\d+)?)", seg)
        if m:
            add(f"{m.group(2)}.{m.group(1)}")
            continue
        m = re.match(r"Article\s+(\d+(?:-\d+)?)\s*(.*)$", seg)
        if not m:
            continue
        art, rest = m.group(1), m.group(2)
        # Numbers inside the descriptions are not parts or items.
        top_s = _outside_parentheses(rest)
        m_items = re.match(r",?\s*Part\s+(\d+),\s*Items\s+([\d,\sand]+)", top_s)
        m_parts = re.match(r",?\s*Parts?\s+(.*)$", top_s)
        if m_items:
            part = m_items.group(1)
            for item in re.findall(r"\d+", m_items.group(2)):
                add(f"{art}.{part}.{item}")
        elif m_parts:
            for n in re.findall(r"\d+", m_parts.group(1)):
                if int(n) >= 10:
                    add(n)
                else:
                    add(f"{art}.{n}")
        else:
            add(art)
    return out
