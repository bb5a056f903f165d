"""/-/about: the data release in words — version, date, what it holds, how to cite it,
the licence, and the changelog with every correction — instead of the raw build table."""
from pathlib import Path

import markdown
from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

ROOT = Path(__file__).resolve().parent.parent
from registry.settings import DB_NAME as DB


async def about_page(request, datasette):
    from registry import datapackage
    db = datasette.get_database(DB)
    stamp = {r["key"]: r["value"] for r in (await db.execute(
        "select key, value from registry_build")).rows}
    summary = dict((await db.execute("select * from held_now_summary")).rows[0])
    counts = {t: (await db.execute(f"select count(*) from {t}")).rows[0][0]
              for t in ("persons", "detentions", "events", "sources", "lists", "corrections")}
    # The changelog is the project's own file, not data: rendered as written.
    changelog = Markup(markdown.markdown(
        (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), extensions=["tables"]))
    return Response.html(await datasette.render_template("about.html", {
        "version": stamp.get("data_version") or datapackage.version(),
        "released": stamp.get("data_as_of") or datapackage.release_date(),
        "commit": stamp.get("git_commit", ""), "summary": summary, "counts": counts,
        "changelog": changelog, "site": datasette.absolute_url(request, "/"),
    }, request=request))


@hookimpl
def register_routes():
    return [(r"^/-/about$", about_page)]
