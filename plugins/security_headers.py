"""Security headers on every response of the public instance (ASGI middleware).

- X-Content-Type-Options: nosniff: a browser never guesses a type, so a CSV or JSON
  cell holding markup is never run as HTML.
- Referrer-Policy: strict-origin-when-cross-origin: a link out of the registry does
  not tell the other site which person's page the reader was on.
- X-Frame-Options: DENY and CSP frame-ancestors 'none': no other site can frame the
  registry (clickjacking).
- Content-Security-Policy: every script, style, image, font and fetch comes from the
  instance itself, so nothing on a page can load or send anything elsewhere, and
  plugins cannot add objects or change the base URL.

Why the script policy keeps 'unsafe-inline' and 'unsafe-eval': Datasette 0.65's own
templates (table column menus, the SQL editor) carry inline <script> blocks without
nonces, and vega (datasette-vega, datasette-dashboards) compiles its chart
expressions with new Function(). Without them the charts and column menus stop
working. The defence against injected markup is escaping (Datasette's Jinja
autoescape, and a validator that rejects HTML in the data); the policy's job is
that nothing can leave the instance even if something slipped through.

Two more guards for a read-only public instance:
- Only GET and HEAD are served. Everything else (POST, PUT, PATCH, DELETE, ...) gets
  405 before it reaches Datasette, so no endpoint, plugin route or future write API
  can receive a write request. Datasette 0.65 would otherwise answer a POST to a
  table page with HTTP 500 ("You may only POST to a canned query").
- Datasette 0.65 prints every error with rich's traceback, local variables included
  (request headers and cookies into the log), and on a 404 raised outside an except
  block rich itself fails, turning the 404 into a 500. Errors are logged the plain way.
"""
import datasette.handle_exception
from datasette import hookimpl

# See above: no rich tracebacks with local variables for errors a visitor can trigger.
datasette.handle_exception.rich = None

READ_METHODS = {"GET", "HEAD"}

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
NAMES = {name for name, _ in HEADERS}


def add_headers(headers):
    """The response headers, with ours replacing any of the same name."""
    kept = [(k, v) for k, v in headers if k.lower() not in NAMES]
    return kept + HEADERS


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def with_security_headers(scope, receive, send):
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            if scope.get("method", "GET").upper() not in READ_METHODS:
                await send({"type": "http.response.start", "status": 405,
                            "headers": add_headers([(b"content-type", b"text/plain; charset=utf-8"),
                                                    (b"allow", b"GET, HEAD")])})
                await send({"type": "http.response.body",
                            "body": b"405 Method Not Allowed: this registry is read-only\n"})
                return

            async def send_with_headers(message):
                if message.get("type") == "http.response.start":
                    message = dict(message, headers=add_headers(message.get("headers") or []))
                await send(message)

            await app(scope, receive, send_with_headers)
        return with_security_headers
    return wrap
