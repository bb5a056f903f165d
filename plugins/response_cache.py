"""Keep finished responses in memory and answer repeated requests from there.

Why this is exact: the database is served immutable (-i) and the metadata, templates
and plugins are fixed when the process starts, so the same request always gets the
same response until the next release restarts the server. Datasette still renders
each page in Python under one GIL, which costs 40-150 ms a table page and caps one
process at about 14 HTML pages a second (docs/performance.md); when a story links to
the registry, its readers ask for the same few pages, and a cached answer costs well
under a millisecond.

What is kept, and what never is:
- only GET requests, without credentials (no Authorization header, no ds_actor
  cookie), outside Datasette's live introspection pages (/-/threads, /-/actor, ...)
  and the static downloads and the .db download, which are files already;
- only 200 responses that set no cookie and whose Cache-Control, if any, allows
  caching (no private, no-store or max-age=0: Datasette marks a response that sets a
  cookie private itself; the home page and plugin pages send no Cache-Control at
  all), up to ENTRY_MAX_BYTES each;
- never a response during which a query was interrupted or failed: a facet that timed
  out under load is dropped from the page silently, and that degraded page must not be
  served again to every later reader;
- never ?_trace=1 debugging output.

Identical requests that arrive while the first is still being rendered wait for it
instead of rendering the same page again (a spike of readers costs one render).
A request with "Cache-Control: no-cache" is rendered afresh (the benchmark uses it
to measure the uncached path); anybody can get an uncached render anyway by varying
the query string, so this opens nothing new. The memory is bounded: least recently
used entries go first once the entries pass MAX_BYTES. Every response from this
layer says X-Registry-Cache: hit or miss.
"""
import asyncio
import collections
import contextvars
from urllib.parse import parse_qsl

from datasette import hookimpl
from datasette.database import Database

MAX_BYTES = 128 * 1024 * 1024
ENTRY_MAX_BYTES = 2 * 1024 * 1024
# Live state of the process, or files served from disk: never kept.
UNCACHED_PREFIXES = ("/-/threads", "/-/actor", "/-/permissions", "/-/messages",
                     "/-/allow-debug", "/-/login", "/-/logout", "/-/auth-token",
                     "/-/create-token", "/-/api", "/-/patterns", "/downloads/")
HEADER = b"x-registry-cache"


async def _execute_noting_failures(self, *args, **kwargs):
    try:
        return await Database._registry_uncached_execute(self, *args, **kwargs)
    except BaseException:
        state = Database._registry_render.get()
        if state is not None:
            state["query_failed"] = True
        raise


# Patched on the database class, because views and facets call its execute directly.
# Datasette executes a plugins-dir module again for every instance it creates (the
# tests create many), so the original and the render state are kept on the class, once.
if not hasattr(Database, "_registry_uncached_execute"):
    Database._registry_uncached_execute = Database.execute
    Database._registry_render = contextvars.ContextVar("registry_response_cache", default=None)
    Database.execute = _execute_noting_failures
_render = Database._registry_render


class ResponseCache:
    def __init__(self, max_bytes=MAX_BYTES, entry_max_bytes=ENTRY_MAX_BYTES):
        self.max_bytes, self.entry_max_bytes = max_bytes, entry_max_bytes
        self.entries = collections.OrderedDict()
        self.bytes = 0
        self.in_flight = {}
        self.hits = self.misses = 0

    def get(self, key):
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key, status, headers, body):
        size = len(body) + sum(len(k) + len(v) for k, v in headers) + len(key[0]) + len(key[1])
        if size > self.entry_max_bytes:
            return
        if key in self.entries:
            self.bytes -= self.entries.pop(key)[3]
        self.entries[key] = (status, headers, body, size)
        self.bytes += size
        while self.bytes > self.max_bytes and self.entries:
            self.bytes -= self.entries.popitem(last=False)[1][3]


def header(scope, name):
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return value
    return b""


def cache_key(scope):
    """The request's cache key, or None when the request must not be answered from memory."""
    if scope.get("type") != "http" or scope.get("method") != "GET":
        return None
    path = scope.get("path", "")
    # The whole-database download is a file already, and a copy in memory could outlive a
    # change of the file (plugins/database_guard.py refuses those requests instead).
    if path.startswith(UNCACHED_PREFIXES) or path.endswith(".db"):
        return None
    query = scope.get("query_string") or b""
    if b"_trace" in query and any(k == "_trace" for k, _ in parse_qsl(query.decode("latin-1"))):
        return None
    if header(scope, b"authorization") or b"ds_actor" in header(scope, b"cookie"):
        return None
    # Datasette writes absolute URLs (next_url, facet toggles) with the request's host.
    return (path.encode("utf-8", "surrogateescape"), query, header(scope, b"host"),
            scope.get("scheme", "http"))


def publicly_cacheable(status, headers):
    if status != 200:
        return False
    control = b""
    for key, value in headers:
        name = key.lower()
        if name == b"set-cookie":
            return False
        if name == b"cache-control":
            control = value.lower()
    return not (b"private" in control or b"no-store" in control or b"no-cache" in control
                or b"max-age=0" in control)


async def replay(send, status, headers, body):
    await send({"type": "http.response.start", "status": status,
                "headers": list(headers) + [(HEADER, b"hit")]})
    await send({"type": "http.response.body", "body": body})


def wrap_app(app, cache):
    async def cached(scope, receive, send):
        key = cache_key(scope)
        if key is None:
            await app(scope, receive, send)
            return
        fresh = b"no-cache" in header(scope, b"cache-control").lower()
        if not fresh:
            entry = cache.get(key)
            if entry is None and key in cache.in_flight:
                # Somebody is rendering this very page: wait for that, then look again.
                await asyncio.shield(cache.in_flight[key])
                entry = cache.get(key)
            if entry is not None:
                cache.hits += 1
                await replay(send, *entry[:3])
                return
        cache.misses += 1
        done = None
        if key not in cache.in_flight:
            done = cache.in_flight[key] = asyncio.get_running_loop().create_future()
        state = {"query_failed": False}
        token = _render.set(state)
        start, chunks, size = None, [], 0

        async def send_and_keep(message):
            nonlocal start, size
            if message["type"] == "http.response.start":
                start = message
                message = dict(message, headers=list(message.get("headers") or [])
                               + [(HEADER, b"miss")])
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
                if size <= cache.entry_max_bytes:
                    chunks.append(message.get("body", b""))
                    if not message.get("more_body"):
                        keep()
                else:
                    chunks.clear()  # too large to keep: pass the rest through
            await send(message)

        def keep():
            headers = list(start.get("headers") or [])
            if not state["query_failed"] and publicly_cacheable(start["status"], headers):
                cache.put(key, start["status"], headers, b"".join(chunks))

        try:
            await app(scope, receive, send_and_keep)
        finally:
            _render.reset(token)
            if done is not None:
                del cache.in_flight[key]
                done.set_result(None)
    return cached


@hookimpl
def asgi_wrapper(datasette):
    # One cache per Datasette instance: its internal client (datasette.client) builds
    # an app of its own, and both must see the same rendered pages.
    cache = datasette.__dict__.setdefault("_registry_response_cache", ResponseCache())

    def wrap(app):
        return wrap_app(app, cache)
    return wrap
