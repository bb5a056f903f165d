"""Rules across rows and tables that a Table Schema cannot state."""
from .. import datapackage
from . import consistency_rules, provenance_rules
from .near_duplicates import check_near_duplicates
from .report import display_path


def check_rules(resources, conn, report, readable):
    """Rules across rows and tables that a Table Schema cannot state."""
    paths = {r.name: display_path(r.path) for r in resources}
    ok = lambda *names: all(readable.get(n) for n in names)  # noqa: E731

    if ok("detentions"):
        for line, arrested, released in conn.execute(
                "SELECT rowid, arrested_on, released_on FROM detentions "
                "WHERE released_on < arrested_on ORDER BY rowid"):
            report.error(paths["detentions"], line, "released_on", f"{released} is before arrested_on "
                         f"{arrested}; expected a release on or after the arrest", "release-order")
        for line, in conn.execute(
                "SELECT rowid FROM detentions WHERE (released_on IS NOT NULL OR release_reason IS NOT "
                "NULL) AND release_source_id IS NULL ORDER BY rowid"):
            report.error(paths["detentions"], line, "release_source_id", "is blank but the row "
                         "records a release; expected the source that states the release",
                         "release-source")
    if ok("persons", "detentions"):
        # Without this index the NOT EXISTS below scans detentions once per person:
        # quadratic, 15 s at 10k persons and hours at 1M (docs/performance.md).
        conn.execute('CREATE INDEX IF NOT EXISTS "_rule_detentions_person_id" ON detentions (person_id)')
        for line, pid in conn.execute(
                "SELECT rowid, person_id FROM persons p WHERE NOT EXISTS (SELECT 1 FROM detentions d "
                "WHERE d.person_id = p.person_id) ORDER BY rowid"):
            report.error(paths["persons"], line, "person_id", f"'{pid}' has no detention; expected at "
                         f"least one row in {paths['detentions']}", "no-detention")
    if ok("persons", "aliases"):
        check_near_duplicates(conn, report, paths)
    if ok("lists", "list_group_counts"):
        for line, lid, total, summed in conn.execute(
                "SELECT l.rowid, l.list_id, l.total, sum(g.count) FROM lists l JOIN list_group_counts "
                "g ON g.list_id = l.list_id WHERE l.total IS NOT NULL GROUP BY l.list_id "
                "HAVING sum(g.count) != l.total ORDER BY l.rowid"):
            report.warn(paths["lists"], line, "total", f"'{lid}' publishes a total of {total} but its "
                        f"group counts in {paths['list_group_counts']} add up to {summed}; both are "
                        "kept as published", "group-sum")
    if ok("sources"):
        provenance_rules.check_sources(conn, report, paths)
        consistency_rules.check_same_addresses(conn, report, paths)
    consistency_rules.check_rows_agree(conn, report, paths, ok)
    if ok("lists", "list_entries"):
        provenance_rules.check_list_basis(conn, report, paths)
    if ok("list_entries", "list_removals"):
        provenance_rules.check_list_removals(conn, report, paths)
    if "corrections" in paths and ok(*paths):
        provenance_rules.check_corrections(conn, report, paths, resources, datapackage.version())
    if ok("sources"):
        cited = []
        for res in resources:
            for fk in res.foreign_keys:
                if fk["reference"]["resource"] == "sources" and ok(res.name):
                    cited.append(f'SELECT "{fk["fields"][0]}" AS source_id FROM "{res.name}"')
        if cited:
            conn.execute(f"CREATE TEMP TABLE cited AS {' UNION '.join(cited)}")
            for line, sid in conn.execute(
                    "SELECT rowid, source_id FROM sources WHERE source_id NOT IN "
                    "(SELECT \"source_id\" FROM cited WHERE \"source_id\" IS NOT NULL) ORDER BY rowid"):
                report.warn(paths["sources"], line, "source_id", f"'{sid}' is cited by no row; expected "
                            "every source to support at least one fact", "unused-source")
