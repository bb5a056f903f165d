"""static/chart-menus.js on the dashboard pages, where vega-embed draws the charts, and
nowhere else: it gives each chart's menu button a name a screen reader can announce."""
from datasette import hookimpl

from registry.assets import versioned

# The templates datasette-dashboards renders its charts with (templates/dashboard_view.html
# overrides the first).
CHART_TEMPLATES = ("dashboard_view.html", "dashboard_chart.html")


@hookimpl
def extra_js_urls(template):
    if template in CHART_TEMPLATES:
        return [{"url": versioned("/assets/chart-menus.js"), "module": True}]
    return []
