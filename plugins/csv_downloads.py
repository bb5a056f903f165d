"""Every CSV link downloads a file: a .csv request without _dl gets _dl=1, so browsers
save it (text/csv, attachment) instead of showing it as text."""
from datasette import hookimpl


@hookimpl
def asgi_wrapper(datasette):
    """Every CSV link downloads a file: .csv without _dl gets _dl=1 (text/csv, attachment)."""
    def wrap(app):
        async def csv_as_download(scope, receive, send):
            if scope.get("type") == "http" and scope.get("path", "").endswith(".csv"):
                qs = scope.get("query_string") or b""
                if b"_dl=" not in qs:
                    scope = dict(scope, query_string=(qs + b"&" if qs else b"") + b"_dl=1")
            await app(scope, receive, send)
        return csv_as_download
    return wrap
