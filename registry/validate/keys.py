"""Primary keys, unique values and foreign keys, checked as SQL on the staging tables."""
from .cells import shown
from .report import display_path



def quoted(names):
    return ", ".join(f'"{n}"' for n in names)


def check_keys(resources, conn, report, readable):
    by_name = {r.name: r for r in resources}
    for res in resources:
        if not readable[res.name]:
            continue
        path = display_path(res.path)
        keys = [res.primary_key] if res.primary_key else []
        keys += [[f.name] for f in res.fields if f.constraints.get("unique") and [f.name] not in keys]
        for key in keys:
            kind = "primary key" if key == res.primary_key else "unique value"
            where = " AND ".join(f'"{k}" IS NOT NULL' for k in key)
            sql = (f'SELECT rowid, {quoted(key)}, min(rowid) OVER (PARTITION BY {quoted(key)}) '
                   f'FROM "{res.name}" WHERE {where} AND ({quoted(key)}) IN ('
                   f'SELECT {quoted(key)} FROM "{res.name}" WHERE {where} GROUP BY {quoted(key)} '
                   f'HAVING count(*) > 1) ORDER BY rowid')
            for line, *values in conn.execute(sql):
                first = values.pop()
                if line != first:
                    shown_key = shown(", ".join(f"{k}={v}" for k, v in zip(key, values)), 200)
                    report.error(path, line, key[0], f"duplicate {kind} ({shown_key}); first used on line "
                                 f"{first}; expected each {kind} once", "duplicate")
        for fk in res.foreign_keys:
            parent = by_name.get(fk["reference"]["resource"])
            if parent is None or not readable[parent.name]:
                continue
            cols, refs = fk["fields"], fk["reference"]["fields"]
            index = f'"_fk_{parent.name}_{"_".join(refs)}"'
            conn.execute(f'CREATE INDEX IF NOT EXISTS {index} ON "{parent.name}" ({quoted(refs)})')
            join = " AND ".join(f'p."{r}" = c."{f}"' for f, r in zip(cols, refs))
            present = " AND ".join(f'c."{f}" IS NOT NULL' for f in cols)
            selected = ", ".join(f'c."{f}"' for f in cols)
            sql = (f'SELECT c.rowid, {selected} '
                   f'FROM "{res.name}" c WHERE {present} AND NOT EXISTS '
                   f'(SELECT 1 FROM "{parent.name}" p WHERE {join}) ORDER BY c.rowid')
            for line, *values in conn.execute(sql):
                report.error(path, line, cols[0], f"'{shown(','.join(map(str, values)))}' is not in "
                             f"{display_path(parent.path)} ({','.join(refs)}); expected an existing "
                             f"{','.join(refs)}",
                             "foreign-key")
