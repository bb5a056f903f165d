"""What a synthetic registry's lookup tables hold: categories, articles, places,
publishers, kinds of source, event wording and list editions.

Weights are the real data's relative frequencies (rounded), so that facets and filters
over a synthetic registry see the same skew as over the real one.
"""
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
LISTS = [("ufppa", year) for year in range(2013, 2026)]
