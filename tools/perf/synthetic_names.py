"""The names of synthetic people: realistic Azerbaijani given names, fathers' names and
surnames, combined so that person i always gets the same name and no two people share
(given name, father's name, surname).

Distinct combinations matter because the validator's near-duplicate check would take
two synthetic people with the same name for one person entered twice; with a distinct
patronymic they are namesakes, as real ones are. Nothing here is about a real person.
"""
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
