# Ledgerflow. Quick start: `make up` (the whole stack), `make test` (the test suite).
# Both create .venv and install what they need on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
QUEUES := pdf_processing,bulk_operations,reports,default

.PHONY: up test bench migrate worker beat flower api clean help

help:
	@echo "make up      run API :8000, worker, beat and Flower :5555 (Ctrl-C stops all)"
	@echo "make test    run the test suite (needs PostgreSQL and Redis; see README)"
	@echo "make bench   run the benchmarks in bench/ and print their figures"
	@echo "make migrate apply the database migrations to DATABASE_URL"
	@echo "make worker | beat | flower | api   run one piece on its own"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

up: $(VENV)/.runtime-installed
	$(PY) deploy/run_stack.py

test: $(VENV)/.dev-installed
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev-installed
	@command -v wrk >/dev/null || apt-get install -y -qq wrk || echo "bench_api needs wrk: apt-get install wrk"
	$(PY) bench/run_all.py

migrate: $(VENV)/.runtime-installed
	$(PY) -m alembic upgrade head

worker: $(VENV)/.runtime-installed
	$(PY) -m celery -A celery_app worker -Q $(QUEUES) --loglevel INFO

beat: $(VENV)/.runtime-installed
	$(PY) -m celery -A celery_app beat --loglevel INFO

flower: $(VENV)/.runtime-installed
	$(PY) -m celery -A celery_app flower --port=5555

api: $(VENV)/.runtime-installed
	$(PY) -m uvicorn backend.api.main:create_app --factory --port 8000

clean:
	rm -rf $(VENV) .pytest_cache
