"""The charges facet of persons, counted from the person_charges rows instead of the JSON.

Datasette's array facet runs json_each over the JSON column of every matching row and
then de-duplicates whole rows: about 4 s at 100k persons, so with the production
facet_time_limit_ms it always timed out, silently, and still cost the page its full
time limit (docs/performance.md). The build writes the same facts as rows,
person_charges (person_id, article_id), indexed by article; counting those rows for
the persons a page matches gives the same numbers in a fraction of the time.

This replaces Datasette's ArrayFacet with a subclass that does that for the columns in
EXPLODED and behaves exactly as before for every other array column. Its results keep
the array facet's shape and links (charges__arraycontains=...), so pages and URLs do
not change.

The filters those links apply (charges__arraycontains, charges__arraynotcontains) had
the same cost: json_each over every row, for the rows, the count and each facet (1.5 s
a page at 100k persons). For the same columns they are answered from the child table
too, `person_id in (select person_id from person_charges where article_id = ?)`, through
its article index; the rows matched are the same (tests/test_datasette.py compares
both filters for every article).
"""
import re

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ArrayFacet, ColumnFacet, DateFacet
from datasette.filters import Filters, TemplatedFilter
from datasette.plugins import pm
from datasette.utils import detect_json1, escape_sqlite, path_with_added_args, path_with_removed_args

# (table, JSON array column) -> (child table, its key to the table's primary key, value column)
EXPLODED = {("persons", "charges"): ("person_charges", "person_id", "article_id")}
# Words that only a filtered table query contains (a where clause, a search, a limit).
UNFILTERED_BREAKERS = re.compile(r"\b(where|match|limit|join)\b", re.IGNORECASE)


class RowsArrayFacet(ArrayFacet):
    async def facet_results(self):
        mine = [c for c in self.get_configs()
                if (self.table, c["config"].get("column") or c["config"]["simple"]) in EXPLODED]
        if not mine:
            return await super().facet_results()
        results, timed_out = [], []
        others = [c for c in self.get_configs() if c not in mine]
        if others:
            original = self.get_configs
            self.get_configs = lambda: others
            try:
                results, timed_out = await super().facet_results()
            finally:
                self.get_configs = original
        facet_size = self.get_facet_size()
        for source_and_config in mine:
            config, source = source_and_config["config"], source_and_config["source"]
            column = config.get("column") or config["simple"]
            child, key, value = EXPLODED[(self.table, column)]
            # Every child row belongs to a row of the table (the build checks the foreign
            # key), so on the unfiltered table the count needs no join: it reads the child's
            # index on the value column alone (40 ms instead of 370 ms at 100k persons).
            unfiltered = not self.params and not UNFILTERED_BREAKERS.search(self.sql)
            where = "" if unfiltered else (
                f"where {escape_sqlite(key)} in (select {escape_sqlite(key)} from ({self.sql})) ")
            facet_sql = (
                f"select {escape_sqlite(value)} as value, count(*) as count "
                f"from {escape_sqlite(child)} {where}"
                f"group by value order by count desc, value limit {facet_size + 1}")
            try:
                rows = await self.ds.execute(self.database, facet_sql, self.params, truncate=False,
                                             custom_time_limit=self.ds.setting("facet_time_limit_ms"))
            except QueryInterrupted:
                timed_out.append(column)
                continue
            values = []
            results.append({
                "name": column, "type": self.type, "results": values,
                "hideable": source != "metadata",
                "toggle_url": self.ds.urls.path(
                    path_with_removed_args(self.request, {"_facet_array": column})),
                "truncated": len(rows) > facet_size,
            })
            pairs = self.get_querystring_pairs()
            for row in rows.rows[:facet_size]:
                val = str(row["value"])
                selected = (f"{column}__arraycontains", val) in pairs
                change = path_with_removed_args if selected else path_with_added_args
                values.append({
                    "value": val, "label": val, "count": row["count"],
                    "toggle_url": self.ds.absolute_url(
                        self.request, change(self.request, {f"{column}__arraycontains": val})),
                    "selected": selected,
                })
        return results, timed_out


class RowsArrayFilter(TemplatedFilter):
    """arraycontains / arraynotcontains, through the child table for EXPLODED columns."""

    through_rows = True  # a marker, not a class check: each execution makes a new class

    def __init__(self, stock):
        super().__init__(stock.key, stock.display, stock.sql_template, stock.human_template,
                         stock.format, stock.numeric, stock.no_argument)
        self.negated = stock.key == "arraynotcontains"

    def where_clause(self, table, column, value, param_counter):
        if (table, column) not in EXPLODED:
            return super().where_clause(table, column, value, param_counter)
        child, key, value_column = EXPLODED[(table, column)]
        sql = (f"{escape_sqlite(key)} {'not in' if self.negated else 'in'} "
               f"(select {escape_sqlite(key)} from {escape_sqlite(child)} "
               f"where {escape_sqlite(value_column)} = :p{param_counter})")
        return sql, self.format.format(value)


# Datasette executes this module again for every instance it creates.
Filters._filters = [RowsArrayFilter(f) if f.key in ("arraycontains", "arraynotcontains")
                    and not getattr(f, "through_rows", False) else f for f in Filters._filters]
Filters._filters_by_key = {f.key: f for f in Filters._filters}


# Datasette registers its own facet classes from the datasette.facets module; two
# classes of type "array" would both run, so the module's hook is replaced by ours.
if pm.get_plugin("datasette.facets") is not None:
    pm.unregister(name="datasette.facets")


@hookimpl
def register_facet_classes():
    return [ColumnFacet, DateFacet] + ([RowsArrayFacet] if detect_json1() else [])
