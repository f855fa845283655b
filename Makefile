# Two commands do everything on a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.12
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL pass of the test suite; the server on this machine trusts local connections.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/quiz
# Two workers: the suite's time on the 2-core CI machine stays well inside its budget.
PYTEST_ARGS ?= -n 2 --durations=15

.PHONY: run serve setup content test test-sqlite test-postgres check-postgres browser nginx lint audit bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

# Migrate, collect static files, load the interview, generate the question bank, demo accounts.
setup: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_interview
	$(PY) manage.py generate_questions
	$(PY) manage.py setup_demo

run: setup
	@echo "Serving on http://$(HOST):$(PORT)/  (demo accounts above; Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production-style server (see README "Deploying").
serve: setup
	$(VENV)/bin/gunicorn -c config/gunicorn.conf.py config.wsgi

# Debian's Chromium for the browser tests, installed when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's nginx, for the test of the shipped reverse-proxy config (deploy/nginx/), installed when missing.
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
		echo "Installing Debian's nginx for the reverse-proxy test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }

test: lint test-sqlite test-postgres audit

# Lint (ruff: style, imports, bugbear, no function above McCabe complexity 15), formatting, and types
# (mypy with django-stubs), as configured in pyproject.toml. It runs first: a lint failure shows in
# seconds, not after the suite.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL= $(VENV)/bin/mypy

test-sqlite: $(STAMP) browser nginx
	$(PY) manage.py collectstatic --noinput --verbosity 0
	DATABASE_URL= $(PY) -m pytest $(PYTEST_ARGS)

check-postgres: $(STAMP)
	@$(PY) -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=5).close()" \
		|| { echo "PostgreSQL is not reachable at $(PG_TEST_URL): the PostgreSQL pass cannot run." >&2; exit 1; }

test-postgres: $(STAMP) browser nginx check-postgres
	$(PY) manage.py collectstatic --noinput --verbosity 0
	DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest $(PYTEST_ARGS)

# Known-vulnerability and static security checks (part of `make test`).
audit: $(STAMP)
	$(VENV)/bin/bandit -q -c pyproject.toml -r config history quiz accounts
	$(PY) .ci/audit.py

# Synthetic district-scale data, page timings and a load run on SQLite and PostgreSQL;
# writes bench/RESULTS.md (see README "Performance"). BENCH_ARGS=--quick for a short check.
bench: $(STAMP) check-postgres
	@$(PY) -c "import locust" 2>/dev/null || $(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3* .pytest_cache
