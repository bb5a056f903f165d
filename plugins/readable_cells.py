"""Codes read as words in the pages (the JSON and CSV keep the codes, which are the API).

In table and saved-query pages: a status, a held-now basis, a release reason or an event
kind is written out ("pretrial_detention" -> "pre-trial detention"); a category id is
shown as its name; a JSON list of charges reads "206.3.2, 193-1.3.2"; a list of source
addresses becomes numbered links. Every value passes through Markup.format or plain
text, so nothing from the data is trusted as HTML.
"""
import json
import re

from datasette import hookimpl
from markupsafe import Markup

from registry.settings import DB_NAME as DB
WORDS = {
    "pretrial_detention": "pre-trial detention", "house_arrest": "house arrest",
    "confirmed": "held now (confirmed in the last 24 months)",
    "sentence_running": "held now (sentence still running)",
    "last_reported_held": "last reported held", "not_held": "not held",
    "sentence_served": "sentence served", "sentence_suspended": "sentence suspended",
    "sentence_reduced": "sentence reduced", "conditional_early_release": "early release",
    "released_pending_trial": "released pending trial", "not_stated": "reason not stated",
    "life_imprisonment": "life imprisonment", "restricted_freedom": "restricted freedom",
    "death_commuted_to_life": "death sentence commuted to life",
}
CODE_COLUMNS = {"status", "held_basis", "release_reason", "sentence_kind", "kind", "basis"}
CHARGE_COLUMNS = {"charges", "cases"}
SOURCE_LISTS = {"source_urls"}
CATEGORY_NAMES = {}


def words(value):
    return WORDS.get(value, value.replace("_", " "))


# The short answer to "held now?" in the list, case and search tables.
HELD_NOW_ANSWERS = {"confirmed": "yes (confirmed)", "sentence_running": "yes (sentence running)",
                    "last_reported_held": "last reported held", "not_held": "no"}


def held_now_answer(basis, last_held_on=None):
    answer = HELD_NOW_ANSWERS.get(basis, words(basis or ""))
    return f"{answer} on {last_held_on}" if basis == "last_reported_held" and last_held_on else answer


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["held_now_answer"] = held_now_answer


@hookimpl
def render_cell(value, column, table, database, datasette):
    if database != DB or not isinstance(value, str) or not value:
        return None
    if column in CODE_COLUMNS and re.fullmatch(r"[a-z_]+", value):
        return words(value)
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
