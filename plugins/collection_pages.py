"""A page per list edition and per collective case, for templates/row-political_prisoners-
lists.html and row-political_prisoners-cases.html.

A list edition's page gives its count, its group counts, the names the registry holds for
it with the basis of each (the list itself, or a report), the removals reports name, and
how complete those names are. A case's page gives its people with their detention, the
articles they are charged under, and whether each is held now under the registry's rule.
"""
from urllib.parse import unquote

from datasette import hookimpl
from datasette.utils import tilde_decode

from registry.settings import DB_NAME as DB


def rows(results):
    return [dict(r) for r in results.rows]


async def row_with_source(db, table, key_column, key):
    """One row of table with the address and publisher of its source, or None."""
    found = rows(await db.execute(
        f"select t.*, s.url as source_url, s.publisher as source_publisher from {table} t "
        f"join sources s on s.source_id = t.source_id where t.{key_column} = :id", {"id": key}))
    return found[0] if found else None


async def list_page(datasette, list_id):
    db = datasette.get_database(DB)
    q = lambda sql: db.execute(sql, {"id": list_id})  # noqa: E731
    edition = await row_with_source(db, "lists", "list_id", list_id)
    if edition is None:
        return None
    entries = rows(await q("""
        select le.number, le.person_id, p.name, le.name_as_printed, le.group_as_printed, le.basis,
               ps.held_basis, s.url as source_url, s.publisher as source_publisher
        from list_entries le join persons p on p.person_id = le.person_id
        join person_status ps on ps.person_id = le.person_id
        join sources s on s.source_id = le.source_id
        where le.list_id = :id order by le.number is null, le.number, p.name"""))
    removals = rows(await q("""
        select lr.person_id, p.name, lr.reason, lr.name_as_printed, s.url as source_url
        from list_removals lr join persons p on p.person_id = lr.person_id
        join sources s on s.source_id = lr.source_id
        where lr.list_id = :id order by p.name"""))
    groups = rows(await q("""select group_as_printed, count, category from list_group_counts
                             where list_id = :id order by count desc, group_as_printed"""))
    reports = rows(await q("""select l.list_id, l.title, l.as_of, l.total from lists l
                              where l.same_list_as = :id order by l.as_of, l.list_id"""))
    named = len({e["person_id"] for e in entries})
    return {"edition": edition, "entries": entries, "removals": removals, "groups": groups,
            "reports": reports, "named": named,
            "complete": bool(edition["itemised"]) and edition["total"] is not None
                        and named >= edition["total"]}


async def case_page(datasette, case_id):
    db = datasette.get_database(DB)
    q = lambda sql: db.execute(sql, {"id": case_id})  # noqa: E731
    case = await row_with_source(db, "cases", "case_id", case_id)
    if case is None:
        return None
    people = rows(await q("""
        select p.person_id, p.name, p.category, d.detention_id, d.arrested_on, d.arrested_precision,
               d.sentence_kind, d.sentence_months, d.sentenced_on, d.released_on, d.release_reason,
               ps.held_basis, ps.last_held_on,
               (select group_concat(article_id, ', ') from (select distinct ch.article_id
                  from charges ch where ch.detention_id = d.detention_id order by ch.article_id))
                 as articles
        from detentions d join persons p on p.person_id = d.person_id
        join person_status ps on ps.person_id = p.person_id
        where d.case_id = :id order by d.arrested_on is null, d.arrested_on, p.name"""))
    return {"case": case, "people": people,
            "held_now": sum(p["held_basis"] in ("confirmed", "sentence_running") for p in people)}


PAGES = {"lists": ("list_page", list_page), "cases": ("case_page", case_page)}


async def list_editions(datasette):
    """Every list edition for the comparison form, newest first, with how many names each holds."""
    db = datasette.get_database(DB)
    return rows(await db.execute("""
        select l.list_id, l.title, l.as_of, l.total, l.scope,
               (select count(distinct le.person_id) from list_entries le
                where le.list_id = l.list_id) as named
        from lists l where l.same_list_as is null
        order by l.as_of is null, l.as_of desc, l.list_id"""))


@hookimpl
def extra_template_vars(view_name, database, table, request, datasette):
    if view_name in ("query", "database", "table") and database == DB and request is not None \
            and request.path.rstrip("/").endswith("/list_changes"):
        async def editions():
            return {"list_editions": await list_editions(datasette),
                    "chosen": {k: request.args.get(k, "") for k in ("from_list", "to_list")}}
        return editions
    if view_name != "row" or database != DB or table not in PAGES:
        return {}
    name, load = PAGES[table]

    async def inner():
        key = tilde_decode(unquote((request.url_vars or {}).get("pks", ""))) if request else ""
        return {name: await load(datasette, key)}
    return inner
