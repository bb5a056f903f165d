#!/usr/bin/env python3
"""Import the August 2014 list of political prisoners in Azerbaijan.

Source: "THE LIST: Political Prisoners in Azerbaijan", Working Group led by
Leyla Yunus and Rasul Jafarov, information as of 10 August 2014 (source_id
``list-2014-08``).  The importer reads the unedited pdftohtml conversion of the
PDF (``list-2014-08-political-prisoners-azerbaijan.html``).

What is read from the HTML, record by record:
  * section (A-G) and subsection (a., b., ...) headings,
  * record number and name as printed,
  * the "Date of arrest" / "Date of Detention" field,
  * every Criminal Code article in the "Charge(s)" field,
  * the "Place of detention" field.

What is curated by a human reader (tables further down), because the list
states it in free prose: the verdict (sentence length and date), occupation /
affiliation, the English name where the printed one is a typo, extra spellings,
and the few arrest dates the field does not give as an arrest date.  Every
curated verdict carries an ``evidence`` tuple: short strings that must occur in
the record's own text or in its subsection's group text, and the importer
refuses to run if one is missing.  The evidence strings are only used as a
check; no sentence of the document is written to the output.

Usage:  python scripts/import_list_2014.py PATH --out DIR
Stdlib only.
"""
from __future__ import annotations

import argparse
import csv
import html
import json
import re
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCHEMA_DIR = REPO / "schema"

SOURCE_ID = "list-2014-08"
LIST_ID = "working-group-2014-08-10"
AS_OF = "2014-08-10"

SOURCE_ROW = {
    "source_id": SOURCE_ID,
    "publisher": "Working Group on a single list of political prisoners (Leyla Yunus and Rasul Jafarov); "
                 "English edition published by the European Stability Initiative",
    "title": "THE LIST: Political Prisoners in Azerbaijan",
    "published_on": "2014-08-10",
    "published_precision": "day",
    "url": "http://www.esiweb.org/pdf/THE%20LIST%20-%2098%20political%20prisoners%20in%20Azerbaijan%20-%20August%202014.pdf",
    "kind": "political_prisoner_list",
    "language": "en",
    "note": "Itemised list of 98 people in seven sections, with information as of 10 August 2014.",
}

TABLES = ["sources", "lists", "list_entries", "persons", "aliases", "places", "cases",
          "articles", "detentions", "charges", "events"]

SECTION_CATEGORY = {
    "A": "journalist-blogger",
    "B": "human-rights-defender",
    "C": "youth-activist",
    "D": "opposition-civil-activist",
    "E": "religious-believer",
    "F": "lifetime-prisoner",
    "G": "other",
}

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}


# ---------------------------------------------------------------------------
# 1. HTML -> cleaned lines
# ---------------------------------------------------------------------------

# Footnotes sit at the bottom of a page as "<n> <url>" or one of three text
# footnotes; the conversion sometimes glues the number to the URL ("21http").
FOOTNOTE_RE = re.compile(
    r"^\d{1,2}\s*(https?://|Ministry of National Security \(MNS\), official statement|"
    r"Additional information has been|Text of the plea)")


def html_to_pages(text: str) -> dict[int, list[str]]:
    """Split the pdftohtml output into pages of text lines (tags removed)."""
    body = text.split("<body>", 1)[1]
    parts = re.split(r"<a name=(\d+)></a>", body)
    pages: dict[int, list[str]] = {}
    for i in range(1, len(parts), 2):
        num = int(parts[i])
        chunk = parts[i + 1]
        chunk = chunk.replace("<hr/>", "")
        chunk = re.sub(r"<br/>", "\n", chunk)
        chunk = re.sub(r"<[^>]+>", "", chunk)
        chunk = html.unescape(chunk).replace("\xa0", " ")
        lines = [ln.rstrip() for ln in chunk.split("\n")]
        lines = [ln for ln in lines if ln.strip()]
        # drop the printed page number (first non-empty line equal to the page)
        if lines and lines[0].strip() == str(num):
            lines = lines[1:]
        # drop trailing footnotes
        while lines and FOOTNOTE_RE.match(lines[-1].strip()):
            lines.pop()
        pages[num] = lines
    return pages


def ws(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


# ---------------------------------------------------------------------------
# 2. lines -> sections, subsections, records
# ---------------------------------------------------------------------------

SECTION_RE = re.compile(r"^([A-G])\.\s+([A-Z][A-Z ]+)$")
SUBSECTION_RE = re.compile(r"^([a-g])\.\s+(\S.*)$")
RECORD_RE = re.compile(r"^(\d{1,2})\.\s*([A-Z].*)$")

FIRST_BODY_PAGE = 8  # pages 1-7: cover, contents, preface, introduction, contributors


def split_records(pages: dict[int, list[str]]) -> tuple[list[dict], dict[tuple, str]]:
    """Return the records in order and the group text of each subsection."""
    records: list[dict] = []
    group_text: dict[tuple, list[str]] = {}
    section = None
    subsection = None
    current = None
    expected = 1
    lines = [ln.strip() for p in sorted(pages) if p >= FIRST_BODY_PAGE for ln in pages[p]]
    i = 0
    while i < len(lines):
        line = lines[i]
        m_sec = SECTION_RE.match(line)
        m_sub = SUBSECTION_RE.match(line)
        m_rec = RECORD_RE.match(line)
        if m_sec:
            section = (m_sec.group(1), ws(m_sec.group(2)))
            subsection = None
            current = None
        elif m_sub and section:
            head = ws(line)
            # headings wrapped onto a second short line ("Centre", "5 October 2012")
            if i + 1 < len(lines) and len(lines[i + 1]) <= 20 and not RECORD_RE.match(lines[i + 1]):
                head = head + " " + ws(lines[i + 1])
                i += 1
            subsection = re.sub(r"^([a-g])\.\s*", r"\1. ", head)
            group_text[(section[0], subsection)] = []
            current = None
        elif m_rec and int(m_rec.group(1)) == expected:
            current = {
                "number": expected,
                "section": section,
                "subsection": subsection,
                "name_line": ws(m_rec.group(2)),
                "lines": [],
            }
            records.append(current)
            expected += 1
        elif current is not None:
            current["lines"].append(line)
        elif subsection is not None:
            group_text[(section[0], subsection)].append(line)
        i += 1
    return records, {k: ws(" ".join(v)) for k, v in group_text.items()}


LABEL_RE = re.compile(
    r"(?P<date>Date\s+of\s+(?:arrest|detention)\s*:|Detention\s+date\s*:)"
    r"|(?P<charge>(?:The\s+)?Charge(?:s|d)?\s*:(?:s\s*:)?)"
    r"|(?P<place>Place\s+of\s+detention\s*:)"
    r"|(?P<background>Case\s+background\s*:|Brief\s+Summary\s+of\s+the\s+Case\s*:|"
    r"Background(?:\s+of\s+person)?\s*:)",
    re.I)


def record_fields(rec: dict) -> dict[str, str]:
    """Split a record's text on its field labels."""
    text = ws(" ".join(rec["lines"]))
    fields: dict[str, str] = {}
    matches = list(LABEL_RE.finditer(text))
    for k, m in enumerate(matches):
        kind = m.lastgroup
        end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        if kind in fields:  # labels only count the first time
            continue
        fields[kind] = text[m.end():end].strip()
    fields["all"] = text
    return fields


# ---------------------------------------------------------------------------
# 3. field parsers
# ---------------------------------------------------------------------------

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


ARTICLE_TOKEN = re.compile(r"(?<![\w.])(\d{1,3}(?:-\d+)?(?:\.\d+)*)(?:-ci)?(?![\w.]*\d)")


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
        # keep only text outside parentheses of this segment
        top = []
        depth = 0
        for ch in rest:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth = max(0, depth - 1)
            elif depth == 0:
                top.append(ch)
        top_s = ws("".join(top))
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
