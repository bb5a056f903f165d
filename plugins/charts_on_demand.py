"""datasette-vega's chart builder (a 945 KB bundle) loads only on a page that draws a chart.

datasette-vega adds its bundle to the <head> of every page, where it blocks rendering
on the home page, the person pages and the search page, none of which draw a chart.
Here its two hooks are taken away (the package stays registered under its own name,
so /-/static-plugins/datasette_vega/ still serves the files) and table and query
pages get a small loader instead. The loader fetches the bundle when the address
already asks for a chart (the home page's chart links carry "#g.mark=...") or when
the reader presses "Draw a chart of these rows".

The bundle starts itself on DOMContentLoaded, which has fired by the time it arrives,
so while it loads, a DOMContentLoaded listener it adds is run at once instead.
"""
import json
import types

from datasette import hookimpl
from datasette.plugins import pm

from registry.assets import versioned

NAME = "vega"

_original = pm.get_plugin(NAME)
# Datasette executes a plugins-dir module again for every instance it creates: once the
# registered plugin is the shim, there is nothing left to do.
if _original is not None and hasattr(_original, "extra_js_urls"):
    BUNDLE = {ext: [versioned(url) for url in _original.cached_filepaths_for_extension(ext)]
              for ext in ("js", "css")}
    pm.unregister(_original)
    pm.register(types.ModuleType(_original.__name__), name=NAME)
else:
    BUNDLE = globals().get("BUNDLE", {"js": [], "css": []})

LOADER = """
(function () {
  var bundle = %s;
  var started = false;
  function draw() {
    if (started) return;
    started = true;
    var button = document.getElementById("draw-chart");
    if (button) button.remove();
    bundle.css.forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "stylesheet"; link.href = href; document.head.appendChild(link);
    });
    var add = document.addEventListener;
    document.addEventListener = function (type, listener, options) {
      if (type === "DOMContentLoaded" && document.readyState !== "loading") {
        setTimeout(listener, 0);
        return;
      }
      return add.call(document, type, listener, options);
    };
    bundle.js.forEach(function (src) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = script.onerror = function () { document.addEventListener = add; };
      document.head.appendChild(script);
    });
  }
  function offer() {
    var table = document.querySelector("table.rows-and-columns");
    if (!table || !document.querySelector(".export-links a[href*=json]")) return;
    var button = document.createElement("button");
    button.type = "button"; button.id = "draw-chart"; button.className = "draw-chart";
    button.textContent = "Draw a chart of these rows";
    button.addEventListener("click", draw);
    table.parentNode.insertBefore(button, table);
  }
  if (location.hash.indexOf("#g.") === 0) draw();
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", offer);
  else offer();
})();
"""


@hookimpl
def extra_body_script(view_name):
    if view_name in ("table", "query") and BUNDLE["js"]:
        return LOADER % json.dumps(BUNDLE)
    return ""
