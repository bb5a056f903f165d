"""Validator rules about where facts come from: original URLs, list bases, corrections.

Each rule reads the staging database the validator loaded and reports through its
Report, as file:row: column: what is wrong; expected ...
"""
import re

# Addresses of copies, never of an original publication: mirrors, redirect wrappers,
# archives, cloud storage and machine-translation proxies. The copy read belongs in
# sources.retrieved_from, the original article's address in sources.url.
COPY_PATTERNS = {
    r"kavkaz-uzel\.(work|media)|caucasianknot\.(com|org|net)/": "a mirror of Caucasian Knot (kavkaz-uzel.eu)",
    r"fourthestate\.app|vecto\.digital": "a mirror of OC Media (oc-media.org)",
    r"[?&]tourl=": "a redirect wrapper",
    r"storage\.googleapis\.com|\.amazonaws\.com|\.blob\.core\.windows\.net|"
    r"\.r2\.dev|\.digitaloceanspaces\.com": "a cloud-storage copy",
    r"web\.archive\.org|archive\.(ph|today|is|li|md)/|webcache\.googleusercontent\.com":
        "an archive copy",
    r"\.translate\.goog|translate\.google\.": "a machine-translation proxy",
    r"\.cloudfront\.net|collateral-freedom\.org|qurium": "an anti-censorship or CDN mirror",
    r"r\.jina\.ai/|12ft\.io|removepaywall": "a reader proxy",
}
COPY = re.compile("|".join(f"(?:{p})" for p in COPY_PATTERNS), re.IGNORECASE)


def copy_kind(url):
    for pattern, kind in COPY_PATTERNS.items():
        if re.search(pattern, url, re.IGNORECASE):
            return kind
    return None


def check_sources(conn, report, paths):
    for line, url in conn.execute("SELECT rowid, url FROM sources WHERE url IS NOT NULL ORDER BY rowid"):
        kind = copy_kind(url)
        if kind:
            report.error(paths["sources"], line, "url", f"'{url[:80]}' is {kind}; expected the "
                         "original publication's address, with the copy read in retrieved_from",
                         "copy-url")
    for line, in conn.execute("SELECT rowid FROM sources WHERE retrieved_from = url ORDER BY rowid"):
        report.error(paths["sources"], line, "retrieved_from", "is the same as url; expected it "
                     "blank when the original itself was read, or the copy's address", "retrieved-same")


def check_list_basis(conn, report, paths):
    for line, lid in conn.execute(
            "SELECT le.rowid, le.list_id FROM list_entries le JOIN lists l ON l.list_id = le.list_id "
            "WHERE le.basis = 'printed_on_list' AND NOT l.itemised ORDER BY le.rowid"):
        report.error(paths["list_entries"], line, "basis", f"is printed_on_list but list '{lid}' is not "
                     "itemised (lists.itemised = false); expected reported_on_list or reported_added, "
                     "naming the report", "basis-not-itemised")


def check_list_removals(conn, report, paths):
    for line, lid, pid in conn.execute(
            "SELECT r.rowid, r.list_id, r.person_id FROM list_removals r JOIN list_entries le "
            "ON le.list_id = r.list_id AND le.person_id = r.person_id ORDER BY r.rowid"):
        report.error(paths["list_removals"], line, "person_id", f"'{pid}' is recorded as removed from "
                     f"'{lid}' and also as on it in {paths['list_entries']}; expected one of the two",
                     "removed-and-listed")


# column_name of a correction that removed a whole row (its only source was unusable).
ROW_REMOVED = "_row"


def version_tuple(text):
    return tuple(int(x) for x in text.split("."))


def check_corrections(conn, report, paths, resources, current_version):
    """Each correction names a real cell, and the latest correction of a cell is its value now."""
    by_name = {r.name: r for r in resources}
    path = paths["corrections"]
    latest = {}
    for line, release, table, key, column, new in conn.execute(
            "SELECT rowid, release, table_name, row_key, column_name, new_value FROM corrections "
            "ORDER BY rowid"):
        if not (release and table and key and column):
            continue  # a blank required cell: the cell check has reported it
        if release and re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", release) and \
                version_tuple(release) > version_tuple(current_version):
            report.error(path, line, "release", f"{release} is later than the data release "
                         f"{current_version}; expected a release up to {current_version}",
                         "correction-release")
        res = by_name.get(table)
        if res is None or table == "corrections":
            report.error(path, line, "table_name", f"'{table}' is not a table of the data package; "
                         f"expected one of: {', '.join(sorted(set(by_name) - {'corrections'}))}",
                         "correction-table")
            continue
        if column == ROW_REMOVED:
            where = " AND ".join(f'"{k}" = ?' for k in res.primary_key)
            parts = key.split("|")
            if len(parts) == len(res.primary_key) and conn.execute(
                    f'SELECT 1 FROM "{table}" WHERE {where}', parts).fetchone():
                report.error(path, line, "row_key", f"'{key}' is recorded as removed from {table} but "
                             "is still there; expected the row gone", "correction-removed")
            continue
        if column not in res.field_names:
            report.error(path, line, "column_name", f"'{column}' is not a column of {table}; expected "
                         f"one of: {', '.join(res.field_names)}", "correction-column")
            continue
        parts = key.split("|")
        if len(parts) != len(res.primary_key):
            report.error(path, line, "row_key", f"'{key}' has {len(parts)} part(s) but {table}'s key "
                         f"has {len(res.primary_key)} ({'|'.join(res.primary_key)}); expected the parts "
                         "joined by |", "correction-key")
            continue
        where = " AND ".join(f'"{k}" = ?' for k in res.primary_key)
        row = conn.execute(f'SELECT "{column}" FROM "{table}" WHERE {where}', parts).fetchone()
        if row is None:
            report.error(path, line, "row_key", f"'{key}' is not a row of {table}; expected the key of "
                         "the corrected row", "correction-row")
            continue
        previous = latest.get((table, key, column))
        if previous is None or version_tuple(release) >= version_tuple(previous[0]):
            latest[(table, key, column)] = (release, line, new, row[0])
    for (table, key, column), (release, line, new, now) in sorted(latest.items(), key=lambda kv: kv[1][1]):
        now_text = "" if now is None else str(now)
        if by_name[table].field(column).type == "boolean" and now is not None:
            now_text = "true" if now else "false"
        if (new or "") != now_text:
            report.error(path, line, "new_value", f"'{(new or '')[:60]}' is not the value of {table} "
                         f"{key} {column} now ('{now_text[:60]}'); expected the latest correction of a "
                         "cell to give its current value", "correction-stale")
