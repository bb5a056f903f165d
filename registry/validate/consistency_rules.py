"""Validator rules that compare rows with each other: each row can be well-formed and
the data still say two things that cannot both be true.

Each reports through the validator's Report as file:row: column: what is wrong;
expected ...; a warning where sources themselves can disagree.
"""
import re
from urllib.parse import urlsplit

from ..settings import SQL_FILES

HELD_STATUSES_SQL = SQL_FILES[0]


def same_address(url):
    """The key on which two spellings of one address agree: scheme, www., case of the host,
    default port and a trailing slash do not make another page."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/")
    return f"{host}{port}{path}" + (f"?{parts.query}" if parts.query else "")


def check_same_addresses(conn, report, paths):
    seen = {}
    for line, sid, url in conn.execute("SELECT rowid, source_id, url FROM sources WHERE url IS NOT NULL "
                                       "ORDER BY rowid"):
        try:
            key = same_address(url)
        except ValueError:
            continue  # the cell check has reported it
        if key in seen and seen[key][1] != url:
            first_line, first_url = seen[key]
            report.error(paths["sources"], line, "url", f"'{url[:80]}' is the same address as "
                         f"'{first_url[:80]}' on line {first_line}, written another way; expected "
                         "each source once", "same-address")
        seen.setdefault(key, (line, url))


def rule(conn, report, path, column, sql, message, kind, warning=False):
    for line, *values in conn.execute(sql):
        (report.warn if warning else report.error)(path, line, column, message(*values), kind)


def check_rows_agree(conn, report, paths, ok):
    # The rules below read the one list of custody statuses, as the views do.
    conn.executescript(HELD_STATUSES_SQL.read_text(encoding="utf-8"))
    if ok("events", "detentions"):
        rule(conn, report, paths["events"], "detention_id", """
            SELECT e.rowid, e.detention_id, d.person_id, e.person_id FROM events e
            JOIN detentions d ON d.detention_id = e.detention_id
            WHERE d.person_id != e.person_id ORDER BY e.rowid""",
             lambda did, owner, pid: f"'{did}' is a detention of '{owner}', not of '{pid}'; expected "
             "an event to sit on a detention of its own person", "event-other-person")
    if ok("lists"):
        rule(conn, report, paths["lists"], "same_list_as", """
            WITH RECURSIVE chain(start, at, depth) AS (
                SELECT list_id, same_list_as, 1 FROM lists WHERE same_list_as IS NOT NULL
                UNION ALL
                SELECT c.start, l.same_list_as, c.depth + 1 FROM chain c
                JOIN lists l ON l.list_id = c.at
                WHERE l.same_list_as IS NOT NULL AND c.at != c.start AND c.depth < 100)
            SELECT l.rowid, l.list_id FROM lists l
            WHERE l.list_id IN (SELECT start FROM chain WHERE at = start) ORDER BY l.rowid""",
             lambda lid: f"'{lid}' leads back to itself through same_list_as; expected it to point at "
             "the first report of the list, which points nowhere", "same-list-cycle")
        rule(conn, report, paths["lists"], "same_list_as", """
            SELECT l.rowid, l.list_id FROM lists l JOIN lists t ON t.list_id = l.same_list_as
            WHERE t.same_list_as IS NOT NULL AND t.list_id != l.list_id
              AND l.list_id NOT IN (SELECT list_id FROM lists WHERE list_id = same_list_as)
            ORDER BY l.rowid""",
             lambda lid: f"'{lid}' points at a list that itself points further; expected "
             "same_list_as to name the first report directly", "same-list-chain")
    if ok("detentions"):
        rule(conn, report, paths["detentions"], "sentenced_on", """
            SELECT rowid, sentenced_on, arrested_on FROM detentions
            WHERE sentenced_on < arrested_on ORDER BY rowid""",
             lambda s, a: f"{s} is before arrested_on {a}; expected a verdict on or after the arrest",
             "sentence-before-arrest")
        rule(conn, report, paths["detentions"], "release_reason", """
            SELECT rowid, released_on FROM detentions
            WHERE released_on IS NOT NULL AND release_reason IS NULL ORDER BY rowid""",
             lambda r: f"is blank but the detention ends on {r}; expected why it ended (pardon, "
             "sentence_served, ... or other)", "release-without-reason")
    if ok("persons", "detentions"):
        rule(conn, report, paths["detentions"], "arrested_on", """
            SELECT d.rowid, d.arrested_on, p.birth_year, p.person_id FROM detentions d
            JOIN persons p ON p.person_id = d.person_id
            WHERE p.birth_year IS NOT NULL AND CAST(substr(d.arrested_on, 1, 4) AS INTEGER) < p.birth_year
            ORDER BY d.rowid""",
             lambda a, born, pid: f"{a} is before '{pid}' was born ({born}); expected an arrest "
             "after the birth year", "arrest-before-birth")
    if ok("persons", "detentions", "events", "list_removals"):
        rule(conn, report, paths["persons"], "status", """
            SELECT p.rowid, p.status, p.person_id FROM persons p
            WHERE p.status IN ('released', 'pardoned')
              AND NOT EXISTS (SELECT 1 FROM detentions d WHERE d.person_id = p.person_id
                              AND d.released_on IS NOT NULL)
              AND NOT EXISTS (SELECT 1 FROM events e WHERE e.person_id = p.person_id
                              AND e.kind IN ('released', 'pardoned'))
              AND NOT EXISTS (SELECT 1 FROM list_removals r WHERE r.person_id = p.person_id)
            ORDER BY p.rowid""",
             lambda st, pid: f"is {st} but no release of '{pid}' is recorded (detention released_on, "
             "a released or pardoned event, or a list removal); expected the release with its "
             "source", "status-without-release", warning=True)
        rule(conn, report, paths["persons"], "status", """
            SELECT p.rowid, p.status, p.person_id, r.last FROM persons p
            JOIN (SELECT person_id, max(released_on) AS last FROM detentions
                  WHERE released_on IS NOT NULL AND coalesce(release_reason, '') != 'house_arrest'
                  GROUP BY person_id) r ON r.person_id = p.person_id
            WHERE p.status IN (SELECT status FROM held_statuses) AND p.status_as_of > r.last
              AND NOT EXISTS (SELECT 1 FROM detentions d WHERE d.person_id = p.person_id
                              AND d.released_on IS NULL)
            ORDER BY p.rowid""",
             lambda st, pid, last: f"is {st} after '{pid}' was released on {last}, but no later "
             "detention is recorded; expected the new detention", "held-after-release", warning=True)
    if ok("list_entries"):
        rule(conn, report, paths["list_entries"], "number", """
            SELECT le.rowid, le.number, le.list_id, first FROM (
                SELECT rowid, number, list_id,
                       min(rowid) OVER (PARTITION BY list_id, number) AS first FROM list_entries
                WHERE number IS NOT NULL) le
            WHERE le.rowid != le.first ORDER BY le.rowid""",
             lambda n, lid, first: f"{n} is already used in '{lid}' on line {first}; expected each "
             "number once in a list", "duplicate-number")
    if ok("conflicts"):
        rule(conn, report, paths["conflicts"], "person_id", """
            SELECT rowid, conflict_id FROM conflicts
            WHERE person_id IS NULL AND list_id IS NULL ORDER BY rowid""",
             lambda cid: f"claim of '{cid}' is tied to neither a person nor a list; expected "
             "person_id or list_id where the disagreement is about one", "conflict-untied",
             warning=True)
    if ok("articles"):
        keys = {}
        for line, aid in conn.execute("SELECT rowid, article_id FROM articles ORDER BY rowid"):
            key = re.sub(r"(?<![0-9])0+(?=[0-9])", "", aid)
            if key in keys:
                report.error(paths["articles"], line, "article_id", f"'{aid}' is the same article as "
                             f"'{keys[key][1]}' on line {keys[key][0]}, with leading zeros; expected "
                             "each article once, written without leading zeros", "article-zeros")
            keys.setdefault(key, (line, aid))
