"""Time one step of the pipeline in a process of its own: wall time, CPU time, peak RSS.

Each step runs as its own process so that its memory is its own: measured inside the
benchmark, a step would share the peak of everything run before it.
"""
import os
import shutil
import statistics
import subprocess
import threading
import time
from pathlib import Path

from registry import datapackage

ROOT = datapackage.ROOT
STEP_TIMEOUT = 3600


def measure(cmd, cwd=ROOT, timeout=STEP_TIMEOUT, stdin=None, env=None):
    """Run cmd; return {seconds, cpu_seconds, peak_mb, rc, out}.

    Peak RSS comes from GNU time run between us and cmd: wait4 on a direct child would
    report at least our own RSS, which a forked child keeps as its high-water mark
    across exec. Without /usr/bin/time, wait4 gives that upper bound.
    """
    timefile = None
    if os.path.exists("/usr/bin/time"):
        timefile = Path(f"/tmp/bench-time-{os.getpid()}.txt")
        cmd = ["/usr/bin/time", "-f", "%M %U %S", "-o", str(timefile)] + list(cmd)
    start = time.perf_counter()
    with open(os.devnull, "rb") if stdin is None else open(stdin, "rb") as inp:
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=inp, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, env=env)
        # Read the output on a thread: a step that fills the pipe would otherwise block
        # while we sit in wait4.
        out = []
        reader = threading.Thread(target=lambda: out.append(proc.stdout.read()), daemon=True)
        reader.start()
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        reader.join()
    text = (out[0] if out else b"").decode("utf-8", "replace")
    peak_kb, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    if timefile is not None:
        try:
            kb, user, system = timefile.read_text().split("\n")[-2].split()
            peak_kb, cpu = int(kb), float(user) + float(system)
        except (OSError, ValueError, IndexError):
            pass
        timefile.unlink(missing_ok=True)
    return {"seconds": time.perf_counter() - start, "cpu_seconds": cpu, "peak_mb": peak_kb / 1024,
            "rc": proc.returncode, "out": text[-3000:]}


def repeated(cmd, repeats, before=None, **kw):
    """Median seconds and max peak over repeats; before() runs (untimed) before each."""
    runs = []
    for _ in range(repeats):
        if before:
            before()
        runs.append(measure(cmd, **kw))
    return {"seconds": statistics.median(r["seconds"] for r in runs),
            "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
            "all_seconds": [round(r["seconds"], 3) for r in runs],
            "peak_mb": max(r["peak_mb"] for r in runs), "rc": runs[-1]["rc"],
            "out": runs[-1]["out"]}


def rm(*paths):
    """Remove files or folders, so that a step starts from nothing as it would the first time."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
