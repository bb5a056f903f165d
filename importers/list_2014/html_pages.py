"""The pdftohtml conversion -> pages of text lines -> numbered records and their fields."""
from __future__ import annotations

import html
import re

# Footnotes sit at the bottom of a page as "<n> <url>" or one of three text
# footnotes; the conversion sometimes glues the number to the URL ("21http").
FOOTNOTE_RE = re.compile(
    r"^\d{1,2}\s*(https?://|Ministry of National Security \(MNS\), official statement|"
    r"Additional information has been|Text of the plea)")

SECTION_RE = re.compile(r"^([A-G])\.\s+([A-Z][A-Z ]+)$")
SUBSECTION_RE = re.compile(r"^([a-g])\.\s+(\S.*)$")
RECORD_RE = re.compile(r"^(\d{1,2})\.\s*([A-Z].*)$")

FIRST_BODY_PAGE = 8  # pages 1-7: cover, contents, preface, introduction, contributors

LABEL_RE = re.compile(
    r"(?P<date>Date\s+of\s+(?:arrest|detention)\s*:|Detention\s+date\s*:)"
    r"|(?P<charge>(?:The\s+)?Charge(?:s|d)?\s*:(?:s\s*:)?)"
    r"|(?P<place>Place\s+of\s+detention\s*:)"
    r"|(?P<background>Case\s+background\s*:|Brief\s+Summary\s+of\s+the\s+Case\s*:|"
    r"Background(?:\s+of\s+person)?\s*:)",
    re.I)


def ws(s: str) -> str:
    """Collapse whitespace: the conversion breaks lines wherever the PDF did."""
    return re.sub(r"\s+", " ", s).strip()


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
        # A printed page number would otherwise run into the record that spans the page break.
        if lines and lines[0].strip() == str(num):
            lines = lines[1:]
        while lines and FOOTNOTE_RE.match(lines[-1].strip()):
            lines.pop()
        pages[num] = lines
    return pages


def full_text(pages: dict[int, list[str]]) -> str:
    """The whole document as one line, for checks that may look anywhere in it."""
    return ws(" ".join(ln for p in sorted(pages) for ln in pages[p]))


def split_records(pages: dict[int, list[str]]) -> tuple[list[dict], dict[tuple, str]]:
    """Return the records in order and the group text of each subsection.

    Text between a subsection heading and its first record is the group text,
    where the list tells what the people of a case share (often their verdict).
    """
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


def record_fields(rec: dict) -> dict[str, str]:
    """Split a record's text on its field labels (the first of each kind counts);
    "all" holds the whole record, for the evidence checks."""
    text = ws(" ".join(rec["lines"]))
    fields: dict[str, str] = {}
    matches = list(LABEL_RE.finditer(text))
    for k, m in enumerate(matches):
        kind = m.lastgroup
        end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        if kind in fields:
            continue
        fields[kind] = text[m.end():end].strip()
    fields["all"] = text
    return fields
