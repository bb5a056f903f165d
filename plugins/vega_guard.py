"""static/vega-guard.js on the pages where datasette-vega runs, and nowhere else."""
from datasette import hookimpl

from registry.assets import versioned


@hookimpl
def extra_js_urls(template, database, table, view_name, datasette):
    # Only the pages datasette-vega runs on; served by registry/serve.py from static/.
    if view_name in ("table", "query", "database"):
        return [{"url": versioned("/assets/vega-guard.js"), "module": True}]
    return []
