"""Static files are kept by browsers: a year when the address names one version of the
file (registry/assets.py), an hour otherwise, so a second page re-downloads nothing.

Templates link static files through the `versioned` Jinja global, which adds the
file's content hash to the address.
"""
from datasette import hookimpl

from registry.assets import is_versioned, versioned

STATIC_PREFIXES = ("/-/static/", "/-/static-plugins/", "/assets/")
FOREVER = b"public, max-age=31536000, immutable"
AN_HOUR = b"public, max-age=3600"


@hookimpl
def startup(datasette):
    datasette.jinja_env.globals["versioned"] = versioned


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def cached_assets(scope, receive, send):
            path = scope.get("path", "") if scope.get("type") == "http" else ""
            if not path.startswith(STATIC_PREFIXES):
                await app(scope, receive, send)
                return
            policy = FOREVER if is_versioned(path, (scope.get("query_string") or b"").decode("latin-1")) \
                else AN_HOUR

            async def send_with_policy(message):
                if message["type"] == "http.response.start" and message.get("status") == 200:
                    headers = [(k, v) for k, v in message.get("headers", [])
                               if k.lower() != b"cache-control"]
                    message = dict(message, headers=headers + [(b"cache-control", policy)])
                await send(message)
            await app(scope, receive, send_with_policy)
        return cached_assets
    return wrap
