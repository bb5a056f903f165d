"""The hand-read facts in facts/*.csv (see README.md), loaded and checked for form.

Whether each fact's evidence occurs in the document is checked while the tables
are built (check_evidence), since only then is the record text at hand.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .html_pages import ws
from .source import NUMBERS

FACTS_DIR = Path(__file__).resolve().parent / "facts"

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class BirthYear(NamedTuple):
    year: str
    evidence: tuple[str, ...]


class Verdict(NamedTuple):
    kind: str            # blank: convicted, but the list gives this person no sentence
    months: str          # blank for a life term or no sentence
    sentenced_on: str    # blank: the list dates no verdict for this person
    evidence: tuple[str, ...]


class ArrestOverride(NamedTuple):
    printed_date: str
    arrested_on: str
    event_description: str
    evidence: tuple[str, ...]


class Event(NamedTuple):
    date: str
    kind: str
    description: str
    evidence: tuple[str, ...]


class CaseLink(NamedTuple):
    section: str
    subsection: str
    evidence: tuple[str, ...]


class PlaceRule(NamedTuple):
    pattern: re.Pattern
    place_id: str
    name: str
    kind: str


@dataclass(frozen=True)
class Facts:
    name_overrides: dict[int, str]
    aliases: dict[int, list[tuple[str, str]]]
    birth_years: dict[int, BirthYear]
    roles: dict[int, tuple[str, str]]
    verdicts: dict[int, Verdict]
    arrest_overrides: dict[int, ArrestOverride]
    events: dict[int, list[Event]]
    sentence_history: dict[int, tuple[str, str]]
    notes: dict[int, str]
    case_groups: dict[tuple[str, str], str]
    case_links: dict[int, CaseLink]
    place_rules: list[PlaceRule]


def check_evidence(evidence: tuple[str, ...], haystacks: list[str], what: str) -> None:
    """Refuse a fact whose evidence the document does not print (case and spacing aside)."""
    for ev in evidence:
        if not any(ws(ev).lower() in h.lower() for h in haystacks):
            raise ValueError(f"{what}: evidence not found in the document: {ev!r}")


class _Rows:
    """Rows of one facts file, with the file and line for every error message."""

    def __init__(self, folder: Path, name: str, columns: list[str]):
        self.path = folder / name
        with open(self.path, encoding="utf-8", newline="") as fh:
            raw = list(csv.reader(fh))
        if not raw or raw[0] != columns:
            raise ValueError(f"{self.path}: header must be {','.join(columns)}")
        self.rows = []
        for line, cells in enumerate(raw[1:], start=2):
            if len(cells) != len(columns):
                raise ValueError(f"{self.path}:{line}: {len(cells)} cells, expected {len(columns)}")
            self.rows.append((line, dict(zip(columns, cells))))

    def fail(self, line: int, message: str) -> ValueError:
        return ValueError(f"{self.path}:{line}: {message}")

    def number(self, line: int, row: dict) -> int:
        cell = row["number"]
        if not cell.isdigit() or int(cell) not in NUMBERS:
            raise self.fail(line, f"number must be a record number of the list: {cell!r}")
        return int(cell)

    def date(self, line: int, row: dict, column: str, blank_ok: bool = False) -> str:
        cell = row[column]
        if not (ISO_DATE.fullmatch(cell) or (blank_ok and cell == "")):
            raise self.fail(line, f"{column} must be YYYY-MM-DD: {cell!r}")
        return cell

    def evidence(self, line: int, row: dict) -> tuple[str, ...]:
        parts = tuple(p.strip() for p in row["evidence"].split("|"))
        if not all(parts):
            raise self.fail(line, "evidence needs one or more strings separated by |")
        return parts

    def subsection(self, line: int, row: dict) -> tuple[str, str]:
        key = (row["section"], row["subsection"])
        if not (re.fullmatch("[A-G]", key[0]) and re.fullmatch("[a-g]", key[1])):
            raise self.fail(line, f"section must be A-G and subsection a-g: {key}")
        return key

    def keyed(self, make, key=None) -> dict:
        """key -> make(self, line, row); a second row for a key is an error, not an override."""
        key = key or self.number
        out = {}
        for line, row in self.rows:
            k = key(line, row)
            if k in out:
                raise self.fail(line, f"a second row for {k}")
            out[k] = make(self, line, row)
        return out

    def grouped(self, make) -> dict[int, list]:
        """number -> [make(self, line, row), ...] in file order."""
        out: dict[int, list] = {}
        for line, row in self.rows:
            out.setdefault(self.number(line, row), []).append(make(self, line, row))
        return out

    def each(self, make) -> list:
        return [make(self, line, row) for line, row in self.rows]


def _cells(*columns: str):
    if len(columns) == 1:
        return lambda f, line, row: row[columns[0]]
    return lambda f, line, row: tuple(row[c] for c in columns)


def _birth_year(f: _Rows, line: int, row: dict) -> BirthYear:
    if not re.fullmatch(r"\d{4}", row["birth_year"]):
        raise f.fail(line, f"birth_year must be a four-digit year: {row['birth_year']!r}")
    return BirthYear(row["birth_year"], f.evidence(line, row))


def _verdict(f: _Rows, line: int, row: dict) -> Verdict:
    if row["sentence_months"] and not row["sentence_months"].isdigit():
        raise f.fail(line, f"sentence_months must be whole months: {row['sentence_months']!r}")
    return Verdict(row["sentence_kind"], row["sentence_months"],
                   f.date(line, row, "sentenced_on", blank_ok=True), f.evidence(line, row))


def _arrest_override(f: _Rows, line: int, row: dict) -> ArrestOverride:
    return ArrestOverride(f.date(line, row, "printed_date"), f.date(line, row, "arrested_on"),
                          row["event_description"], f.evidence(line, row))


def _event(f: _Rows, line: int, row: dict) -> Event:
    return Event(f.date(line, row, "date"), row["kind"], row["description"], f.evidence(line, row))


def _case_link(f: _Rows, line: int, row: dict) -> CaseLink:
    return CaseLink(*f.subsection(line, row), f.evidence(line, row))


def _place_rule(f: _Rows, line: int, row: dict) -> PlaceRule:
    try:
        pattern = re.compile(row["pattern"])
    except re.error as e:
        raise f.fail(line, f"pattern is not a regular expression: {e}") from None
    return PlaceRule(pattern, row["place_id"], row["name"], row["kind"])


def load_facts(folder: Path = FACTS_DIR) -> Facts:
    def rows(name: str, columns: str) -> _Rows:
        return _Rows(folder, name, columns.split(","))

    case_groups = rows("case_groups.csv", "section,subsection,case_id")
    return Facts(
        name_overrides=rows("name_overrides.csv", "number,name,reason").keyed(_cells("name")),
        aliases=rows("aliases.csv", "number,alias,kind").grouped(_cells("alias", "kind")),
        birth_years=rows("birth_years.csv", "number,birth_year,evidence").keyed(_birth_year),
        roles=rows("roles.csv", "number,occupation,affiliation").keyed(
            _cells("occupation", "affiliation")),
        verdicts=rows("verdicts.csv", "number,sentence_kind,sentence_months,sentenced_on,evidence"
                      ).keyed(_verdict),
        arrest_overrides=rows("arrest_overrides.csv",
                              "number,printed_date,arrested_on,event_description,evidence"
                              ).keyed(_arrest_override),
        events=rows("events.csv", "number,date,kind,description,evidence").grouped(_event),
        sentence_history=rows("sentence_history.csv", "number,summary,event_description").keyed(
            _cells("summary", "event_description")),
        notes=rows("notes.csv", "number,note").keyed(_cells("note")),
        case_groups=case_groups.keyed(_cells("case_id"), key=case_groups.subsection),
        case_links=rows("case_links.csv", "number,section,subsection,evidence").keyed(_case_link),
        place_rules=rows("place_rules.csv", "pattern,place_id,name,kind").each(_place_rule),
    )
