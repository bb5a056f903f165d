"""Every template knows the database's name (registry/settings.py), so no page types it.

A Jinja global rather than extra_template_vars, because Datasette renders its error pages
without calling that hook, and the 404 page links the database too."""
from datasette import hookimpl

from registry.settings import DB_NAME


@hookimpl
def startup(datasette):
    datasette.jinja_env.globals["registry_db"] = DB_NAME
