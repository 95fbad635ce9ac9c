# mgreview — the two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Two installs: the runtime (make run, make serve) and, on top of it, the tools
# that only the tests and benchmarks need (make test, make lint, make bench).
RUNTIME_STAMP := $(VENV)/.runtime-$(shell cksum < requirements.txt | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.dev-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup setup-dev test-tools lint format db serve bench load clean bench-export bench-growth bench-export-memory screenshots

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "mgreview needs Python >= 3.12 (Django 6.1); '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install 3.12 (pyenv reads .python-version) or run: make PYTHON=python3.12 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.runtime-*; touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.dev-* $(VENV)/.runtime-*; touch $@ $(RUNTIME_STAMP)

## The runtime only: what serving the app needs.
setup: $(RUNTIME_STAMP)

## The runtime plus the test, lint and benchmark tools.
setup-dev: $(DEV_STAMP)

## Test-only JavaScript/Java tools (axe-core, vnu.jar) from package-lock.json; never fetched at test time.
## --ignore-scripts: vnu-jar's postinstall would download a Java runtime; the system's Java 17 is used.
NODE_STAMP := node_modules/.installed-$(shell cksum < package-lock.json | cut -d' ' -f1)
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js >= 18 (it installs axe-core and vnu.jar for the tests)."; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@
test-tools: $(NODE_STAMP)

## Set up and load the magnesium corpus and its demonstration review into the local SQLite database.
db: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_corpus
	$(PY) manage.py load_demonstration
	$(PY) manage.py refresh_readings

## Set up and serve the app at http://$(HOST):$(PORT)/ on SQLite with the corpus loaded.
run: db
	$(PY) manage.py runserver $(HOST):$(PORT)

## Production serving: gunicorn + whitenoise, settings from the environment
## (DEBUG=0 needs SECRET_KEY and ALLOWED_HOSTS; DATABASE_URL for PostgreSQL). See docs/deploy.md.
WORKERS ?= $(or $(WEB_CONCURRENCY),3)
serve: setup
	DEBUG=$${DEBUG:-0} $(PY) manage.py migrate --no-input
	DEBUG=$${DEBUG:-0} $(PY) manage.py collectstatic --no-input -v0
	DEBUG=$${DEBUG:-0} $(VENV)/bin/gunicorn mgreview.wsgi:application --bind $(HOST):$(PORT) \
	  --workers $(WORKERS) --access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

## Benchmark the public pages at SIZE claims (100,000 by default) on SQLite and PostgreSQL
## (seeds each size's databases once) -> docs/benchmarks.md; bench-growth runs 10k, 100k and 1M.
SIZE ?= 100000
BENCH_SQLITE := sqlite:///$(CURDIR)/bench/data/bench-$(SIZE).sqlite3
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/mg_bench
BENCH_PG_SIZED := $(if $(filter 100000,$(SIZE)),$(BENCH_PG_URL),$(BENCH_PG_URL)_$(SIZE))
bench: setup-dev
	DEBUG=0 SECRET_KEY=collectstatic-only ALLOWED_HOSTS=x $(PY) manage.py collectstatic --no-input -v0
	$(PY) bench/prepare.py $(BENCH_SQLITE) --claims $(SIZE)
	DATABASE_URL=$(BENCH_SQLITE) $(PY) bench/bench_pages.py --size $(SIZE)
	@$(PY) bench/prepare.py $(BENCH_PG_SIZED) --claims $(SIZE); rc=$$?; \
	  if [ $$rc = 2 ]; then echo "PostgreSQL at $(BENCH_PG_SIZED) not reachable: skipped (set BENCH_PG_URL)."; \
	  elif [ $$rc = 0 ]; then DATABASE_URL=$(BENCH_PG_SIZED) $(PY) bench/bench_pages.py --size $(SIZE); else exit $$rc; fi

## Peak memory of the CSV exports against their rows, on every size make bench has seeded.
bench-export-memory: setup-dev
	$(PY) bench/export_memory.py

bench-growth:
	$(MAKE) bench SIZE=10000
	$(MAKE) bench SIZE=100000
	$(MAKE) bench SIZE=1000000

## Load check on 127.0.0.1: gunicorn + synthetic PostgreSQL, wrk 16 connections 30 s, ratings submitted meanwhile.
load: setup-dev
	BENCH_PG_URL=$(BENCH_PG_URL) bash bench/load.sh

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: setup-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Set up and run the whole suite (lint included; browser, axe and vnu checks need the test tools).
test: lint test-tools
	$(VENV)/bin/pytest

## Benchmark the ratings CSV export (builds bench/data/export.sqlite3 on first use); see docs/benchmarks.md.
bench-export: setup-dev
	$(PY) bench/export_bench.py

## Screenshots of every page at 1280 px and 360 px wide into docs/screenshots/ (committed, to look at).
screenshots: setup-dev test-tools
	SCREENSHOT_DIR=docs/screenshots $(VENV)/bin/pytest tests/browser/test_screenshots.py -q

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache node_modules screenshots test-results
