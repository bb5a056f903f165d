"""For builders: /-/api explains the JSON API with examples, and
/<db>/persons/<person_id>/all.json gives one person's whole record in one answer."""
from datasette import hookimpl
from datasette.utils.asgi import Response

from registry.person import person_data
from registry.settings import DB_NAME as DB


async def person_json(request, datasette):
    """The whole person as one JSON document: the persons row, aliases, detentions with
    their charges, the timeline, the lists and removals, disagreements, and the held-now
    standing, each item with its source (the page of /<db>/persons/<id>, as data)."""
    person_id = request.url_vars["person_id"]
    data = await person_data(datasette, person_id)
    if data is None:
        return Response.json({"ok": False, "error": f"No person {person_id}", "status": 404},
                             status=404)
    data.pop("held", None)
    return Response.json({"ok": True, **data}, default=str)


# The examples of the API page; tests/test_answers.py requests every one of them.
API_EXAMPLES = [
    {"title": "Who is held now", "path": f"/{DB}/people_held_now.json?_shape=array",
     "what": "Everyone held now under the registry's rule, with the basis and the latest confirmation."},
    {"title": "One person, everything", "path": f"/{DB}/persons/anar-mammadli/all.json",
     "what": "The person with aliases, detentions and charges, timeline, lists and sources."},
    {"title": "People, filtered", "path": f"/{DB}/persons.json?category=journalist-blogger&_shape=array",
     "what": "Any table, filtered by column values."},
    {"title": "Search by any spelling", "path": f"/{DB}/persons.json?_search=mammadli&_shape=array",
     "what": "Full-text search over names and their other spellings."},
    {"title": "People charged under an article",
     "path": f"/{DB}/people_by_article.json?article=206.3.2&_shape=array",
     "what": "A saved query with a parameter."},
    {"title": "Published counts over time",
     "path": f"/{DB}/tallies_over_time.json?scope=political_prisoners&one_per_list=1&_shape=array",
     "what": "Every dated count of political prisoners, one per list."},
    {"title": "Held-now figures", "path": f"/{DB}/held_now_summary.json?_shape=array",
     "what": "Held now, confirmed, on a running sentence, and last reported held before the window."},
    {"title": "A table as CSV", "path": f"/{DB}/detentions.csv?_size=max",
     "what": "Any table or query as CSV."},
    {"title": "New events as a feed", "path": f"/{DB}/new_events.atom",
     "what": "Arrests, court decisions and releases, newest first (Atom)."},
    {"title": "The whole database", "path": f"/{DB}.db",
     "what": "The SQLite file of this data release."},
]


async def api_page(request, datasette):
    from urllib.parse import urlsplit
    parts = urlsplit(request.url)
    base_url = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return Response.html(await datasette.render_template(
        "api.html", {"examples": API_EXAMPLES, "site_url": base_url}, request=request))


@hookimpl
def register_routes():
    return [(r"^/-/api$", api_page),
            (rf"^/{DB}/persons/(?P<person_id>[a-z0-9]+(?:-[a-z0-9]+)*)/all\.json$", person_json)]
