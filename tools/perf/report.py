"""The Markdown the perf tools print: the benchmark's tables, kept in docs/performance.md
between the bench markers, and the load test's tables.

Only the measured figures are written by a program; what they mean is written by hand
around the markers, so a new run never overwrites the reading of an old one.
"""
import json
from pathlib import Path

from .measure import ROOT

DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def label(n):
    return f"{n // 1000000}M" if n >= 1000000 and n % 1000000 == 0 else (
        f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n))


def slabel(size):
    return size.get("label") or label(size["persons"])


def fmt(x, unit="", digits=1):
    if x is None:
        return "–"
    return f"{x:.{digits}f}{unit}"


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "–"


def cpu_ratio(a, b):
    if a.get("cpu_seconds") and b.get("cpu_seconds"):
        return f" (CPU {a['cpu_seconds'] / b['cpu_seconds']:.2f}×)"
    return ""


def report_markdown(results):
    """The benchmark's report: machine and command, pipeline tables, serving, fixtures."""
    lines = preamble(results) + pipeline_tables(results)
    served = ([results["real"]] if results.get("real") else []) + [
        s for s in results["sizes"] if s.get("serving")]
    if served:
        lines += latency_table(served) + throughput_table(served)
    return "\n".join(lines + fixtures_table(results.get("fixtures")))


def preamble(results):
    """Where, when, with what versions and by which command the figures were measured."""
    m = results["machine"]
    lines = [f"Measured {m['date']} on {m['nproc']} cores ({m['cpu']}), {m['ram_mb']} MB RAM, "
             f"load average at start {', '.join(f'{x:.2f}' for x in m['loadavg_start'])}.",
             "Versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".",
             f"Command: `{results['command']}`. Timings are medians of {results['repeats']} runs "
             "per step unless the row says otherwise; peak memory is the step process's own "
             "maximum RSS (GNU time); CPU is user + system time of the step, which other work on "
             "a shared machine disturbs less than wall time."]
    if results.get("serve_command"):
        sm = results.get("serve_machine") or {}
        lines.append(f"Serving measured again with `{results['serve_command']}` on "
                     f"{sm.get('date', '?')}, load average at start "
                     f"{', '.join(f'{x:.2f}' for x in sm.get('loadavg_start', []))}.")
    return lines


def pipeline_tables(results):
    lines = ["", "### Load: time and peak memory", "",
              "| persons | rows | CSV MB | our validate | our build (validates too) | floor: sqlite3 .import "
              "| peer: frictionless + sqlite-utils | csvs-to-sqlite | peer ÷ our build | our build ÷ floor |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for s in results["sizes"]:
        def cell(step):
            r = s.get(step)
            if not r:
                return "not run"
            bad = "" if r.get("rc") == 0 else f" (exit {r.get('rc')})"
            cpu = f" (CPU {fmt(r['cpu_seconds'], ' s')})" if r.get("cpu_seconds") is not None else ""
            return f"{fmt(r['seconds'], ' s')}{cpu} / {fmt(r['peak_mb'], ' MB', 0)}{bad}"
        peer = s.get("peer")
        runs = s.get("repeats")
        once = f" ({runs} run{'s' if runs != 1 else ''})" if runs and runs != results["repeats"] else ""
        lines.append(
            f"| {label(s['persons'])}{once} | {sum(s['rows'].values()):,} | {fmt(s['csv_mb'])} | {cell('validate')} "
            f"| {cell('build')} | {cell('floor')} | {cell('peer')} | {cell('csvs_to_sqlite')} "
            f"| {ratio(peer['seconds'], s['build']['seconds']) if peer else '–'}"
            f"{cpu_ratio(peer, s['build']) if peer else ''} "
            f"| {ratio(s['build']['seconds'], s['floor']['seconds'])}"
            f"{cpu_ratio(s['build'], s['floor'])} |")
    lines += ["", "Peer path split (frictionless validate / sqlite-utils insert), database sizes, "
              "release downloads:", "",
              "| persons | frictionless | sqlite-utils insert | DB MB: ours / floor / peer / csvs-to-sqlite "
              "| release (zip + CSVs) |", "|---|---|---|---|---|"]
    for s in results["sizes"]:
        peer = s.get("peer") or {}
        fl, ins = peer.get("frictionless"), peer.get("insert")
        rel = s.get("release")
        lines.append(
            f"| {label(s['persons'])} | {fmt(fl and fl['seconds'], ' s')} / {fmt(fl and fl['peak_mb'], ' MB', 0)} "
            f"| {fmt(ins and ins['seconds'], ' s')} / {fmt(ins and ins['peak_mb'], ' MB', 0)} "
            f"| {fmt(s['build'].get('db_mb'))} / {fmt(s['floor'].get('db_mb'))} / {fmt(peer.get('db_mb'))} / "
            f"{fmt((s.get('csvs_to_sqlite') or {}).get('db_mb'))} "
            f"| {fmt(rel and rel['seconds'], ' s') if rel and rel['rc'] == 0 else ('failed' if rel else '–')} |")
    return lines


def latency_table(served):
    lines = ["", "### Serving: warm latency, one client (ms, p50 / p95)", "",
              "Production answers a page it has rendered before from memory (cached); "
              "rendered is the same server asked to render every request afresh "
              "(`Cache-Control: no-cache`), which is what a page costs the first time. "
              "Stock: Datasette's default settings, without the response cache."]
    workers = {(s["serving"].get("production") or {}).get("workers") for s in served} - {None}
    if workers:
        lines.append(f"Production runs {', '.join(map(str, sorted(workers)))} worker "
                     "process(es) (`registry/serve.py`, one per core); stock runs one "
                     "(`datasette serve`).")
    lines.append("")
    names = list(served[0]["serving"]["production"].get("latency", {}).keys())
    modes = (("production", "latency", "cached"), ("production", "latency_rendered", "rendered"),
             ("stock", "latency", "stock"))
    header = "| page | " + " | ".join(f"{slabel(s)} {title}" for s in served
                                       for _, _, title in modes) + " |"
    lines += [header, "|---|" + "---|" * (len(served) * len(modes))]
    for name in names:
        row = [name]
        for s in served:
            for key, field, _ in modes:
                lat = ((s["serving"].get(key) or {}).get(field) or {}).get(name)
                if not lat:
                    row.append("–")
                    continue
                bad = "" if lat["status"] == ["200"] else f" (HTTP {','.join(lat['status'])})"
                to = f" timed out: {lat['facets_timed_out']}" if lat.get("facets_timed_out") else ""
                row.append(f"{fmt(lat['p50_ms'], '', 0)} / {fmt(lat['p95_ms'], '', 0)}{bad}{to}")
        lines.append("| " + " | ".join(row) + " |")
    return lines


def throughput_table(served):
    lines = ["", "### Serving: throughput at 16 connections, CSV export, memory", "",
              "Requests per second with wrk (2 threads, 16 connections, bounded duration). "
              "*One page*: every request for the persons page with its default facets, "
              "as when a story links to it. *Rendered*: the same, each rendered afresh. "
              "*Distinct pages*: a shuffled list of person pages, filtered and searched "
              "persons pages and their JSON, each asked once before any is asked again "
              "(the requests column says whether the run got through the list). Facet timeouts "
              "are counted by a probe client asking for fresh renders of persons.json during "
              "the one-page runs, and in every HTML page of the distinct-pages run.", "",
              "| persons | settings | one page (HTML) | one page rendered | persons.json "
              "| distinct pages: req/s (requests / paths) | non-2xx | facets timed out under "
              "load | full persons CSV export | server peak RSS |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for s in served:
        for key in ("production", "stock"):
            r = s["serving"].get(key) or {}
            if "error" in r:
                lines.append(f"| {slabel(s)} | {key} | error: {r['error']} |||||||")
                continue
            h, j, e = r.get("load_html") or {}, r.get("load_json") or {}, r.get("csv_export") or {}
            hr, mx = r.get("load_html_rendered") or {}, r.get("load_mix") or {}
            probes = [x.get("probe") or {} for x in (h, hr) if x]
            timeouts = (f"{sum(p.get('timed_out', 0) for p in probes)} of "
                        f"{sum(p.get('requests', 0) for p in probes)} probes"
                        + "".join(f" {p['facets']}" for p in probes if p.get("facets"))
                        + (f"; {mx['facet_timeouts']} of {mx.get('requests')} distinct pages"
                           if mx.get("facet_timeouts") is not None else ""))
            exp = (f"{fmt(e.get('seconds'), ' s')} for {fmt(e.get('mb'), ' MB')}"
                   if "seconds" in e else e.get("error", "–"))
            mix = (f"{fmt(mx.get('rps'))} ({mx.get('requests', '–')} / {r.get('mix_paths', '–')})"
                   if mx else "–")
            non2xx = " / ".join(str(x.get("non_2xx", "–")) for x in (h, j, mx) if x)
            lines.append(
                f"| {slabel(s)} | {key} | {fmt(h.get('rps'))} | {fmt(hr.get('rps'))} "
                f"| {fmt(j.get('rps'))} | {mix} | {non2xx} "
                f"| {timeouts} | {exp} | {fmt(r.get('server_peak_mb'), ' MB', 0)} |")
        st = (s["serving"].get("production") or {}).get("static_download")
        if st and "p50_ms" in st:
            lines.append(f"| {slabel(s)} | static download | "
                         f"/downloads/persons.csv: {fmt(st['p50_ms'], ' ms')} p50 for "
                         f"{fmt(st['mb'], ' MB', 2)} ({st['note']}) |||||||||")
    return lines


def fixtures_table(agree):
    lines = []
    if agree:
        lines += ["", "### Bad-input fixtures: peer path vs ours", "",
                  "| fixture | frictionless rejects | ours rejects | rows frictionless flags "
                  "| flagged by frictionless, not by ours |", "|---|---|---|---|---|"]
        for name, a in agree.items():
            lines.append(f"| {name} | {'yes' if a['frictionless_rejects'] else 'no'} "
                         f"| {'yes' if a['ours_rejects'] else 'no'} "
                         f"| {', '.join(a['frictionless_rows']) or '–'} "
                         f"| {', '.join(a['missed_by_ours']) or 'none'} |")
    return lines


def write_doc(markdown):
    DOC.parent.mkdir(parents=True, exist_ok=True)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else (
        "# Performance\n\nRun `make bench` to fill in the results below.\n\n")
    block = f"{BEGIN}\n{markdown}\n{END}"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## Results\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def combine(out_dirs):
    """One report from several runs' results.json (such as 1k-100k, and 1M run apart).

    The first run gives the machine, the real data's serving and the fixtures; every
    size any run measured is kept once, the later run's figures winning.
    """
    runs = [json.loads((Path(d) / "results.json").read_text(encoding="utf-8")) for d in out_dirs]
    results = dict(runs[0])
    sizes = {}
    for run in runs:
        for size in run["sizes"]:
            sizes[size["persons"]] = size
    results["sizes"] = [sizes[n] for n in sorted(sizes)]
    results["command"] = "; ".join(f"`{r['command']}`" for r in runs).strip("`")
    return results


def loadtest_markdown(result):
    """The load test's tables: pages alone, with a pathological client, under an SQL flood."""
    lines = []
    for phase, title in (("alone", "Pages alone"),
                         ("with_pathological", "Same pages, with one client sending pathological "
                                               "queries in a loop")):
        mode = ("every page rendered afresh, bypassing the response cache" if result.get("render")
                else "pages answered from the response cache once rendered")
        lines += [f"**{title}** ({result['connections']} connections, {result['duration_s']} s per page; "
                  f"{mode})",
                  "", "| page | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | "
                  "facets timed out | responses from cache |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for page, r in result[phase].items():
            lines.append(f"| {page} | {r['requests']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | "
                         f"{r['p99_ms']} | {r['max_ms']} | {r['errors']} | {r['facet_timeouts']} | "
                         f"{r['responses_from_cache']} |")
        if phase == "with_pathological":
            lines += ["", "| page | pathological queries sent | stopped by the time limit | other | "
                      "their p50 ms |", "|---|---:|---:|---:|---:|"]
            for page, r in result[phase].items():
                p = r["pathological"]
                lines.append(f"| {page} | {p['sent']} | {p['stopped']} | {p['other']} | {p['p50_ms']} |")
        lines.append("")
    if result.get("with_sql_flood"):
        lines += [f"**While slow SQL floods the server** (pages rendered afresh, {result['connections']} "
                  "readers; the flooding clients each send slow ?sql= queries from their own loopback "
                  "address)", "",
                  "| page | requests | p50 ms | p95 ms | p95 without the flood (same run) | p95 ratio | "
                  "errors | flood: sent | ran to the time limit | 429 | 503 |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for page, r in result["with_sql_flood"].items():
            f, base = r["sql_flood"], result["rendered_baseline"][page]
            p95_ratio = round(r["p95_ms"] / base["p95_ms"], 2) if r["p95_ms"] and base["p95_ms"] else None
            lines.append(f"| {page} | {r['requests']} | {r['p50_ms']} | {r['p95_ms']} | {base['p95_ms']} | "
                         f"{p95_ratio} | {r['errors']} | {f['sent']} | {f['400 (time limit)']} | {f['429']} | "
                         f"{f['503']} |")
        lines.append("")
    m = result["machine"]
    lines.append(f"Machine: {m['nproc']} CPU ({m['cpu']}), {m['ram_gb']} GB RAM, {m['os']}; Python "
                 f"{m['python']}, SQLite {m['sqlite']}, Datasette {m['datasette']}, httpx {m['httpx']}; "
                 f"database {m['database_mb']} MB, {m['persons']} persons.")
    for note in result["notes"]:
        lines.append(f"Note: {note}.")
    lines.append(f"Command: `{result['command']}`")
    return "\n".join(lines)
