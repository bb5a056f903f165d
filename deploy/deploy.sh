#!/usr/bin/env bash
# Deploy the registry beyond one machine, with exactly the settings, plugins, templates,
# static files and metadata that registry/serve.py uses (read from serve.datasette_args,
# never repeated here). See docs/deploy.md.
#
#   deploy/deploy.sh dir [OUT]          build a self-contained deploy directory (default
#                                        build/deploy/<version>): database, metadata.json,
#                                        inspect.json, plugins, templates, static, downloads,
#                                        requirements.txt, Dockerfile, serve-args.txt.
#                                        Runs anywhere; `docker build OUT` makes the image.
#   deploy/deploy.sh package TAG        docker build of that directory (needs docker)
#   deploy/deploy.sh cloudrun SERVICE   gcloud run deploy --source that directory
#   deploy/deploy.sh fly APP            flyctl deploy that directory
#   deploy/deploy.sh datasette-package TAG | datasette-cloudrun SERVICE | datasette-fly APP
#                                        the same through `datasette package` /
#                                        `datasette publish` (see docs/deploy.md for the
#                                        one thing they cannot ship: registry/ for the plugins)
#   deploy/deploy.sh print ...          print the command of any of the above, run nothing
#
# Production settings on top of serve.SETTINGS: DEPLOY_CACHE_TTL (default 86400 s) for
# default_cache_ttl: the database is immutable, and each data version is a new deploy.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY=python3
DB="${DB:-}"  # default: registry.settings.DB_PATH
export DEPLOY_CACHE_TTL="${DEPLOY_CACHE_TTL:-86400}"

PRINT_ONLY=0
if [ "${1:-}" = "print" ]; then PRINT_ONLY=1; shift; fi
ACTION="${1:-dir}"
shift || true

# Everything is computed in Python from registry.serve, so serve and deploy cannot drift.
cd "$ROOT"
exec "$PY" - "$ACTION" "$PRINT_ONLY" "$DB" "$@" <<'PYTHON'
import json
import os
import shlex
import shutil
import subprocess
import sys
from importlib import metadata as importlib_metadata
from pathlib import Path

from registry import datapackage, serve
from registry.settings import DB_PATH

action, print_only = sys.argv[1], sys.argv[2] == "1"
db = Path(sys.argv[3]) if sys.argv[3] else DB_PATH
rest = sys.argv[4:]
version = datapackage.version()
ttl = os.environ["DEPLOY_CACHE_TTL"]
PLUGINS = ["datasette-vega", "datasette-dashboards", "datasette-atom", "datasette-block-robots",
           "datasette-sitemap", "datasette-leaflet", "datasette-render-markdown", "PyYAML"]


def pinned():
    out = ["datasette==" + importlib_metadata.version("datasette")]
    for name in PLUGINS:
        try:
            out.append(f"{name}=={importlib_metadata.version(name)}")
        except importlib_metadata.PackageNotFoundError:
            pass
    return out


def serve_args(db_path, meta, inspect, host="0.0.0.0", port=8001, root=None):
    """serve.datasette_args, with the production cache lifetime, paths made relative to root."""
    args = serve.datasette_args(db_path, meta, inspect, host, port)
    i = args.index("default_cache_ttl") if "default_cache_ttl" in args else -1
    if i >= 0:
        args[i + 1] = ttl
    if root is not None:
        args = [a.replace(str(serve.datapackage.ROOT) + "/", "") for a in args]
    return args


def option_pairs(args):
    """The --setting/--plugins-dir/... options of serve args, for datasette package/publish."""
    out, j = [], 1  # skip "serve"
    while j < len(args):
        a = args[j]
        if a in ("-i", "--inspect-file", "--host", "--port", "--metadata"):
            j += 2
            continue
        if a == "--setting":
            out += [a, args[j + 1], args[j + 2]]
            j += 3
            continue
        out += [a, args[j + 1]]
        j += 2
    return out


NEEDS = {"package": "docker", "cloudrun": "gcloud", "fly": "flyctl",
         "datasette-package": "docker", "datasette-cloudrun": "gcloud", "datasette-fly": "flyctl"}


def run(cmd):
    print("+ " + shlex.join(cmd), file=sys.stderr)
    if print_only:
        return
    tool = NEEDS.get(action)
    if tool and shutil.which(tool) is None:
        sys.exit(f"deploy: {tool} is not installed here; the command above is the recipe")
    if action in ("package", "cloudrun", "fly") and not out.exists():
        sys.exit(f"deploy: {out} is missing; {need_dir}")
    subprocess.run(cmd, check=True)


serve.check_database(db)
meta_path, inspect_path = serve.prepare(db)

if action == "dir":
    out = Path(rest[0]) if rest else serve.datapackage.ROOT / "build" / "deploy" / version
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy2(db, out / DB_PATH.name)
    shutil.copy2(meta_path, out / "metadata.json")
    shutil.copy2(inspect_path, out / "inspect.json")
    for name in ("plugins", "templates", "static"):
        src = serve.datapackage.ROOT / name
        if src.exists():
            shutil.copytree(src, out / name, ignore=shutil.ignore_patterns("__pycache__"))
    # The plugins import registry.fold and registry.datapackage: ship the package with them.
    shutil.copytree(serve.datapackage.ROOT / "registry", out / "registry",
                    ignore=shutil.ignore_patterns("__pycache__", "*.sh"))
    shutil.copytree(serve.datapackage.ROOT / "schema", out / "schema")
    downloads = serve.DOWNLOADS_DIR
    if downloads.exists():
        shutil.copytree(downloads, out / "build" / "downloads")
    args = serve_args(Path(DB_PATH.name), Path("metadata.json"), Path("inspect.json"),
                      root=out)
    (out / "serve-args.txt").write_text("\n".join(args) + "\n", encoding="utf-8")
    (out / "requirements.txt").write_text("\n".join(pinned()) + "\n", encoding="utf-8")
    (out / "VERSION").write_text(version + "\n", encoding="utf-8")
    docker_args = list(args)
    docker_args[docker_args.index("--port") + 1] = "8080"
    cmd = json.dumps(["datasette"] + docker_args)
    (out / "Dockerfile").write_text(f"""# Data release {version}. Built by deploy/deploy.sh dir; do not edit.
FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV PYTHONPATH=/app
EXPOSE 8080
CMD {cmd}
""", encoding="utf-8")
    print(f"deploy directory: {out}", file=sys.stderr)
    print(str(out))
    sys.exit(0)

opts = option_pairs(serve_args(db, meta_path, inspect_path))
settings, others, k = [], [], 0
while k < len(opts):
    if opts[k] == "--setting":
        settings += opts[k:k + 3]
        k += 3
    else:
        others += opts[k:k + 2]
        k += 2
installs = [x for name in pinned()[1:] for x in ("--install", name)]
# datasette package/publish pass serve-only options through --extra-options.
datasette_base = [str(db), "--metadata", str(meta_path)] + others + installs + [
    "--extra-options", shlex.join(settings)]
out = serve.datapackage.ROOT / "build" / "deploy" / version
need_dir = f"build the directory first: deploy/deploy.sh dir {out}"
name = rest[0] if rest else None
if action == "package":
    run(["docker", "build", "-t", name or f"azerbaijan-political-prisoners:{version}", str(out)])
elif action == "cloudrun":
    run(["gcloud", "run", "deploy", name or "political-prisoners", "--source", str(out),
         "--port", "8080", "--allow-unauthenticated",
         "--update-labels", f"data-version={version.replace('.', '-')}"])
elif action == "fly":
    run(["flyctl", "deploy", str(out), "--app", name or "political-prisoners",
         "--dockerfile", str(out / "Dockerfile"), "--image-label", f"data-{version}"])
elif action == "datasette-package":
    run([sys.executable, "-m", "datasette", "package"] + datasette_base +
        ["--tag", name or f"azerbaijan-political-prisoners:{version}"])
elif action in ("datasette-cloudrun", "datasette-fly"):
    target = action.split("-")[1]
    flag = "--service" if target == "cloudrun" else "--app"
    run([sys.executable, "-m", "datasette", "publish", target] + datasette_base +
        [flag, name or "political-prisoners"])
else:
    sys.exit(f"deploy: unknown action {action!r}")
PYTHON
