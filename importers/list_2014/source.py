"""The document's own rows (its source and list) and the output's table names."""

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

LIST_ROW = {
    "list_id": LIST_ID,
    "compiler": "Working Group on a single list of political prisoners in Azerbaijan "
                "(led by Leyla Yunus and Rasul Jafarov)",
    "title": "THE LIST: Political Prisoners in Azerbaijan",
    "as_of": AS_OF, "as_of_precision": "day",
    "total": "98", "total_qualifier": "exact", "itemised": "true",
    "scope": "political_prisoners", "same_list_as": "",
    "note": "98 numbered people in seven lettered sections (A-G). The introduction speaks of cases "
            "as of 3 June 2014; its page 2 gives 10 August 2014 as the date of the last update, used here.",
    "source_id": SOURCE_ID,
}

TABLES = ["sources", "lists", "list_entries", "persons", "aliases", "places", "cases",
          "articles", "detentions", "charges", "events"]

NUMBERS = range(1, 99)

# The list's lettered sections map one to one onto the registry's categories.
SECTION_CATEGORY = {
    "A": "journalist-blogger",
    "B": "human-rights-defender",
    "C": "youth-activist",
    "D": "opposition-civil-activist",
    "E": "religious-believer",
    "F": "lifetime-prisoner",
    "G": "other",
}
