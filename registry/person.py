"""One person's whole record, as the person page and the whole-person JSON give it:
the persons row, aliases, detentions with their charges, the timeline, lists, removals,
disagreements and the held-now standing, each item with its source."""
from .settings import DB_NAME as DB


def rows(results):
    return [dict(r) for r in results.rows]


async def person_data(datasette, person_id):
    db = datasette.get_database(DB)
    q = lambda sql: db.execute(sql, {"id": person_id})  # noqa: E731
    person = rows(await q("""
        select p.*, c.name as category_name, s.url as status_source_url,
               s.publisher as status_source_publisher, s.title as status_source_title,
               s2.url as source_url, s2.publisher as source_publisher
        from persons p join categories c on c.category_id = p.category
        join sources s on s.source_id = p.status_source_id
        join sources s2 on s2.source_id = p.source_id
        where p.person_id = :id"""))
    if not person:
        return None
    person = person[0]
    aliases = rows(await q("""select alias, kind from aliases where person_id = :id
                              order by kind, alias"""))
    detentions = rows(await q("""
        select d.*, pl.name as place_name, pl.kind as place_kind, c.name as case_name,
               s.url as source_url, s.publisher as source_publisher,
               rs.url as release_source_url, rs.publisher as release_source_publisher
        from detentions d
        left join places pl on pl.place_id = d.place_id
        left join cases c on c.case_id = d.case_id
        join sources s on s.source_id = d.source_id
        left join sources rs on rs.source_id = d.release_source_id
        where d.person_id = :id
        order by d.arrested_on is null, d.arrested_on, d.detention_id"""))
    charges = rows(await q("""
        select ch.detention_id, ch.article_id, a.title, a.code, ch.stage, s.url as source_url,
               s.publisher as source_publisher
        from charges ch join detentions d on d.detention_id = ch.detention_id
        join articles a on a.article_id = ch.article_id
        join sources s on s.source_id = ch.source_id
        where d.person_id = :id order by ch.article_id, ch.source_id"""))
    for d in detentions:
        # One line per article; each source that states it (and its stage) listed on it.
        grouped = {}
        for c in charges:
            if c["detention_id"] != d["detention_id"]:
                continue
            g = grouped.setdefault(c["article_id"], {**c, "stages": [], "sources": []})
            if c["stage"] and c["stage"] not in g["stages"]:
                g["stages"].append(c["stage"])
            g["sources"].append({"url": c["source_url"], "publisher": c["source_publisher"]})
        d["charges"] = list(grouped.values())
    timeline = rows(await q("""
        select date, date_precision, kind, description, detention_id, publisher, source_url,
               item_id
        from person_timeline_items where person_id = :id
        order by date, case kind when 'arrested' then 0 when 'named_on_list' then 9 else 1 end,
                 item_id"""))
    lists = rows(await q("""
        select l.list_id, l.title, l.compiler, l.as_of, l.scope, le.number, le.basis,
               le.group_as_printed, le.subgroup_as_printed, le.name_as_printed,
               s.url as source_url
        from list_entries le join lists l on l.list_id = le.list_id
        join sources s on s.source_id = le.source_id
        where le.person_id = :id order by l.as_of, l.list_id"""))
    standing = rows(await q("""
        select ps.*, s.url as last_held_source_url, s.publisher as last_held_source_publisher
        from person_status ps left join sources s on s.source_id = ps.last_held_source_id
        where ps.person_id = :id"""))[0]
    removals = rows(await q("""
        select l.list_id, l.title, l.compiler, l.as_of, lr.reason, lr.name_as_printed,
               s.url as source_url
        from list_removals lr join lists l on l.list_id = lr.list_id
        join sources s on s.source_id = lr.source_id
        where lr.person_id = :id order by l.as_of, l.list_id"""))
    conflicts = rows(await q("""
        select conflict_id, topic, claim, publisher, source_url from disagreements
        where person_id = :id order by conflict_id, claim"""))
    return {"person": person, "aliases": aliases, "detentions": detentions,
            "timeline": timeline, "lists": lists, "removals": removals, "conflicts": conflicts,
            "standing": standing, "held": bool(standing["held_now"])}
