# Two commands do everything on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: install validate build serve test browser clean bench loadtest package lighthouse

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

validate: install
	$(PY) -m registry.validate

# The build validates first and replaces the database only on success.
build: install
	$(PY) -m registry.build

# The versioned data package zip and the plain CSV downloads (build/downloads/), made
# from the database just built; the site serves them.
package: build
	$(PY) -m registry.release

serve: package
	$(PY) -m registry.serve --port 8001

# Debian's chromium for the browser tests (Playwright must never download its own), and
# wrk and the sqlite3 CLI, which the benchmark's end-to-end test drives; npm installs the
# accessibility checker, axe-core, at the version tests/browser/axe/package-lock.json pins.
AXE := tests/browser/axe

browser:
	@command -v chromium >/dev/null 2>&1 && command -v wrk >/dev/null 2>&1 && command -v sqlite3 >/dev/null 2>&1 \
	  && command -v npm >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium, wrk, sqlite3 and npm for the tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium wrk sqlite3 nodejs npm >/dev/null; }
	@test -f $(AXE)/node_modules/axe-core/axe.min.js || npm ci --prefix $(AXE) --no-audit --no-fund --silent

test: package browser
	$(PY) -m pytest -q

# Benchmarks and load tests measure; they never run inside `make test`.
# `make bench BENCH_SIZES=1k,10k,100k,1M` for the largest size (long on 2 cores).
# The baselines need the sqlite3 CLI and wrk (Debian) and csvs-to-sqlite, which pins
# old pandas and click, so it gets a venv of its own under build/.
BENCH_SIZES ?= 1k,10k,100k
C2S := build/c2s-venv/bin/csvs-to-sqlite

$(C2S):
	$(PYTHON) -m venv build/c2s-venv
	build/c2s-venv/bin/pip install --quiet csvs-to-sqlite

bench: package $(C2S)
	@command -v sqlite3 >/dev/null 2>&1 && command -v wrk >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 wrk >/dev/null; }
	$(PY) -m tools.perf.bench --sizes $(BENCH_SIZES)

# Lighthouse's mobile scores and byte weights of the pages readers open, written into
# docs/performance.md (npm's lighthouse, pinned in tools/perf/npm, on Debian's chromium).
lighthouse: package browser
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	$(PY) -m tools.perf.lighthouse

loadtest: package
	$(PY) -m tools.perf.loadtest

clean:
	rm -rf build .pytest_cache test-artifacts
