"""Arbitrary SQL gets a bounded share of the SQL threads, and one query at a time per client.

Every ?sql= query may run up to the time limit (1.5 s). With 4 SQL threads, 16 clients
sending slow queries at once held every thread, and uncached person pages waited behind
them (p95 2.8 s at 16 clients, over 20 s at 32; docs/reliability.md). So:

- at most `share` arbitrary queries run at once in a process (default 1: with one
  worker per core, slow SQL can then hold at most one core's worth of the machine,
  since SQLite's work is CPU, not waiting); the other SQL threads are always free for
  pages, tables and saved queries;
- an arbitrary query runs at most `time_limit_ms` (default 1000), shorter than the
  pages' own limit: Datasette's ?_timelimit= can only lower a limit, so it is set on
  the request;
- a client (by its address) runs one arbitrary query at a time: a second one gets 429;
- a query that finds the share full waits up to wait_seconds for a place, then gets 503
  with Retry-After, so the queue is bounded too.

Saved queries, table pages and the dashboard's chart queries are not limited: their
SQL is ours (a browser opening the dashboard fetches every chart's query at once, and
those are recognised by their exact text, so nobody else's SQL can pass as one). The
client address
is the socket's peer, never a header a client could forge. Settings come from the
plugin configuration "sql-fair-share" in metadata (share, time_limit_ms, wait_seconds).
"""
import asyncio
import weakref
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

DEFAULT_WAIT_SECONDS = 1.0
DEFAULT_SHARE = 1
DEFAULT_TIME_LIMIT_MS = 1000
STATE = weakref.WeakKeyDictionary()


def dashboard_queries(datasette):
    """Every text a dashboard chart sends as ?sql=, with its optional filter parts kept
    or dropped, as datasette-dashboards writes them."""
    try:
        from datasette_dashboards import replace_opts_in_query
    except ImportError:
        return set()
    out = set()
    for dashboard in (datasette.plugin_config("datasette-dashboards") or {}).values():
        keys = {k: "1" for k in (dashboard.get("filters") or {})}
        for chart in (dashboard.get("charts") or {}).values():
            if chart.get("query"):
                out |= {replace_opts_in_query(chart["query"], {}),
                        replace_opts_in_query(chart["query"], keys)}
    return out


def is_arbitrary_sql(scope, database_paths, ours):
    if scope.get("type") != "http":
        return False
    path = scope.get("path", "")
    if path.rsplit(".", 1)[0] not in database_paths:
        return False
    query = (scope.get("query_string") or b"").decode("latin-1")
    sqls = [v for k, v in parse_qsl(query, keep_blank_values=True) if k == "sql" and v.strip()]
    return bool(sqls) and not all(sql in ours for sql in sqls)


def with_time_limit(scope, limit_ms):
    """The request with ?_timelimit= no higher than limit_ms."""
    pairs = [(k, v) for k, v in parse_qsl((scope.get("query_string") or b"").decode("latin-1"),
                                           keep_blank_values=True) if k != "_timelimit"]
    asked = [v for k, v in parse_qsl((scope.get("query_string") or b"").decode("latin-1"))
             if k == "_timelimit" and v.isdigit()]
    limit = min([limit_ms] + [int(v) for v in asked])
    return dict(scope, query_string=urlencode(pairs + [("_timelimit", str(limit))]).encode("latin-1"))


async def refuse(send, status, message, retry_after):
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store"),
        (b"retry-after", str(retry_after).encode())]})
    await send({"type": "http.response.body", "body": message.encode()})


@hookimpl
def asgi_wrapper(datasette):
    config = datasette.plugin_config("sql-fair-share") or {}
    wait_seconds = float(config.get("wait_seconds", DEFAULT_WAIT_SECONDS))
    threads = int(datasette.setting("num_sql_threads") or 1)
    share = max(1, min(int(config.get("share", DEFAULT_SHARE)), threads - 1 or 1))
    time_limit_ms = int(config.get("time_limit_ms", DEFAULT_TIME_LIMIT_MS))
    ours = dashboard_queries(datasette)

    # Shared by every app this Datasette builds (Datasette calls this hook each time it
    # builds one): one process, one share. One semaphore per event loop, since a
    # semaphore belongs to the loop that first waits on it.
    state = STATE.setdefault(datasette, ({}, set()))
    slots_by_loop, running_by_client = state

    def wrap(app):
        async def take_slot():
            slots = slots_by_loop.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(share))
            if wait_seconds <= 0:
                if slots.locked():
                    return None
                await slots.acquire()
                return slots
            try:
                await asyncio.wait_for(slots.acquire(), timeout=wait_seconds)
            except asyncio.TimeoutError:
                return None
            return slots

        async def fair(scope, receive, send):
            paths = {"/" + name for name in datasette.databases if name != "_internal"}
            if not is_arbitrary_sql(scope, paths, ours):
                await app(scope, receive, send)
                return
            client = (scope.get("client") or ("unknown", 0))[0]
            if client in running_by_client:
                await refuse(send, 429, "One query at a time per client: wait for your other "
                             "query to finish.\n", 2)
                return
            running_by_client.add(client)
            try:
                slots = await take_slot()
                if slots is None:
                    await refuse(send, 503, "The SQL page is busy: too many queries are running. "
                                 "Try again shortly; the tables and saved queries answer as usual.\n", 5)
                    return
                try:
                    await app(with_time_limit(scope, time_limit_ms), receive, send)
                finally:
                    slots.release()
            finally:
                running_by_client.discard(client)
        return fair
    return wrap
