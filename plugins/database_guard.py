"""Serve the database file the server checked at start, or refuse.

The database is opened immutable, so SQLite trusts that the file never changes. When
it is overwritten in place while the server runs, pages fail with 500 while the .db
download streams the garbage with 200; after a rebuild (a new file renamed over the
old), connections opened later read the new data while older ones, and the cache, keep
the old. Either way the server would serve two releases at once, or a broken one.

So the file's identity (device, inode, size, modification time) is taken when the app
starts, and every request first checks it: one stat() call. A changed file gets 503
with a message that says to restart the server, and Cache-Control: no-store, so no
cache anywhere keeps it. Releases are deployed by restarting the server on the new
file (docs/deploy.md), which takes a new snapshot.
"""
import os

from datasette import hookimpl

MESSAGE = (b"The database file changed after this server started. Restart the server to "
           b"serve the new release.\n")


def signature(path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        snapshot = {}

        def files():
            return [db.path for db in datasette.databases.values() if getattr(db, "path", None)]

        async def guarded(scope, receive, send):
            if scope.get("type") == "http":
                if not snapshot:
                    snapshot.update({p: signature(p) for p in files()})
                if any(signature(p) != sig for p, sig in snapshot.items()):
                    await send({"type": "http.response.start", "status": 503, "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"cache-control", b"no-store"), (b"retry-after", b"30")]})
                    await send({"type": "http.response.body", "body": MESSAGE})
                    return
            await app(scope, receive, send)
        return guarded
    return wrap
