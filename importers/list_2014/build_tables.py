"""The document and the hand-read facts -> the registry's tables.

Each record gives one person, list entry and detention, their charges, aliases
and events; places, cases and articles are shared by several records.  Every
hand-read fact is checked against the record's text (or its subsection's group
text) before it is used, and the import stops at the first that is not there.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .articles import charged_articles
from .dates import parse_date
from .facts import Facts, Verdict, check_evidence, load_facts
from .html_pages import full_text, html_to_pages, record_fields, split_records, ws
from .names import person_ids, person_names
from .places import normalise_place
from .repository import DATA_DIR, data_rows
from .source import AS_OF, LIST_ID, LIST_ROW, NUMBERS, SECTION_CATEGORY, SOURCE_ID, SOURCE_ROW, TABLES
from .wording import section_label, sentenced_description, summary


class Document(NamedTuple):
    records: list[dict]
    groups: dict[tuple[str, str], str]   # (section letter, subsection heading) -> group text
    text: str


@dataclass
class Entry:
    """One record, read: what the row builders below need."""
    number: int
    person_id: str
    name: dict
    name_as_printed: str
    section: str
    group: str
    subsection: str
    evidence_text: list[str]
    arrested: str
    arrest_description: str
    articles: list[str]
    place: tuple[str, str, str] | None
    case_id: str
    verdict: Verdict | None

    @property
    def detention_id(self) -> str:
        return f"{self.person_id}-{self.arrested[:4]}"


def read_document(path: str | Path) -> Document:
    pages = html_to_pages(Path(path).read_text(encoding="utf-8"))
    records, groups = split_records(pages)
    if [r["number"] for r in records] != list(NUMBERS):
        raise ValueError(f"expected records 1..98, found {len(records)}")
    return Document(records, groups, full_text(pages))


def group_text(doc: Document, section: str, letter: str) -> str:
    return next((text for (sec, sub), text in doc.groups.items()
                 if sec == section and sub.startswith(letter + ".")), "")


def arrest(n: int, fields: dict, hay: list[str], facts: Facts) -> tuple[str, str]:
    """Arrest date and the arrest event's text; the hand-read override applies only
    while the date line still prints the date it was read against."""
    printed = parse_date(fields.get("date", ""))
    if not printed:
        raise ValueError(f"#{n}: no date of arrest")
    override = facts.arrest_overrides.get(n)
    if override is None:
        return printed, "Arrested."
    if printed != override.printed_date:
        raise ValueError(f"#{n}: printed date changed: {printed}")
    check_evidence(override.evidence, hay, f"#{n} arrest date")
    return override.arrested_on, override.event_description or "Arrested."


def case_of(n: int, section: str, subsection: str, doc: Document, facts: Facts) -> str:
    """A record's case: its subsection's, or one whose group text names the record."""
    if subsection and (section, subsection[:1]) in facts.case_groups:
        return facts.case_groups[(section, subsection[:1])]
    link = facts.case_links.get(n)
    if link is None:
        return ""
    key = (link.section, link.subsection)
    if key not in facts.case_groups:
        raise ValueError(f"#{n}: case link to {key}, which case_groups.csv does not name")
    check_evidence(link.evidence, [group_text(doc, *key)], f"#{n} case link")
    return facts.case_groups[key]


def read_entry(r: dict, doc: Document, facts: Facts, names: dict, pids: dict) -> Entry:
    n = r["number"]
    fields = record_fields(r)
    letter, printed_title = r["section"]
    subsection = r["subsection"] or ""
    hay = [fields["all"], doc.groups.get((letter, subsection), "")]
    arrested, arrest_description = arrest(n, fields, hay, facts)
    articles = charged_articles(fields.get("charge", ""))
    if not articles:
        raise ValueError(f"#{n}: no articles parsed")
    verdict = facts.verdicts.get(n)
    if verdict:
        check_evidence(verdict.evidence, hay, f"#{n} verdict")
    return Entry(
        number=n, person_id=pids[n], name=names[n], name_as_printed=ws(r["name_line"]),
        section=letter, group=section_label(letter, printed_title), subsection=subsection,
        evidence_text=hay, arrested=arrested, arrest_description=arrest_description,
        articles=articles, place=normalise_place(fields.get("place"), facts.place_rules),
        case_id=case_of(n, letter, subsection, doc, facts), verdict=verdict)


def person_row(e: Entry, facts: Facts) -> dict:
    occupation, affiliation = facts.roles.get(e.number, ("", ""))
    birth_year = ""
    if e.number in facts.birth_years:
        born = facts.birth_years[e.number]
        check_evidence(born.evidence, e.evidence_text, f"#{e.number} birth year")
        birth_year = born.year
    history = facts.sentence_history.get(e.number)
    return {
        "person_id": e.person_id, "name": e.name["name"], "name_az": "", "gender": e.name["gender"],
        "birth_year": birth_year, "occupation": occupation, "affiliation": affiliation,
        "category": SECTION_CATEGORY[e.section],
        "status": "imprisoned" if e.verdict else "pretrial_detention", "status_as_of": AS_OF,
        "status_source_id": SOURCE_ID,
        "summary": summary(e.group, e.subsection, e.arrested, e.articles, e.verdict, history),
        "source_id": SOURCE_ID,
    }


def alias_rows(e: Entry, facts: Facts, doc: Document) -> list[dict]:
    """The printed patronymic form and the hand-read spellings; each must be printed
    somewhere in the list, which is its evidence."""
    rows = []
    seen = set()
    for alias, kind in [(e.name["patronymic_form"], "patronymic")] + facts.aliases.get(e.number, []):
        alias = ws(alias)
        if alias in seen or alias == e.name["name"]:
            continue
        if alias.lower() not in doc.text.lower():
            raise ValueError(f"#{e.number}: alias not printed in the list: {alias!r}")
        seen.add(alias)
        rows.append({"person_id": e.person_id, "alias": alias, "kind": kind, "source_id": SOURCE_ID})
    return rows


def entry_row(e: Entry) -> dict:
    return {
        "list_id": LIST_ID, "person_id": e.person_id, "number": str(e.number),
        "group_as_printed": e.group, "subgroup_as_printed": e.subsection,
        "name_as_printed": e.name_as_printed, "source_id": SOURCE_ID,
    }


def detention_row(e: Entry, facts: Facts) -> dict:
    v = e.verdict or Verdict("", "", "", ())
    return {
        "detention_id": e.detention_id, "person_id": e.person_id, "arrested_on": e.arrested,
        "arrested_precision": "day", "place_id": e.place[0] if e.place else "", "case_id": e.case_id,
        "sentence_kind": v.kind, "sentence_months": v.months, "sentenced_on": v.sentenced_on,
        "released_on": "", "release_reason": "", "release_source_id": "",
        "note": facts.notes.get(e.number, ""), "source_id": SOURCE_ID,
    }


def event_rows(e: Entry, facts: Facts) -> list[dict]:
    def event(date: str, kind: str, description: str) -> dict:
        return {
            "event_id": f"{e.detention_id}-{date}-{kind.replace('_', '-')}", "person_id": e.person_id,
            "detention_id": e.detention_id, "date": date, "date_precision": "day", "kind": kind,
            "description": description, "source_id": SOURCE_ID,
        }

    rows = [event(e.arrested, "arrested", e.arrest_description)]
    if e.verdict and e.verdict.sentenced_on:
        rows.append(event(e.verdict.sentenced_on, "sentenced",
                          sentenced_description(e.verdict, facts.sentence_history.get(e.number))))
    for extra in facts.events.get(e.number, []):
        check_evidence(extra.evidence, e.evidence_text, f"#{e.number} event")
        rows.append(event(extra.date, extra.kind, extra.description))
    return rows


def shared_rows(entries: list[Entry], data_dir: Path) -> dict[str, list[dict]]:
    """Places, cases and articles, once each; titles, case names and descriptions
    come from data/, their only copy."""
    titles = data_rows("articles", "article_id", data_dir)
    case_rows = data_rows("cases", "case_id", data_dir)
    places: dict[str, dict] = {}
    cases: dict[str, dict] = {}
    articles: dict[str, dict] = {}
    for e in entries:
        if e.place:
            place_id, name, kind = e.place
            places[place_id] = {"place_id": place_id, "name": name, "kind": kind, "source_id": SOURCE_ID}
        if e.case_id:
            if e.case_id not in case_rows:
                raise ValueError(f"#{e.number}: case {e.case_id} is not in data/cases.csv; add it there")
            c = case_rows[e.case_id]
            cases[e.case_id] = {"case_id": e.case_id, "name": c["name"], "description": c["description"],
                                "source_id": SOURCE_ID}
        for a in e.articles:
            if a not in titles:
                raise ValueError(f"#{e.number}: article {a} is not in data/articles.csv; "
                                 "add it there with a short title in your own words")
            articles[a] = {"article_id": a, "code": "1960" if a.startswith("1960:") else "current",
                           "title": titles[a]["title"], "source_id": SOURCE_ID}
    return {"places": list(places.values()), "cases": list(cases.values()),
            "articles": list(articles.values())}


def parse(path: str | Path, facts: Facts | None = None, data_dir: Path = DATA_DIR) -> dict[str, list[dict]]:
    """Read the document at path; return table name -> rows."""
    facts = facts or load_facts()
    doc = read_document(path)
    headings = {(sec, sub[:1]) for sec, sub in doc.groups}
    unknown = sorted(set(facts.case_groups) - headings)
    if unknown:
        raise ValueError(f"case_groups.csv names subsections the document does not have: {unknown}")
    names = person_names(doc.records, facts.name_overrides)
    pids = person_ids(names)
    entries = [read_entry(r, doc, facts, names, pids) for r in doc.records]

    out: dict[str, list[dict]] = {t: [] for t in TABLES}
    out["sources"].append(dict(SOURCE_ROW))
    out["lists"].append(dict(LIST_ROW))
    for e in entries:
        out["list_entries"].append(entry_row(e))
        out["persons"].append(person_row(e, facts))
        out["aliases"] += alias_rows(e, facts, doc)
        out["detentions"].append(detention_row(e, facts))
        out["charges"] += [{"detention_id": e.detention_id, "article_id": a, "stage": "charged",
                            "source_id": SOURCE_ID} for a in e.articles]
        out["events"] += event_rows(e, facts)
    out.update(shared_rows(entries, data_dir))
    return out
