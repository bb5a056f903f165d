"""/-/held-now: the held-now rule in words, with this release's dates and figures, in
English, Azerbaijani and Russian. The rule itself lives in sql/views.sql (person_status);
this page only reads it (held_now_summary)."""
from datasette import hookimpl
from datasette.utils.asgi import Response

from registry.settings import DB_NAME


async def held_now_page(request, datasette):
    db = datasette.get_database(DB_NAME)
    summary = dict((await db.execute("select * from held_now_summary")).first())
    return Response.html(await datasette.render_template(
        "held_now.html", {"summary": summary}, request=request))


@hookimpl
def register_routes():
    return [(r"^/-/held-now$", held_now_page)]
