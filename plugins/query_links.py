"""In saved-query results, a person_id cell links to the person's page (table pages link
their keys already). The link is built from escaped parts only."""
import re

from datasette import hookimpl
from markupsafe import Markup

from registry.settings import DB_NAME as DB


@hookimpl
def render_cell(value, column, table, database, datasette):
    # Saved-query results only (table is None): tables link their keys already.
    if table is None and database == DB and column == "person_id" and isinstance(value, str) \
            and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
        return Markup('<a href="/{}/persons/{}">{}</a>').format(DB, value, value)
    return None
