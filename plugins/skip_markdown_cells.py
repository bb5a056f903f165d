"""Take datasette-render-markdown out of cell rendering; keep it for the dashboard.

datasette-dashboards installs datasette-render-markdown for its text panels, which use
the render_markdown() template function. The same package also implements
render_cell: on every cell of every table and query page it looks up its
configuration and matches the column name against its patterns (columns listed in
its config, or named *_markdown). The registry configures no markdown columns and
names none *_markdown (tests/test_datasette.py checks both), so for every cell the
answer is "not mine", and asking cost a third of a table page's render time at the
real size (the persons page through Datasette's test client: about 110 -> 70 ms).

The package is registered again under its own name with its other hooks only, so
/-/plugins still lists it and the dashboard keeps its markdown.
"""
import types

from datasette.plugins import pm

NAME = "render_markdown"
KEPT_HOOKS = ("extra_template_vars", "prepare_jinja2_environment")

_original = pm.get_plugin(NAME)
# Datasette executes a plugins-dir module again for every instance it creates: once the
# registered plugin is the shim, there is nothing left to do.
if _original is not None and hasattr(_original, "render_cell"):
    _shim = types.ModuleType(_original.__name__)
    for _hook in KEPT_HOOKS:
        if hasattr(_original, _hook):
            setattr(_shim, _hook, getattr(_original, _hook))
    pm.unregister(_original)
    pm.register(_shim, name=NAME)
