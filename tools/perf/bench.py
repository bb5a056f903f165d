"""Benchmark the pipeline and the site at scale, against the floor and the peers.

For each size: generate a synthetic registry (tools.perf.synthetic), then time and
measure the peak memory of each step in its own process (measure.py): our validate,
our build (which validates first), the floor (the sqlite3 CLI's .import into typed
tables), the peer path (frictionless validate, then sqlite-utils insert --csv per
table), csvs-to-sqlite (baselines.py, pipeline.py), and the release downloads. Then
serve the built database twice, with the production settings (registry.serve) and
with stock Datasette settings (harness.py), and measure warm latency per page and
throughput at 16 connections (wrk, bounded duration; load.py, serving.py), all on
127.0.0.1. Before the sizes: the validator against frictionless on the bad-input
fixtures (conformance.py), and the real registry served the same way, if built.

Usage: python -m tools.perf.bench [--sizes 1k,10k,100k] [--repeats 3] [--quick]
Results go to build/bench/results.json and into docs/performance.md (between the
bench markers, report.py); the rest of that file is written by hand.
"""
import argparse
import json
import shutil
import sqlite3
import sys
import time
from pathlib import Path

from registry.settings import DB_PATH

from . import synthetic
from .conformance import fixture_agreement
from .machine import bench_machine
from .measure import ROOT, rm
from .pipeline import pipeline
from .report import combine, label, report_markdown, write_doc
from .serving import serving

OUT = ROOT / "build" / "bench"


def parse_size(text):
    text = text.strip().lower()
    mult = {"k": 1000, "m": 1000000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * mult)


def save(results, out):
    """results.json after every size: a long run that fails later keeps what it measured."""
    (out / "results.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


def serve_db(db, args):
    # Stock Datasette takes seconds a page where production takes milliseconds
    # (docs/performance.md): a third of the requests keeps its runs bounded.
    return serving(db, args.requests, args.load_seconds, max(3, args.requests // 3))


def publish(results, args):
    md = report_markdown(results)
    print(md)
    if not args.no_doc:
        write_doc(md)


def synthetic_data(n, work, seed):
    """The synthetic CSVs for n persons, generated again only if n or the seed changed:
    at 1M, generating takes minutes."""
    data, marker = work / "data", work / "data.ok"
    if not (marker.exists() and marker.read_text() == f"{n} {seed}"):
        rm(work)
        start = time.perf_counter()
        synthetic.generate(n, data, seed)
        marker.write_text(f"{n} {seed}")
        print(f"generated {label(n)} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return data


def serve_real(results, out, skip, args):
    """Serve the real registry (build/political_prisoners.db, from make build), if built."""
    real_db = DB_PATH
    if "real" not in skip and "serve" not in skip and real_db.exists():
        persons = sqlite3.connect(f"file:{real_db}?mode=ro", uri=True).execute(
            "SELECT count(*) FROM persons").fetchone()[0]
        work = out / "real"
        work.mkdir(parents=True, exist_ok=True)
        # A copy: the server writes its metadata and logs beside the database it serves.
        shutil.copy2(real_db, work / DB_PATH.name)
        print(f"== the real registry ({persons} persons): serving", file=sys.stderr)
        results["real"] = {"persons": persons, "label": f"real data ({persons})",
                           "serving": serve_db(work / DB_PATH.name, args)}
        save(results, out)


def serve_again(out, serve_sizes, skip, args, command):
    """--serve-only: serving measured again on the databases of the run in out/results.json."""
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    results["serve_command"] = command
    results["serve_machine"] = bench_machine()
    serve_real(results, out, skip, args)
    for res in results["sizes"]:
        db = out / label(res["persons"]) / DB_PATH.name
        if res["persons"] in serve_sizes and db.exists():
            print(f"== {label(res['persons'])} persons: serving", file=sys.stderr)
            res["serving"] = serve_db(db, args)
            save(results, out)
    publish(results, args)
    return 0


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k,100k",
                        help="persons per synthetic registry, such as 1k,10k,100k,1M")
    parser.add_argument("--serve-sizes", default=None,
                        help="sizes to serve and load-test (default: every size up to 100k)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per step (median reported)")
    parser.add_argument("--large-repeats", type=int, default=1,
                        help="runs per step at 100k persons and above")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--load-seconds", type=int, default=10, help="wrk duration per run")
    parser.add_argument("--skip", default="", help="comma-separated: peer,csvs-to-sqlite,serve,fixtures")
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true",
                        help="tiny and fast, for the tests: 200 persons, one run, short load")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/performance.md")
    parser.add_argument("--report-from", default=None,
                        help="comma-separated --out folders of earlier runs: write one report "
                             "from their results, measuring nothing")
    parser.add_argument("--serve-only", action="store_true",
                        help="measure serving again on the databases a previous run built in --out, "
                             "keeping that run's pipeline results")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeats, args.requests, args.load_seconds = "200", 1, 3, 1
    return args


def main(argv=None):
    args = parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",") if s]
    serve_sizes = ([parse_size(s) for s in args.serve_sizes.split(",") if s]
                   if args.serve_sizes is not None else [n for n in sizes if n <= 100000])
    skip = set(filter(None, args.skip.split(",")))
    if args.quick:
        skip.add("real")
    out = Path(args.out)
    command = "python -m tools.perf.bench " + " ".join(argv or sys.argv[1:])
    if args.report_from:
        publish(combine(args.report_from.split(",")), args)
        return 0
    if args.serve_only:
        return serve_again(out, serve_sizes, skip, args, command)
    results = {"machine": bench_machine(), "command": command, "repeats": args.repeats, "sizes": []}
    if "fixtures" not in skip:
        results["fixtures"] = fixture_agreement()
    serve_real(results, out, skip, args)
    for n in sizes:
        work = out / label(n)
        data = synthetic_data(n, work, args.seed)
        repeats = args.repeats if n < 100000 else min(args.repeats, args.large_repeats)
        print(f"== {label(n)} persons: pipeline ({repeats} run(s) per step)", file=sys.stderr)
        res = pipeline(n, data, work, repeats, skip)
        res["repeats"] = repeats
        if n in serve_sizes and "serve" not in skip and res["build"]["rc"] == 0:
            print(f"== {label(n)} persons: serving", file=sys.stderr)
            res["serving"] = serve_db(work / DB_PATH.name, args)
        results["sizes"].append(res)
        save(results, out)
    publish(results, args)
    return 0 if all(s["build"]["rc"] == 0 for s in results["sizes"]) else 1


if __name__ == "__main__":
    sys.exit(main())
