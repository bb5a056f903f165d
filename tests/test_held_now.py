"""The held-now rule (sql/views.sql, person_status), on people built to test each case.

The rule measures from the release date that the build stamps into registry_build
(data_as_of, from schema/datapackage.json "created"). These cases pin it to 2026-12-01,
so the 24-month window starts on 2024-12-01 whatever the current release is. Each
person below is one case of the rule, with the answer the rule must give.
"""
import csv
import sqlite3

import pytest

from registry import build

from .conftest import MINIMAL

AS_OF = "2026-12-01"

# person_id: (status, status_as_of, detentions, events, expected basis)
# detention: (arrested_on, sentence_kind, sentence_months, sentenced_on, released_on, reason)
CASES = {
    "recent-remand": ("pretrial_detention", "2025-05-06", [("2025-05-06", "", "", "", "", "")],
                      [], "confirmed"),
    "old-long-sentence": ("imprisoned", "2014-08-10", [("2013-11-22", "imprisonment", "240",
                                                        "2014-05-27", "", "")], [], "sentence_running"),
    "old-sentence-ended": ("imprisoned", "2014-08-10", [("2013-11-22", "imprisonment", "66",
                                                         "2014-05-27", "", "")], [], "last_reported_held"),
    "old-no-sentence": ("pretrial_detention", "2014-08-10", [("2014-03-01", "", "", "", "", "")], [],
                        "last_reported_held"),
    "life-sentence": ("imprisoned", "2010-01-01", [("2008-01-01", "life_imprisonment", "",
                                                    "2009-01-01", "", "")], [], "sentence_running"),
    "pardoned-later": ("imprisoned", "2014-08-10", [("2013-01-01", "imprisonment", "240",
                                                     "2013-06-01", "2016-03-17", "pardon")], [],
                       "not_held"),
    "pardon-event-only": ("imprisoned", "2014-08-10", [("2013-01-01", "imprisonment", "240",
                                                        "2013-06-01", "", "")],
                          [("2019-03-16", "pardoned")], "not_held"),
    "rearrested": ("released", "2020-03-17", [("2017-05-29", "imprisonment", "72", "2018-01-12",
                                                "2020-03-17", "pardon"),
                                               ("2025-01-10", "", "", "", "", "")],
                   [("2025-01-10", "arrested")], "confirmed"),
    "house-arrest-move": ("house_arrest", "2025-02-01", [("2024-11-20", "", "", "", "2025-02-01",
                                                          "house_arrest")], [], "confirmed"),
    "released-same-day": ("released", "2025-03-01", [("2025-02-01", "", "", "", "2025-03-01",
                                                      "released_pending_trial")],
                          [("2025-03-01", "pretrial_detention_extended")], "not_held"),
    "recent-appeal-old-arrest": ("imprisoned", "2015-01-01", [("2013-01-01", "imprisonment", "60",
                                                               "2014-01-01", "", "")],
                                 [("2025-06-01", "reported_held")], "confirmed"),
    "window-edge-in": ("pretrial_detention", "2024-12-01", [("2024-12-01", "", "", "", "", "")], [],
                       "confirmed"),
    "sentence-without-arrest-date": ("imprisoned", "2019-03-15", [("", "imprisonment", "96",
                                                                    "2019-03-15", "", "")], [],
                                     "last_reported_held"),
    "released-undated": ("released", "", [("2011-08-12", "imprisonment", "240", "2012-08-10", "", "")],
                         [], "not_held"),
    "term-ended-after-recent-report": ("imprisoned", "2025-04-17", [("2023-08-04", "imprisonment", "36",
                                                                     "2024-01-31", "", "")],
                                       [("2025-09-03", "reported_held")], "last_reported_held"),
    "custody-reported-later-still": ("imprisoned", "2025-04-17", [("2021-08-04", "imprisonment", "36",
                                                                   "2022-01-31", "", "")],
                                     [("2025-09-03", "reported_held")], "confirmed"),
    "window-edge-out": ("pretrial_detention", "2024-11-30", [("2024-11-30", "", "", "", "", "")], [],
                        "last_reported_held"),
}


def append(path, rows):
    with open(path, "a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture(scope="module")
def status_db(tmp_path_factory):
    import shutil
    folder = tmp_path_factory.mktemp("held")
    data = folder / "data"
    shutil.copytree(MINIMAL, data)
    persons, detentions, events = [], [], []
    for pid, (status, as_of, dets, evs, _) in CASES.items():
        persons.append([pid, pid.replace("-", " ").title(), "", "", "", "", "", "journalist-blogger", status, as_of,
                        "test-news-2021", "", "test-list-2020"])
        for n, (arrested, kind, months, sentenced, released, reason) in enumerate(dets):
            did = f"{pid}-{n}"
            detentions.append([did, pid, arrested, "day", "", "", kind, months, sentenced, released,
                               reason, "test-news-2021" if released else "", "", "test-list-2020"])
        for date, kind in evs:
            events.append([f"{pid}-{date}-{kind.replace('_', '-')}", pid, "", date, "day", kind, "Test event.",
                           "test-news-2021"])
    append(data / "persons.csv", persons)
    append(data / "detentions.csv", detentions)
    append(data / "events.csv", events)
    out = folder / "held.db"
    report = build.build(data, out, commit="test")
    assert report.error_count == 0, "\n".join(map(str, report.errors))
    conn = sqlite3.connect(out)
    with conn:
        conn.execute("UPDATE registry_build SET value = ? WHERE key = 'data_as_of'", [AS_OF])
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def test_the_window_is_24_months_before_the_release_date(status_db):
    row = status_db.execute("SELECT * FROM registry_as_of").fetchone()
    assert row["as_of"] == AS_OF
    assert row["window_start"] == "2024-12-01"


@pytest.mark.parametrize("person_id", sorted(CASES))
def test_each_case_gets_its_basis(status_db, person_id):
    row = status_db.execute("SELECT * FROM person_status WHERE person_id = ?", [person_id]).fetchone()
    assert row["held_basis"] == CASES[person_id][-1]
    assert row["held_now"] == (CASES[person_id][-1] in ("confirmed", "sentence_running"))


def test_confirmation_date_and_source_are_the_latest_statement(status_db):
    row = status_db.execute("SELECT * FROM person_status WHERE person_id = 'recent-appeal-old-arrest'"
                            ).fetchone()
    assert (row["last_held_on"], row["last_held_source_id"]) == ("2025-06-01", "test-news-2021")
    row = status_db.execute("SELECT * FROM person_status WHERE person_id = 'old-long-sentence'").fetchone()
    assert row["sentence_ends_on"] == "2033-11-22"
    assert row["last_held_on"] == "2014-08-10"


def test_held_now_view_and_summary_agree_with_person_status(status_db):
    held = {r[0] for r in status_db.execute("SELECT person_id FROM held_now")}
    expected = {p for p, case in CASES.items() if case[-1] in ("confirmed", "sentence_running")}
    assert held == expected
    summary = status_db.execute("SELECT * FROM held_now_summary").fetchone()
    assert summary["held_now"] == len(expected)
    assert summary["confirmed"] == sum(c[-1] == "confirmed" for c in CASES.values())
    assert summary["sentence_running"] == sum(c[-1] == "sentence_running" for c in CASES.values())
    # The two fixture people: one last reported held in 2021, one released.
    assert summary["last_reported_held"] == 1 + sum(c[-1] == "last_reported_held" for c in CASES.values())
    per_category = status_db.execute("SELECT sum(held_now), sum(confirmed) FROM held_now_by_category"
                                     ).fetchone()
    assert tuple(per_category) == (summary["held_now"], summary["confirmed"])


def test_the_current_detention_is_the_open_one(status_db):
    row = status_db.execute("SELECT detention_id FROM held_now WHERE person_id = 'rearrested'").fetchone()
    assert row[0] == "rearrested-1"


def test_a_list_removal_ends_custody(status_db):
    row = status_db.execute("SELECT held_basis, last_released_on FROM person_status "
                            "WHERE person_id = 'elmar-sinaqov'").fetchone()
    assert tuple(row) == ("not_held", "2021-06-01")
