"""The benchmark's serving measurement of one database: production against stock.

Each server is asked the same things in the same order: warm latency per page, then
throughput on one page, on its JSON and on distinct pages, then one full CSV export.
Production is asked twice over, cached and rendered afresh, because it answers a page
it has rendered before from memory, and both costs matter: what readers usually get,
and what the first reader of a page (or a client that defeats the cache) gets.
"""
import http.client
from pathlib import Path

from registry import serve

from .harness import Server
from .load import get, latency, percentile, probed_wrk, wrk
from .measure import ROOT
from .pages import DB_NAME, bench_pages, mixed_paths


def csv_export(port, timeout):
    """One full CSV export of the persons table, bounded."""
    csv_path = f"/{DB_NAME}/persons.csv?_stream=on&_size=max"
    try:
        status, body, secs = get(port, csv_path, timeout=timeout)
        return {"seconds": secs, "mb": len(body) / 1e6, "status": status,
                "rows": body.count(b"\n") - 1}
    except (OSError, http.client.HTTPException) as e:
        return {"error": str(e)}


def static_download(port):
    """The release's persons.csv as a static file, for comparison with the export."""
    if not (ROOT / "build" / "downloads" / "persons.csv").exists():
        return None
    try:
        s_times = []
        for _ in range(5):
            status, body, secs = get(port, "/downloads/persons.csv", timeout=60)
            s_times.append(secs * 1000)
        return {"p50_ms": percentile(s_times, 0.5), "status": status, "mb": len(body) / 1e6,
                "note": "build/downloads of the real data, served by the same process"}
    except OSError as e:
        return {"error": str(e)}


def serving(db, requests, load_seconds, stock_requests, csv_timeout=300):
    paths = bench_pages(db)
    mix = mixed_paths(db)
    mix_file = Path(db).with_name("mixed-paths.txt")
    mix_file.write_text("\n".join(mix) + "\n", encoding="utf-8")
    page, page_json = paths["persons (default facets)"], paths["persons.json (default facets)"]
    out = {}
    for stock in (False, True):
        key = "stock" if stock else "production"
        try:
            with Server(db, stock=stock) as srv:
                n = stock_requests if stock else requests
                lat = latency(srv.port, paths, n)
                rendered = None if stock else latency(srv.port, paths, n, headers=serve.RENDER_AFRESH)
                tp = probed_wrk(srv.port, page, page_json, load_seconds)
                tp_json = wrk(srv.port, page_json, load_seconds)
                tp_rendered = None if stock else probed_wrk(
                    srv.port, page, page_json, load_seconds, headers=serve.RENDER_AFRESH)
                tp_mix = wrk(srv.port, "/", load_seconds, paths_file=mix_file)
                export = csv_export(srv.port, csv_timeout)
                static = None if stock else static_download(srv.port)
                out[key] = {"workers": 1 if stock else serve.DEFAULT_WORKERS,
                            "latency": lat, "latency_rendered": rendered, "load_html": tp,
                            "load_json": tp_json, "load_html_rendered": tp_rendered,
                            "load_mix": tp_mix, "mix_paths": len(mix),
                            "csv_export": export, "static_download": static,
                            "server_peak_mb": srv.rss_mb()}
        except RuntimeError as e:
            out[key] = {"error": str(e)}
    return out
