"""The row page of persons (/<db>/persons/<person_id>) gets the person's whole record
(registry/person.py) for templates/row-political_prisoners-persons.html.

Every value reaches the page through Jinja's autoescape; nothing here marks data safe.
"""
from urllib.parse import unquote

from datasette import hookimpl
from datasette.utils import tilde_decode

from registry.person import person_data
from registry.settings import DB_NAME as DB


@hookimpl
def extra_template_vars(view_name, database, table, request, datasette):
    if view_name == "row" and database == DB and table == "persons":
        async def inner():
            pks = (request.url_vars or {}).get("pks", "") if request else ""
            return {"person_page": await person_data(datasette, tilde_decode(unquote(pks)))}
        return inner
    return {}
