"""Codes read as words in the pages (the JSON and CSV keep the codes, which are the API).

In table and saved-query pages: a status, a held-now basis, a release reason or an event
kind is written out with its label from locales/translations.csv ("pretrial_detention"
-> "pre-trial detention"); a category id is
shown as its name; a JSON list of charges reads "206.3.2, 193-1.3.2"; a list of source
addresses becomes numbered links. Every value passes through Markup.format or plain
text, so nothing from the data is trusted as HTML.
"""
import json
import re

from datasette import hookimpl
from markupsafe import Markup

from registry.settings import DB_NAME as DB
from registry.translations import label

# The domain of locales/translations.csv that labels each code column.
CODE_COLUMNS = {"status": "status", "held_basis": "held_basis", "release_reason": "release_reason",
                "sentence_kind": "sentence_kind", "kind": "event_kind", "basis": "list_basis"}
CHARGE_COLUMNS = {"charges", "cases"}
SOURCE_LISTS = {"source_urls"}
CATEGORY_NAMES = {}


def held_now_answer(basis, last_held_on=None):
    """The short answer to "held now?" in the list, case and search tables."""
    answer = label("held_now_answer", basis or "")
    return f"{answer} on {last_held_on}" if basis == "last_reported_held" and last_held_on else answer


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["held_now_answer"] = held_now_answer


@hookimpl
def render_cell(value, column, table, database, datasette):
    if database != DB or not isinstance(value, str) or not value:
        return None
    if column in CODE_COLUMNS and re.fullmatch(r"[a-z_]+", value):
        return label(CODE_COLUMNS[column], value)
    if column in CHARGE_COLUMNS and value.startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            return None
        return ", ".join(map(str, items)) if items else "none on record"
    if column in SOURCE_LISTS:
        urls = [u for u in value.split(",") if u.startswith(("http://", "https://"))]
        return Markup(", ").join(Markup('<a href="{}" rel="noopener">source {}</a>').format(u, i)
                                 for i, u in enumerate(urls, 1)) or None
    if column == "category" and table is None:  # tables link the category already
        async def category_name():
            if not CATEGORY_NAMES:
                rows = (await datasette.get_database(DB).execute(
                    "select category_id, name from categories")).rows
                CATEGORY_NAMES.update({r[0]: r[1] for r in rows})
            return CATEGORY_NAMES.get(value)
        return category_name
    return None
