"""/political_prisoners/new_events.atom: the feed of new events, written here rather than by
datasette-atom because each entry carries two links: the person's page in the registry
(rel=alternate) and the original publication it comes from (rel=related), which
datasette-atom's one link per entry cannot say (and feedgen, which it uses, drops every
rel but the default). The entries are the saved query new_events (metadata.yml), so the
feed and the query page never disagree. ElementTree escapes every value.
"""
import xml.etree.ElementTree as ET

from datasette import hookimpl
from datasette.utils.asgi import Response

from registry.settings import DB_NAME as DB
ATOM = "http://www.w3.org/2005/Atom"
AUTHOR = "Azerbaijan Political Prisoners Registry"


def element(parent, tag, text=None, **attrs):
    node = ET.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        node.text = text
    return node


def author(parent):
    element(element(parent, "author"), "name", AUTHOR)


async def events_feed(request, datasette):
    query = await datasette.get_canned_query(DB, "new_events", None)
    rows = (await datasette.get_database(DB).execute(query["sql"])).rows
    site = datasette.absolute_url(request, "/").rstrip("/")
    feed = ET.Element("feed", {"xmlns": ATOM})
    element(feed, "id", request.url)
    element(feed, "title", query.get("title", "New events"))
    element(feed, "updated", max((r["atom_updated"] for r in rows), default="1970-01-01T00:00:00Z"))
    author(feed)
    element(feed, "link", href=request.url, rel="self")
    element(feed, "link", href=f"{site}/{DB}/new_events", rel="alternate")
    for row in rows:
        entry = element(feed, "entry")
        element(entry, "id", row["atom_id"])
        element(entry, "title", row["atom_title"])
        element(entry, "updated", row["atom_updated"])
        author(entry)
        element(entry, "content", row["atom_content"], type="text")
        element(entry, "link", href=site + row["atom_link"], rel="alternate", type="text/html")
        element(entry, "link", href=row["source_url"], rel="related")
    ET.indent(feed)
    body = b"<?xml version='1.0' encoding='UTF-8'?>\n" + ET.tostring(feed, encoding="utf-8")
    return Response(body, content_type="application/atom+xml; charset=utf-8")


@hookimpl
def register_routes():
    return [(rf"^/{DB}/new_events\.atom$", events_feed)]
