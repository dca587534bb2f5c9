# Ledgerflow. Quick start: `make up` (the whole stack), `make test` (the test suite).
# Both create .venv and install what they need on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Every queue of backend/tasks/queues.py (which needs nothing but the standard library).
QUEUES = $(shell $(PYTHON) -c 'from backend.tasks.queues import QUEUES; print(",".join(QUEUES))')

# The locks are compiled from pyproject.toml for every platform, on Python 3.11.
LOCK_COMPILE := $(PY) -m uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 --quiet

.PHONY: up test chaos accuracy lint lock bench bench-platform migrate worker beat flower api clean help

help:
	@echo "make up      run API :8000, worker, beat and Flower :5555 (Ctrl-C stops all)"
	@echo "make test    run the test suite on PostgreSQL + Redis, then the broker tests with RabbitMQ"
	@echo "             as the broker; beside them, on SQLite + embedded Redis"
	@echo "make chaos   run the fault suite (outages, restarts, kills) and print recovery times"
	@echo "make accuracy  parse 300 random statement layouts, 150 ambiguous ones and 150 card statements; print per-field accuracy"
	@echo "make bench   run the benchmarks in bench/ and print their figures (make test runs each at its smallest)"
	@echo "make bench-platform  Ledgerflow's cost per task against raw Celery, both back ends"
	@echo "make migrate apply the database migrations to DATABASE_URL"
	@echo "make lint    run ruff and mypy (settings in pyproject.toml)"
	@echo "make lock    recompile requirements*.txt from pyproject.toml after changing a dependency"
	@echo "make worker | beat | flower | api   run one piece on its own"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installs only what the locks pin, checked against their hashes.
$(VENV)/.runtime-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

# Programs from Debian that tests run. ofxdump (libofx's reader, which GnuCash uses) reads
# the OFX exports back: ofxdump # installed by the apt-get below (Debian package 'ofx').
# Without root or the package mirror the test says why it skipped. chromium is the browser
# the web app's test drives (tests/integration/test_web_app.py, through Playwright);
# DejaVu Sans draws the statement grammar's €, ’ and thin spaces (tests/support/statement_pdfs.py).
# The benchmarks' tools too (bench-tools below): `make test` runs every benchmark at its
# smallest (tests/integration/test_benches.py).
# Rebuilt when the Makefile changes, so a new tool reaches existing checkouts too.
$(VENV)/.system-tools: Makefile $(VENV)/.bench-tools | $(PY)
	@command -v ofxdump >/dev/null || { apt-get update -qq && apt-get install -y -qq ofx >/dev/null; } \
		|| echo "could not install Debian's 'ofx' (ofxdump): the libofx export test will skip"
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
		|| echo "could not install Debian's 'chromium': the web app's browser test will fail"
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { apt-get update -qq && apt-get install -y -qq fonts-dejavu-core >/dev/null; } \
		|| echo "could not install Debian's 'fonts-dejavu-core': the statement grammar's tests will fail"
	@PATH="$$PATH:/usr/sbin" command -v pgbouncer >/dev/null || { apt-get update -qq && apt-get install -y -qq pgbouncer >/dev/null; } \
		|| echo "could not install Debian's 'pgbouncer': the test of the writes behind PgBouncer will fail"
	@touch $@

# Programs from Debian that the benchmarks run: wrk drives the API's HTTP (bench/bench_api.py,
# bench/bench_platform.py).
$(VENV)/.bench-tools: Makefile | $(PY)
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } \
		|| echo "could not install Debian's 'wrk': bench_api and bench_platform (and their smoke tests) will fail"
	@touch $@

up: $(VENV)/.runtime-installed
	$(PY) deploy/run_stack.py

# The third pass of `make test`, with RabbitMQ as the broker: the integration tests whose
# outcome depends on the broker (lifecycle and retries, cancel, worker loss, progress,
# reports, batches, webhooks' delayed retries, health, broker down, RabbitMQ's own),
# one statement parse and one bulk categorization. The whole integration suite passes
# on RabbitMQ too but took 15 min here (this subset: 3.5), too long for every run;
# LEDGERFLOW_TEST_BROKER=rabbitmq $(PY) -m pytest tests/integration runs it.
RABBITMQ_SUITE := tests/integration/test_task_lifecycle.py tests/integration/test_cancel.py \
	tests/integration/test_worker_loss.py tests/integration/test_progress.py \
	tests/integration/test_reports_api.py tests/integration/test_batches.py \
	tests/integration/test_webhooks.py tests/integration/test_health.py \
	tests/integration/test_broker_down.py tests/integration/test_rabbitmq.py \
	tests/integration/test_statements_api.py::test_a_statement_is_parsed_into_its_transactions \
	tests/integration/test_categorization_api.py::test_bulk_categorization_applies_the_highest_priority_matching_rule \
	tests/integration/test_monitoring.py::test_queue_depth_counts_messages_nobody_takes \
	tests/integration/test_session_lock.py::test_a_second_session_on_what_this_one_uses_stops_at_once_naming_this_one
# The fault scenarios that need RabbitMQ (the rest run in the other two passes and in
# `make chaos`), in the same session, after RABBITMQ_SUITE: their worker nodes share the
# vhost with the run's worker, which the fault suite stops first (tests/chaos/conftest.py).
# Chosen by marker (tests/conftest.py gives every test of tests/chaos/ fault_suite), not
# by name: a new rabbitmq_only scenario runs without being listed here; RABBITMQ_SUITE's
# tests are no fault_suite's, so the -m leaves them all
# (tests/integration/test_make_test_passes.py checks both).
RABBITMQ_FAULTS := tests/chaos -m "not fault_suite or rabbitmq_only"

# ruff and mypy first, then three passes: everything on PostgreSQL + Redis; the
# integration and fault suites on the default back end `make up` uses (a SQLite file and
# the embedded redis-server); and RABBITMQ_SUITE plus the RabbitMQ fault scenario with
# RabbitMQ as the broker (127.0.0.1:5672, guest/guest, vhost /; TEST_RABBITMQ_URL to
# change).
# The tests marked backend_independent (tests/conftest.py) run in the SQLite pass only:
# they start a SQLite file and a Redis of their own whatever the pass (make up's
# supervisor, compose's health checks), or check only what the API answers before any
# workload runs (CORS, error shapes, body limits, the cookie layer, the PDF reader's
# budgets), so a second run on PostgreSQL could not come out differently; every
# workload still runs on both. Among them, the benchmarks' smoke run (every script of
# `make bench` and `make bench-platform` at its smallest, about 2 min): on a redis-server
# of its own and, on TEST_DATABASE_URL's server, a database of its own (its name +
# _bench, created when missing).
# The SQLite pass shares no database or Redis with the other two (its database is a file,
# its Redis the embedded one on a port of its own), so it runs beside them: the passes mostly wait
# on real clocks (leases, retries, beat's polls), not on the CPU. The PostgreSQL
# and RabbitMQ passes share TEST_DATABASE_URL and TEST_REDIS_URL, so they run one after
# the other. A pytest session locks what it shares before its first test (the test database,
# the Redis db, the RabbitMQ vhost, the benchmarks' database: tests/support/session_lock.py),
# so a second `make test` on the same servers stops at once (exit 75) naming the first.
# The two lanes' output comes line by line as it is written (--output-sync=line:
# a hung test shows while it hangs, not after), each pass with its slowest tests; the
# target fails if any pass failed (-k lets the other lane finish).
test: lint $(VENV)/.system-tools
	@$(MAKE) --no-print-directory -j2 -k --output-sync=line test-postgres test-sqlite

# The two lanes of `make test`, without its lint and system tools.
.PHONY: test-postgres test-sqlite
test-postgres:
	$(PY) -m pytest -m "not backend_independent" --durations=15 $(PYTEST_ARGS)
	LEDGERFLOW_TEST_BROKER=rabbitmq $(PY) -m pytest $(RABBITMQ_SUITE) $(RABBITMQ_FAULTS) $(PYTEST_ARGS)

test-sqlite:
	LEDGERFLOW_TEST_BACKEND=sqlite $(PY) -m pytest tests/integration tests/chaos \
		--durations=15 $(PYTEST_ARGS)

# All 300 random layouts of the statement grammar, with per-field precision and recall
# (make test runs a fixed subset of 30: tests/unit/test_layout_grammar.py).
accuracy: $(VENV)/.dev-installed $(VENV)/.system-tools
	LEDGERFLOW_ACCURACY=1 $(PY) -m pytest tests/accuracy -q -s $(PYTEST_ARGS)

# The fault suite on both back ends and with RabbitMQ as the broker (the faults of a
# Redis broker skip there), then once more with the default lease clocks to measure the
# recovery times an operator gets (BACKGROUND_JOBS_GUIDE.md, section 5).
chaos: $(VENV)/.dev-installed
	$(PY) -m pytest tests/chaos $(PYTEST_ARGS)
	LEDGERFLOW_TEST_BACKEND=sqlite $(PY) -m pytest tests/chaos $(PYTEST_ARGS)
	LEDGERFLOW_TEST_BROKER=rabbitmq $(PY) -m pytest tests/chaos $(PYTEST_ARGS)
	LEDGERFLOW_CHAOS_CLOCKS=production $(PY) -m pytest tests/chaos $(PYTEST_ARGS)

# Both run even when the first finds something; the target fails if either did.
lint: $(VENV)/.dev-installed
	@status=0; $(PY) -m ruff check . || status=1; $(PY) -m mypy || status=1; exit $$status

# The dev lock is constrained by the runtime one, so both pin the same versions. Pins
# already in the locks are kept; to move one: make lock LOCK_ARGS="--upgrade-package celery"
# (or LOCK_ARGS=--upgrade for everything).
lock: | $(PY)
	$(PY) -m pip install --quiet uv
	$(LOCK_COMPILE) $(LOCK_ARGS) -o requirements.txt
	$(LOCK_COMPILE) $(LOCK_ARGS) --extra dev --constraint requirements.txt -o requirements-dev.txt

# Every benchmark of bench/ but bench-platform's, at full size (run_all.py's BENCHMARKS).
# `make test` runs each of both targets' benchmarks once at its smallest sizes, against its
# own servers (tests/integration/test_benches.py): it checks that they run and print their
# figures and target lines, not what the figures are.
bench: $(VENV)/.dev-installed $(VENV)/.bench-tools
	$(PY) bench/run_all.py

# Ledgerflow's cost per task against raw Celery and a bare FastAPI endpoint, side by side
# on SQLite and PostgreSQL, with issue 9's targets printed beside the ratios; then the
# statement workload on 1, 2 and 4 worker processes and on two worker nodes.
bench-platform: $(VENV)/.dev-installed $(VENV)/.bench-tools
	$(PY) bench/bench_platform.py
	$(PY) bench/bench_scaling.py

migrate: $(VENV)/.runtime-installed
	$(PY) -m alembic upgrade head

worker: $(VENV)/.runtime-installed
	$(PY) -m celery -A celery_app worker -Q $(QUEUES) --loglevel INFO

beat: $(VENV)/.runtime-installed
	$(PY) -m celery -A celery_app beat --loglevel INFO

# Flower as `make up` runs it: FLOWER_HOST, FLOWER_PORT, the password in var/flower_auth
# (or FLOWER_BASIC_AUTH), its database in var/ (deploy/run_stack.py).
flower: $(VENV)/.runtime-installed
	$(PY) deploy/run_stack.py flower

api: $(VENV)/.runtime-installed
	$(PY) -m uvicorn backend.api.main:create_app --factory --port 8000

clean:
	rm -rf $(VENV) .pytest_cache
