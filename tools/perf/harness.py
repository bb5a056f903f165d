"""A server on 127.0.0.1 to put load on: production settings, or stock Datasette.

Both the benchmark and the load test start their servers here, so they measure the
same thing: `python -m registry.serve` as production runs it. The benchmark also
starts `datasette serve` with Datasette's default settings, to show what the
production settings are worth.
"""
import json
import subprocess
import sys
from pathlib import Path

from registry import serve

from .measure import ROOT, rm

# The response cache is a serving choice like the settings: the stock baseline runs
# without it, with every other plugin (the pages need them) and the same templates.
NOT_STOCK = {"response_cache.py"}


def stock_plugins_dir(work):
    folder = Path(work) / "stock-plugins"
    rm(folder)
    folder.mkdir(parents=True)
    for plugin in sorted(serve.PLUGINS_DIR.glob("*.py")):
        if plugin.name not in NOT_STOCK:
            (folder / plugin.name).symlink_to(plugin)
    return folder


class Server:
    """A Datasette subprocess on 127.0.0.1, production (registry.serve) or stock settings.

    The log goes to a file (by default beside the database): a pipe nobody reads
    fills up and stalls the server.
    """

    def __init__(self, db, stock=False, log_path=None, timeout=300):
        self.db, self.stock, self.port = Path(db), stock, serve.free_port()
        self.log_path = Path(log_path) if log_path else self.db.with_name(
            f"serve-{'stock' if stock else 'prod'}.log")
        self.timeout = timeout
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        if self.stock:
            from registry import metadata as md
            meta = self.db.with_name("metadata-stock.json")
            meta.write_text(json.dumps(md.render(self.db), ensure_ascii=False), encoding="utf-8")
            cmd = [sys.executable, "-m", "datasette", "serve", str(self.db), "--metadata", str(meta),
                   "--host", "127.0.0.1", "--port", str(self.port),
                   "--plugins-dir", str(stock_plugins_dir(self.db.parent))]
            if serve.TEMPLATES_DIR.exists():
                cmd += ["--template-dir", str(serve.TEMPLATES_DIR)]
        else:
            cmd = [sys.executable, "-m", "registry.serve", "--db", str(self.db), "--port", str(self.port)]
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        serve.wait_until_answering(self.proc, self.url, self.log_path, timeout=self.timeout)
        return self

    def rss_mb(self):
        """Peak RSS of the server so far: VmHWM of its process (datasette may exec, same
        pid) plus that of each child (uvicorn's worker processes), an upper bound."""
        total = 0
        for pid in serve.process_tree(self.proc.pid):
            try:
                for line in open(f"/proc/{pid}/status"):
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
            except OSError:
                continue
        return total / 1024 if total else None

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
