"""Printed names -> English names, genders and person ids.

Spelling goes through registry.fold (english_spelling, slug), the one home of
the project's spelling rules, so ids made here match the rest of the registry.
"""
from __future__ import annotations

import re

from registry.fold import english_spelling, slug

from .html_pages import ws

PATRONYMIC_RE = re.compile(r"^(\S+)\s+(\S+)\s+(oglu|oğlu|qizi|qızı|gizi)\s+(\S+)$", re.I)


def split_name(name_line: str) -> dict:
    """Given name, father's name, surname, gender and patronymic form as printed.

    Printed forms: "Abdul Abdulmanaf oglu Abilov", "Faraj Karimov, Raqif oğlu",
    "Leyla Yunus (Leyla Islam qızı Yunusova)".
    """
    n = ws(name_line)
    short = None
    m = re.match(r"^(.+?)\s*\((.+)\)$", n)
    if m:  # "Leyla Yunus (Leyla Islam qızı Yunusova)"
        short, n = m.group(1), m.group(2)
    m = re.match(r"^(\S+)\s+(\S+),\s*(\S+)\s+(oglu|oğlu|qizi|qızı|gizi)$", n, re.I)
    if m:  # "Faraj Karimov, Raqif oğlu"
        given, surname, father, marker = m.groups()
    else:
        m = PATRONYMIC_RE.match(n)
        if not m:
            raise ValueError(f"unexpected name form: {name_line!r}")
        given, father, marker, surname = m.groups()
    # Gender from the patronymic marker only (CONTRIBUTING.md, rule 3); pronouns in the prose are not read.
    marker_f = english_spelling(marker).lower()
    gender = "male" if marker_f == "oglu" else "female" if marker_f in ("qizi", "gizi") else ""
    # A short form before the brackets is the name the person is known by.
    if short:
        given_s, surname_s = short.split()[0], short.split()[-1]
    else:
        given_s, surname_s = given, surname
    return {"given": english_spelling(given_s), "surname": english_spelling(surname_s),
            "father": english_spelling(father), "gender": gender, "patronymic_form": n}


def person_names(records: list[dict], overrides: dict[int, str]) -> dict[int, dict]:
    """number -> split name, with the hand-read English name where the print is wrong."""
    names = {}
    for r in records:
        nm = split_name(r["name_line"])
        if r["number"] in overrides:
            nm["given"], nm["surname"] = overrides[r["number"]].split()
        nm["name"] = f"{nm['given']} {nm['surname']}"
        names[r["number"]] = nm
    return names


def person_ids(names: dict[int, dict]) -> dict[int, str]:
    """number -> person_id: given name + surname; people who would share one
    take the father's name, as CONTRIBUTING.md's identifier rule says."""
    base = {n: slug(v["name"]) for n, v in names.items()}
    counts: dict[str, int] = {}
    for s in base.values():
        counts[s] = counts.get(s, 0) + 1
    pids = {}
    for n, s in base.items():
        if counts[s] > 1:
            v = names[n]
            s = slug(f"{v['given']} {v['father']} {v['surname']}")
        pids[n] = s
    if len(set(pids.values())) != len(pids):
        raise ValueError("person_id collision")
    return pids
