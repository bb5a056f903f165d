"""What every page says about itself to search engines and link previews: its canonical
address (templates/base.html), as the Jinja global canonical_url(request).

A Jinja global rather than extra_template_vars, because Datasette renders its error pages
without calling that hook (plugins/site_context.py).

The canonical address is absolute, because search engines and chat apps read it away from
the page. With REGISTRY_PUBLIC_URL set where the metadata is rendered (registry/metadata.py
writes it as the metadata's public_url) it is on that host, so a copy of the site reached
by another name (a Cloud Run or Fly address, a mirror) still points readers and search
engines at the public one. Tracking parameters a link picked up on the way (utm_*,
fbclid, ...) are dropped, so every shared copy of a link counts as the one page it shows;
a request that carries them is redirected to the address without them, because Datasette
would read ?fbclid=... on a table page as a filter on a column and show no rows.
"""
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

TRACKING_PARAMS = {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
                   "mc_cid", "mc_eid", "igshid", "_ga", "_gl"}


def is_tracking(name):
    return name.lower().startswith("utm_") or name.lower() in TRACKING_PARAMS


def clean_query(query_string):
    kept = [(k, v) for k, v in parse_qsl(query_string or "", keep_blank_values=True)
            if not is_tracking(k)]
    return urlencode(kept)


def canonical_url(datasette, public_url, request):
    query = clean_query(request.query_string)
    suffix = request.path + ("?" + query if query else "")
    if public_url:
        return public_url.rstrip("/") + suffix
    return datasette.absolute_url(request, suffix)


@hookimpl
def startup(datasette):
    # Read once: the metadata is fixed while the process runs, and each look-up copies it.
    public_url = datasette.metadata("public_url")
    datasette.jinja_env.globals["canonical_url"] = (
        lambda request: canonical_url(datasette, public_url, request))


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def without_tracking(scope, receive, send):
            query = (scope.get("query_string") or b"").decode("latin-1")
            if scope.get("type") == "http" and scope.get("method") in ("GET", "HEAD") and query and \
                    any(is_tracking(k) for k, _ in parse_qsl(query, keep_blank_values=True)):
                clean = clean_query(query)
                location = scope.get("path", "/") + ("?" + clean if clean else "")
                await send({"type": "http.response.start", "status": 301,
                            "headers": [(b"location", location.encode("latin-1")),
                                        (b"content-length", b"0")]})
                await send({"type": "http.response.body", "body": b""})
                return
            await app(scope, receive, send)
        return without_tracking
    return wrap
