"""Data answers (JSON, CSV, Atom) may be fetched by a page on any other site.

The registry is public and read-only, and sends no cookies or credentials, so
Access-Control-Allow-Origin: * lets a newsroom's or a researcher's page fetch the JSON
API directly, and opens nothing: a browser never sends credentials to a "*" origin.
HTML pages keep the default (same-origin only). What would remove this file:
Datasette's --cors flag, which covers JSON only.
"""
from datasette import hookimpl

DATA_TYPES = (b"application/json", b"text/csv", b"text/plain", b"application/atom+xml",
              b"application/xml")
DATA_SUFFIXES = (".json", ".csv", ".atom")


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def with_cors(scope, receive, send):
            if scope.get("type") != "http" or not scope.get("path", "").endswith(DATA_SUFFIXES):
                await app(scope, receive, send)
                return

            async def send_with_cors(event):
                if event["type"] == "http.response.start":
                    headers = list(event.get("headers") or [])
                    kind = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                    if kind.split(b";")[0].strip() in DATA_TYPES:
                        headers = [(k, v) for k, v in headers
                                   if k.lower() != b"access-control-allow-origin"]
                        headers.append((b"access-control-allow-origin", b"*"))
                        event = dict(event, headers=headers)
                await send(event)
            await app(scope, receive, send_with_cors)
        return with_cors
    return wrap
