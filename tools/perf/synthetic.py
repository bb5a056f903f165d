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

The output is a pure function of (persons, seed).

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
from registry.fold import name_key

MALE = """Elchin Anar Rashad Tofig Ilgar Emin Nijat Orkhan Elnur Vugar Ramin Bakhtiyar Jamil
Ilkin Rufat Tural Kamran Samir Faig Zaur Azer Ruslan Famil Fuad Mahammad Ali Huseyn Hasan Javid
Shahin Taleh Eldar Ayaz Rovshan Natig Ibrahim Mirza Ulvi Agil Polad Sakhavat Vidadi Yadigar Babek
Gadir Asif Mubariz Arif Oktay Rauf Intigam Khalid Nazim Yashar Kenan Togrul Zeynal Ismayil Musa
Kamil Bahruz Sahib Nurlan Emil Farid Sarkhan Tahir Eyvaz Gulagha Alasgar Abulfaz Pasha Yusif
Zamin Habib Rasim Hikmat Idris Mehman Teymur Ziya Nadir Sabir Akif Rafig Vagif Tabriz Uzeyir""".split()
FEMALE = """Aynur Leyla Khadija Sevinj Ulviyya Nargiz Gunay Aygun Sabina Elnara Lala Narmin Aysel
Ilaha Fatima Zeynab Gulnar Shahla Konul Arzu Turkan Nigar Jamila Rena Sevda Parvana Mehriban
Ulker Vusala Afag Samira Zohra Dilara Aida Nurana Gulshan Kamala Sona Ramila Hijran""".split()
SURNAME_STEMS = """Aliyev Mammadov Huseynov Hasanov Guliyev Ismayilov Abbasov Babayev Jafarov Rzayev
Valiyev Mustafayev Suleymanov Karimov Ibrahimov Najafov Bagirov Rahimov Sadigov Gasimov Mirzayev
Nasirov Salimov Zeynalov Tagiyev Orujov Akhundov Alakbarov Hajiyev Shukurov Novruzov Abdullayev
Rustamov Musayev Agayev Talibov Yusifov Safarov Gurbanov Asadov Kazimov Allahverdiyev Bayramov
Maharramov Tahirov Isgandarov Nabiyev Ahmadov Mehdiyev Aslanov Yagublu Mammadli Hajili Gasimli
Huseynli Aghayev Muradov Veliyev Ramazanov Kerimov Shirinov Qarayev Askerov Feyziyev Dadashov
Osmanov Gahramanov Jalilov Farajov Eminov Ganiyev Pashayev Sultanov Abiyev Amirov Bakhshaliyev
Javadov Khalilov Latifov Mahmudov Nurullayev Rafiyev Samadov Umudov Zakiyev Alizade Mehralizade
Ismayilzade Huseynzade Guluzade Abbaszade Rasulzade Hasanli Aliyarli Shikhli Jabbarli Valiyarli
Bunyadov Eyvazov Fataliyev Gurbanli Habibov Imanov Jahangirov Khudiyev Majidov Niftaliyev""".split()
# Azerbaijani Latin spellings, for the name_az column and the azerbaijani aliases.
_AZ = [("Mammad", "Məmməd"), ("Mahammad", "Məhəmməd"), ("Elchin", "Elçin"), ("sh", "ş"),
       ("Sh", "Ş"), ("ch", "ç"), ("Ch", "Ç"), ("kh", "x"), ("Kh", "X"), ("gh", "ğ"),
       ("Aliyev", "Əliyev"), ("Hasan", "Həsən"), ("Vali", "Vəli"), ("Zakiy", "Zəkiy")]
# What sort of person each category holds: occupations and summaries in our own words.
CATEGORIES = [  # id, name, weight (real proportions, rounded), occupations
    ("religious-believer", "Religious believer", 44, ["Theologian", "Imam", "Religious activist"]),
    ("journalist-blogger", "Journalist or blogger", 14, ["Journalist", "Blogger", "Editor"]),
    ("human-rights-defender", "Human rights defender", 10, ["Lawyer", "Election monitor"]),
    ("youth-activist", "Youth activist", 9, ["Student", "Youth activist"]),
    ("opposition-civil-activist", "Opposition politician or civil activist", 8,
     ["Party member", "Civil activist"]),
    ("other", "Other cases", 8, ["Businessman", "Teacher", "Engineer"]),
    ("lifetime-prisoner", "Lifetime prisoner", 3, ["Former officer"]),
    ("ethnic-minority-activist", "Ethnic-minority activist", 2, ["Scholar"]),
    ("anti-war-activist", "Anti-war activist", 1, ["Researcher"]),
    ("deported-political-refugee", "Political refugee deported to Azerbaijan", 1, ["Refugee"]),
]
# Article ids as the current Criminal Code numbers them, with the real relative frequency.
ARTICLES = [("233", "Organising or taking part in actions that breach public order", 24),
            ("315.2", "Resisting or using violence against a public official", 22),
            ("278", "Seizing or holding power by force", 13), ("28", "Preparing a crime", 12),
            ("234.4.3", "Illegal drug dealing in a large amount", 11),
            ("228.1", "Illegal acquisition or possession of weapons", 11),
            ("228.3", "Illegal possession of weapons by an organised group", 11),
            ("220.1", "Organising mass disorder", 11),
            ("167.2.2.1", "Distributing religious literature as a group", 10),
            ("283.2.3", "Inciting hatred by an organised group", 10),
            ("218.2", "Leading a criminal association", 9), ("234.1", "Illegal possession of drugs", 8),
            ("206.3.2", "Smuggling by a group acting in concert", 8), ("274", "Treason", 5),
            ("192.3.2", "Illegal entrepreneurship on a large scale", 5),
            ("193-1.3.1", "Money laundering by a group", 5), ("213.2.2", "Tax evasion on a large scale", 5),
            ("308.2", "Abuse of office with grave consequences", 4), ("179.3.2", "Embezzlement", 4),
            ("221.3", "Hooliganism with a weapon", 4), ("126.2.4", "Grave bodily harm", 3),
            ("178.3.2", "Fraud causing significant damage", 3), ("147.2", "Defamation", 3),
            ("148", "Insult", 3), ("281", "Public calls against the state", 2),
            ("282.1", "Sabotage", 2), ("214.1", "Financing terrorism", 2),
            ("120.2.4", "Murder by a group", 1), ("1960:70", "Anti-Soviet agitation (1960 code)", 1),
            ("1960:94", "Premeditated murder (1960 code)", 1)]
PLACES = [("baku-investigative-prison-kurdakhani", "Baku Investigative Prison", "pretrial_detention_centre"),
          ("ganja-detention-facility", "Ganja Detention Facility", "pretrial_detention_centre"),
          ("gobustan-prison", "Gobustan Prison", "prison"),
          ("umbakı-prison".replace("ı", "i"), "Umbaki Prison", "prison"),
          ("shuvalan-detention-facility", "Shuvalan Detention Facility", "pretrial_detention_centre"),
          ("state-security-service-detention-facility", "State Security Service Detention Facility",
           "pretrial_detention_centre")]
PLACES += [(f"prison-no-{n}", f"Prison No. {n}", "penitentiary_institution") for n in range(1, 20)]
PLACES += [(f"baku-police-station-{n}", f"Police station No. {n} of Baku", "police_station")
           for n in range(1, 40)]
PUBLISHERS = [("ihr", "Institute for Human Rights"), ("ufppa", "Union for Freedom of Political Prisoners"),
              ("hrhf", "Human Rights House Foundation"), ("turan", "Turan news agency"),
              ("meydan", "Meydan TV"), ("toplum", "Toplum TV"), ("amnesty", "Amnesty International"),
              ("hrw", "Human Rights Watch"), ("rsf", "Reporters Without Borders"),
              ("coe", "Council of Europe")]
SOURCE_KINDS = ["news", "news", "ngo_statement", "ngo_report", "campaign_page", "court_judgment"]
EVENT_TEXT = {"arrested": "Arrested.", "pretrial_detention_ordered": "Court ordered pretrial detention.",
              "sentenced": "Sentenced by the court of first instance.",
              "appeal_decided": "Appeal court upheld the sentence.", "released": "Released.",
              "pardoned": "Released under a pardon decree."}
FIRST_YEAR, LAST_DAY = 1995, datetime.date(2025, 6, 1)
PERSONS_PER_SOURCE = 10
PERSONS_PER_CASE = 60
LISTS = [("ufppa", year) for year in range(2013, 2026)]


def slug(text):
    table = str.maketrans({"ə": "a", "ı": "i", "ş": "sh", "ç": "ch", "ğ": "g", "ö": "o", "ü": "u"})
    return "-".join("".join(c for c in w if c.isalnum()) for w in text.lower().translate(table).split())


def distinct_by_key(names):
    """Keep one name per name_key, so that two kept names never fold to one key."""
    out, seen = [], set()
    for n in names:
        k = name_key(n)
        if k not in seen and slug(n) not in {slug(o) for o in out}:
            seen.add(k)
            out.append(n)
    return out


GIVEN = [(n, "male") for n in distinct_by_key(MALE)]
GIVEN += [(n, "female") for n in distinct_by_key(FEMALE) if name_key(n) not in
          {name_key(m) for m, _ in GIVEN}]
STEMS = distinct_by_key(SURNAME_STEMS)
FATHERS = distinct_by_key(MALE)


def azerbaijani(name):
    for a, b in _AZ:
        name = name.replace(a, b)
    return name


def surname(stem, gender):
    if gender == "female" and stem.endswith(("ov", "ev", "yev")):
        return stem + "a"
    return stem


def person_names(i):
    """(given, gender, father, surname, person_id) for person i: distinct for every i < capacity."""
    pairs = len(GIVEN) * len(STEMS)
    layer, p = divmod(i, pairs)
    if layer >= len(FATHERS):
        raise ValueError(f"at most {pairs * len(FATHERS)} distinct synthetic people")
    p = (p * 7919 + 104729) % pairs  # a fixed permutation: neighbours get unrelated names
    g, s = divmod(p, len(STEMS))
    given, gender = GIVEN[g]
    father = FATHERS[(layer + p) % len(FATHERS)]
    sur = surname(STEMS[s], gender)
    pid = slug(f"{given} {sur}") if layer == 0 else slug(f"{given} {father} {sur}")
    return given, gender, father, sur, pid


def capacity():
    return len(GIVEN) * len(STEMS) * len(FATHERS)


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
