"""Drop a facet from the URL when the table's metadata already configures it.

Datasette 0.65 adds URL facets to the configured ones without checking, so
/persons?_facet=category shows the category facet twice (category and category_2).
Links shared by journalists often name the facets explicitly; they should look
the same as the table's default page.
"""
from urllib.parse import parse_qsl, unquote, urlencode

from datasette import hookimpl

FACET_PARAMS = {"_facet": "simple", "_facet_array": "array", "_facet_date": "date"}


def configured_facets(datasette, database, table):
    """{(kind, column)} that metadata configures for a table."""
    out = set()
    for facet in datasette.metadata("facets", database=database, table=table) or []:
        if isinstance(facet, str):
            out.add(("simple", facet))
        else:
            kind, column = next(iter(facet.items()))
            out.add((kind, column))
    return out


def without_configured(query_string, configured):
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if (FACET_PARAMS.get(k), v) not in configured]
    return urlencode(kept).encode("latin-1") if len(kept) != len(pairs) else query_string


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def deduped(scope, receive, send):
            if scope.get("type") == "http" and b"_facet" in scope.get("query_string", b""):
                parts = unquote(scope["path"]).strip("/").split("/")
                if len(parts) == 2:
                    database, table = parts
                    table = table.removesuffix(".json").removesuffix(".csv")
                    configured = configured_facets(datasette, database, table)
                    if configured:
                        scope = dict(scope, query_string=without_configured(
                            scope["query_string"], configured))
            await app(scope, receive, send)
        return deduped
    return wrap
