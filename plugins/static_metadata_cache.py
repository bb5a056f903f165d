"""Answer metadata look-ups once per instance instead of on every check and every cell.

Datasette 0.65 recomputes merged metadata on each call: every view-table permission
check deep-copies the whole metadata (every column description, saved query and
dashboard), and every rendered cell asks for plugin configuration through the same
merge (datasette-render-markdown does, for each cell of each table page). Profiled
with pyinstrument, those copies were about 85% of the home page's time and a
seventh of a table page's.

Both answers depend only on the metadata, which this instance never changes while
it runs: the database is immutable and registry/serve.py renders the metadata once
at start. One answer per argument tuple per Datasette instance is therefore exact.

These are private methods, which is one more reason datasette stays pinned to
0.65.x; tests/test_datasette.py checks that the cached answers equal uncached ones.
"""
import copy

from datasette.app import Datasette

# Plugins that change the configuration they are handed: datasette-dashboards writes each
# chart's query with the page's filters filled in back into its chart dict. Handed the
# cached dict itself, the first dashboard view without a filter dropped the optional
# "since" clause for every later view, and the date filter stopped filtering. They get
# a copy of the cached answer.
MUTATE_THEIR_CONFIG = {"datasette-dashboards"}

UNCACHED = {name: getattr(Datasette, name) for name in ("_table_permission_allows", "plugin_config")}


def _cached(name):
    uncached = UNCACHED[name]

    def method(self, *args, **kwargs):
        cache = self.__dict__.setdefault("_registry_metadata_cache", {})
        key = (name, args, tuple(sorted(kwargs.items())))
        if key not in cache:
            cache[key] = uncached(self, *args, **kwargs)
        if name == "plugin_config" and args and args[0] in MUTATE_THEIR_CONFIG:
            return copy.deepcopy(cache[key])
        return cache[key]

    method.__name__ = name
    return method


# Patched when Datasette imports this plugin, before it serves a request.
for _name in UNCACHED:
    setattr(Datasette, _name, _cached(_name))
