"""One person spelt twice: names and aliases that fold to one key."""
from ..fold import father_name, name_key
from .load import BATCH


def check_near_duplicates(conn, report, paths):
    """Two person_ids whose names fold to one key are probably one person spelt twice.

    People who share a name but whose patronymics name different fathers, or whom
    sources give different genders (Arzu Huseynova, Araz Hasanov), are different
    people, and are not reported.
    """
    conn.execute("CREATE TEMP TABLE name_keys (key TEXT, person_id TEXT, line INTEGER, name TEXT, "
                 "source TEXT)")
    conn.execute("CREATE TEMP TABLE fathers (person_id TEXT PRIMARY KEY, father TEXT)")
    spellings = (
        ((line, pid, n, "persons") for line, pid, name, name_az in conn.execute(
            "SELECT rowid, person_id, name, name_az FROM persons") for n in (name, name_az) if n),
        conn.execute("SELECT rowid, person_id, alias, 'aliases' FROM aliases"))
    # Batches, not a dict of every person's father, so memory stays flat at 1M persons;
    # OR IGNORE keeps each person's first father, as setdefault did.
    rows, fathers = [], []
    for line, pid, name, table in (row for source in spellings for row in source):
        rows.append((name_key(name), pid, line, name, table))
        father = father_name(name)
        if father:
            fathers.append((pid, father))
        if len(rows) >= BATCH:
            conn.executemany("INSERT INTO name_keys VALUES (?, ?, ?, ?, ?)", rows)
            conn.executemany("INSERT OR IGNORE INTO fathers VALUES (?, ?)", fathers)
            rows.clear()
            fathers.clear()
    conn.executemany("INSERT INTO name_keys VALUES (?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT OR IGNORE INTO fathers VALUES (?, ?)", fathers)
    conn.execute("CREATE INDEX temp.name_keys_key ON name_keys (key, person_id)")
    reported = set()
    for a_pid, a_line, a_name, a_src, b_pid, b_line, b_name, b_src in conn.execute("""
            SELECT a.person_id, a.line, a.name, a.source, b.person_id, b.line, b.name, b.source
            FROM name_keys a JOIN name_keys b ON a.key = b.key AND a.person_id > b.person_id
            LEFT JOIN fathers fa ON fa.person_id = a.person_id
            LEFT JOIN fathers fb ON fb.person_id = b.person_id
            LEFT JOIN persons ga ON ga.person_id = a.person_id
            LEFT JOIN persons gb ON gb.person_id = b.person_id
            WHERE a.key != '' AND NOT (fa.father IS NOT NULL AND fb.father IS NOT NULL
                                       AND fa.father != fb.father)
              AND NOT (ga.gender IS NOT NULL AND gb.gender IS NOT NULL AND ga.gender != gb.gender)
            ORDER BY a.line, b.line"""):
        if (a_pid, b_pid) in reported:
            continue
        reported.add((a_pid, b_pid))
        if (a_src, a_line) < (b_src, b_line):
            # Report the later row: it is usually the one just added.
            a_pid, a_line, a_name, a_src, b_pid, b_line, b_name, b_src = (
                b_pid, b_line, b_name, b_src, a_pid, a_line, a_name, a_src)
        column = "name" if a_src == "persons" else "alias"
        report.error(paths[a_src], a_line, column, f"'{a_name}' ({a_pid}) looks like the same person as "
                     f"'{b_name}' ({b_pid}, {paths[b_src]}:{b_line}); expected one person_id per "
                     "person, with other spellings in aliases", "near-duplicate")
