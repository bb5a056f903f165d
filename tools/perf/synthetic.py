"""Generate a synthetic registry of any size that passes the validator, for benchmarks.

The rows follow schema/*.json and the proportions of the real data per person: one
patronymic alias each (about one in seven has a second spelling), about 1.05
detentions, about 3.2 charges per detention, about 1.9 events per detention, one
list entry, and the lookup tables (sources, categories, places, cases, articles,
lists and their group counts) at sizes that grow with the registry. Names are
realistic Azerbaijani given names, patronymics and surnames.

Every synthetic person has a patronymic alias, and no two people share a
(given name, father's name, surname) combination, so the validator's
near-duplicate check tells them apart as different people, as it does for real
namesakes. Nothing here is about a real person: all names are combinations.

The output is a pure function of (persons, seed). Names come from synthetic_names.py,
what the lookup tables hold from synthetic_vocabulary.py; this module decides how many
rows of each there are and how they refer to each other.

Usage: python -m tools.perf.synthetic --persons 10000 --out build/bench/10k [--seed 1]
"""
import argparse
import csv
import datetime
import random
import sys
from collections import Counter
from pathlib import Path

from registry import datapackage

from .synthetic_names import azerbaijani, capacity, person_names
from .synthetic_vocabulary import (ARTICLES, CATEGORIES, EVENT_TEXT, LISTS, PLACES, PUBLISHERS,
                                   SOURCE_KINDS)

FIRST_YEAR, LAST_DAY = 1995, datetime.date(2025, 6, 1)
PERSONS_PER_SOURCE = 10
PERSONS_PER_CASE = 60


class Writer:
    """One csv.writer per resource, header from the schema."""

    def __init__(self, out):
        self.files, self.writers, self.count = {}, {}, Counter()
        for res in datapackage.resources(data_dir=out):
            f = open(res.path, "w", encoding="utf-8", newline="")
            self.files[res.name] = f
            w = csv.writer(f, lineterminator="\n")
            w.writerow(res.field_names)
            self.writers[res.name] = w

    def row(self, table, values):
        self.writers[table].writerow(["" if v is None else v for v in values])
        self.count[table] += 1

    def close(self):
        for f in self.files.values():
            f.close()


def day(rng, start, end):
    span = (end - start).days
    return start + datetime.timedelta(days=rng.randint(0, max(span, 0)))


def generate(persons, out, seed=1):
    """Write the 14 CSVs for `persons` synthetic people into `out`. Returns row counts."""
    if persons > capacity():
        raise ValueError(f"at most {capacity()} persons")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    w = Writer(out)
    n_sources = max(len(PUBLISHERS), persons // PERSONS_PER_SOURCE)
    sources = []
    for k in range(n_sources):
        pub, publisher = PUBLISHERS[k % len(PUBLISHERS)]
        published = day(rng, datetime.date(2005, 1, 1), LAST_DAY)
        sid = f"{pub}-{published.isoformat()}-{k}"
        sources.append((sid, published))
        w.row("sources", [sid, publisher, f"Report on political prisoners no. {k}", published.isoformat(),
                          "day", f"https://example.org/{pub}/{published.year}/{k}", None, None,
                          SOURCE_KINDS[k % len(SOURCE_KINDS)], "en" if k % 3 else "az",
                          "Synthetic source for benchmarks."])
    list_sources = []
    for pub, year in LISTS:
        sid = f"{pub}-list-{year}"
        list_sources.append(sid)
        w.row("sources", [sid, "Union for Freedom of Political Prisoners",
                          f"List of political prisoners, {year}", f"{year}-06-01", "month",
                          f"https://example.org/{pub}/list/{year}", None, None, "political_prisoner_list", "az",
                          "Synthetic list for benchmarks."])
    first = sources[0][0]
    for cid, name, _, _ in CATEGORIES:
        w.row("categories", [cid, name, f"Synthetic category: {name.lower()}.", first])
    for pid, name, kind in PLACES:
        w.row("places", [pid, name, kind, first])
    n_cases = max(3, persons // PERSONS_PER_CASE)
    for k in range(n_cases):
        w.row("cases", [f"case-{k}", f"Case no. {k}", "Synthetic collective case.", first])
    for aid, title, _ in ARTICLES:
        w.row("articles", [aid, "1960" if aid.startswith("1960:") else "current", title, first])

    cat_ids = [c[0] for c in CATEGORIES]
    cat_weights = [c[2] for c in CATEGORIES]
    occupations = {c[0]: c[3] for c in CATEGORIES}
    cat_names = {c[0]: c[1].lower() for c in CATEGORIES}
    art_ids = [a[0] for a in ARTICLES]
    art_weights = [a[2] for a in ARTICLES]
    list_ids = [f"ufppa-{year}-06-01" for _, year in LISTS]
    list_numbers = Counter()
    group_counts = Counter()
    years = list(range(FIRST_YEAR, 2026))
    year_weights = [1 + (y - FIRST_YEAR) ** 2 for y in years]  # recent years dominate, as in the lists
    conflict_n = 0
    removal = None

    for i in range(persons):
        given, gender, father, sur, pid = person_names(i)
        name = f"{given} {sur}"
        src, src_day = sources[i if i < n_sources else rng.randrange(n_sources)]
        category = rng.choices(cat_ids, cat_weights)[0]
        # Detentions: about one person in twenty was arrested twice.
        n_det = 2 if rng.random() < 0.05 else 1
        det_year = rng.choices(years, year_weights)[0]
        status, status_as_of = None, None
        det_ids, seen_det = [], set()
        charged, arrest_years = [], []
        for d in range(n_det):
            arrested = day(rng, datetime.date(det_year, 1, 1), min(datetime.date(det_year, 12, 31), LAST_DAY))
            did = f"{pid}-{arrested.year}"
            if did in seen_det:
                did += "-2"
            seen_det.add(did)
            det_ids.append(did)
            arrest_years.append(arrested.year)
            precision = "day" if rng.random() < 0.9 else "month"
            if precision == "month":
                arrested = arrested.replace(day=1)
            sentenced = None
            if rng.random() < 0.75 and arrested < LAST_DAY - datetime.timedelta(days=200):
                sentenced = arrested + datetime.timedelta(days=rng.randint(60, 400))
            if category == "lifetime-prisoner":
                kind, months = "death_commuted_to_life" if arrested.year < 1998 else "life_imprisonment", None
            elif sentenced:
                kind, months = "imprisonment", rng.choice([18, 24, 36, 48, 60, 66, 84, 96, 108, 120, 132])
            else:
                kind, months = None, None
            released = reason = release_src = None
            last = d == n_det - 1
            if (not last or rng.random() < 0.3) and sentenced and category != "lifetime-prisoner":
                released = min(sentenced + datetime.timedelta(days=rng.randint(30, 2000)), LAST_DAY)
                reason = rng.choice(["pardon", "pardon", "sentence_served", "conditional_early_release",
                                     "amnesty"])
                release_src = src
            place = PLACES[rng.randrange(len(PLACES))][0] if rng.random() < 0.85 else None
            case = f"case-{rng.randrange(n_cases)}" if rng.random() < 0.4 else None
            w.row("detentions", [did, pid, arrested.isoformat(), precision, place, case, kind, months,
                                 sentenced and sentenced.isoformat(), released and released.isoformat(),
                                 reason, release_src, None, src])
            # Charges: about 3.2 articles per detention, drawn by real frequency.
            n_ch = min(len(art_ids), max(1, round(rng.gauss(3.2, 1.3))))
            arts = set()
            while len(arts) < n_ch:
                arts.add(rng.choices(art_ids, art_weights)[0])
            for aid in sorted(arts):
                w.row("charges", [did, aid, "convicted" if sentenced else "charged", src])
                charged.append(aid)
            # Events: the arrest, then what followed.
            events = [(arrested, precision, "arrested")]
            if rng.random() < 0.1:
                events.append((min(arrested + datetime.timedelta(days=2), LAST_DAY), "day",
                               "pretrial_detention_ordered"))
            if sentenced:
                events.append((sentenced, "day", "sentenced"))
            if released:
                events.append((released, "day", "pardoned" if reason == "pardon" else "released"))
            for date, prec, ekind in events:
                w.row("events", [f"{did}-{date.isoformat()}-{ekind.replace('_', '-')}", pid, did,
                                 date.isoformat(), prec, ekind, EVENT_TEXT[ekind], src])
            if last:
                if released:
                    status, status_as_of = ("pardoned" if reason == "pardon" else "released"), released
                else:
                    status = "imprisoned" if sentenced else "pretrial_detention"
                    status_as_of = max(sentenced or arrested, src_day)
            det_year = min(2025, det_year + rng.randint(1, 6))
        status_as_of = min(status_as_of, LAST_DAY)
        occupation = rng.choice(occupations[category]) if rng.random() < 0.45 else None
        affiliation = f"Organisation no. {rng.randrange(500)}" if rng.random() < 0.4 else None
        summary = (f"Synthetic person in the {cat_names[category]} group. Arrested in "
                   f"{arrest_years[0]} "
                   f"and charged under articles {', '.join(sorted(set(charged)))}.")
        az = azerbaijani(name)
        w.row("persons", [pid, name, az if az != name and rng.random() < 0.3 else None, gender,
                          rng.randint(1950, 2002) if rng.random() < 0.2 else None, occupation,
                          affiliation, category, status, status_as_of.isoformat(), src, summary, src])
        # Aliases: the patronymic form always; about one in seven has a second spelling.
        patronymic = "oglu" if gender == "male" else "qizi"
        w.row("aliases", [pid, f"{given} {father} {patronymic} {sur}", "patronymic", src])
        extra = rng.random()
        russian = f"{given} {sur.replace('yev', 'ev')}"
        if extra < 0.1 and az != name:
            w.row("aliases", [pid, az, "azerbaijani", src])
        elif extra < 0.2 and russian != name:
            w.row("aliases", [pid, russian, "russian_style", src])
        # List entries: each person on the list of the year of the last arrest or later.
        lk = min(len(list_ids) - 1, max(0, arrest_years[-1] - LISTS[0][1]))
        lk = rng.randint(lk, len(list_ids) - 1)
        lid = list_ids[lk]
        list_numbers[lid] += 1
        group_counts[(lid, category)] += 1
        w.row("list_entries", [lid, pid, list_numbers[lid], cat_names[category].capitalize(), None,
                               name, "printed_on_list", list_sources[lk]])
        if removal is None:
            # One person a later report says left the next edition: keeps the table in use.
            removal = (list_ids[(lk + 1) % len(list_ids)], pid, name, list_sources[lk])
        # Conflicts: about one person in two hundred has sources that disagree.
        if rng.random() < 0.005:
            other = sources[rng.randrange(n_sources)][0]
            cid = f"{pid}-verdict"
            w.row("conflicts", [cid, pid, None, "verdict date", "Sentenced in the spring", src])
            w.row("conflicts", [cid, pid, None, "verdict date", "Sentenced in the autumn",
                                other if other != src else list_sources[0]])
            conflict_n += 1
    for k, (lid, (_, year)) in enumerate(zip(list_ids, LISTS)):
        total = list_numbers[lid]
        w.row("lists", [lid, "Union for Freedom of Political Prisoners", f"Synthetic list {year}",
                        f"{year}-06-01", "day", total if total else None, "exact",
                        "true" if total else "false", "political_prisoners", None, None,
                        list_sources[k]])
        for cid in cat_ids:
            if group_counts[(lid, cid)]:
                w.row("list_group_counts", [lid, cat_names[cid].capitalize(), group_counts[(lid, cid)],
                                            cid, list_sources[k]])
    lid, pid, name, src = removal
    w.row("list_removals", [lid, pid, "released", name, src])
    w.row("corrections", ["0.1.0", "persons", pid, "name", name.upper(), name,
                          "Synthetic correction for benchmarks.", src])
    if not conflict_n:  # keep the table non-empty: one list-level disagreement
        w.row("conflicts", ["list-total", None, list_ids[0], "total", "Counted one way",
                            list_sources[0]])
        w.row("conflicts", ["list-total", None, list_ids[0], "total", "Counted another way",
                            first])
    w.close()
    return dict(w.count)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    counts = generate(args.persons, args.out, args.seed)
    print(f"wrote {sum(counts.values())} rows to {args.out}: "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
