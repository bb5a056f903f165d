"""Fold search terms the way the index folds names, before Datasette sees them.

persons_fts holds every name folded by registry/fold.py. Folding the query the same
way makes Məmmədli, Mammadli, Mamedli and Мамедли find the same people, in the table
search box and the JSON API alike.
"""
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

from registry.fold import fold_query

SEARCH_PARAMS = {"_search", "q"}


def fold_query_string(query_string):
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    changed = False
    out = []
    for key, value in pairs:
        if key in SEARCH_PARAMS or key.startswith("_search_"):
            folded = fold_query(value)
            changed = changed or folded != value
            value = folded
        out.append((key, value))
    return urlencode(out).encode("latin-1") if changed else query_string


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def folded_search(scope, receive, send):
            if scope.get("type") == "http" and scope.get("query_string"):
                scope = dict(scope, query_string=fold_query_string(scope["query_string"]))
            await app(scope, receive, send)
        return folded_search
    return wrap
