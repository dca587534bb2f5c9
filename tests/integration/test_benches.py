"""`make test`'s smoke subset of `make bench` and `make bench-platform`: every benchmark in
bench/ runs as those targets run it (its script, in a process of its own, from the
repository root), at the smallest sizes its options allow, and must exit 0 and print its
key lines. A broken benchmark is found here, not when somebody next measures.

What a benchmark measures is not checked: a target line must be printed with its
verdict, whichever it is (tests do not assert wall-clock times, and these sizes are far
below the ones the targets are set for). The benchmarks run against this run's
PostgreSQL server, in a database of their own (the test database's name + ``_bench``,
created when missing, wiped by each benchmark), and a redis-server of their own.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import make_url

from bench.run_all import BENCHMARKS
from tests.conftest import LAUNCH_ENVIRON, REPO_ROOT, TEST_POSTGRES_URL, database_problem
from tests.support.net import PrivateRedis

# The benchmarks start servers of their own (uvicorn, workers) on a database and a Redis
# of their own, the same whatever this pass's back end: the SQLite pass runs them, once.
pytestmark = pytest.mark.backend_independent

BENCH_DIR = REPO_ROOT / "bench"
# A stuck benchmark (a task never done) fails here rather than hanging the run.
TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Smoke:
    """The smallest run of one benchmark, and the lines (regular expressions) it must print."""

    args: tuple[str, ...]
    lines: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()


SMOKES = {
    "bench_statements.py": Smoke(
        ("--pages", "1", "--repeat", "1", "--no-pdfplumber"),
        (r"^targets: >= \d+ pages/s, ratio <= [\d.]+$",
         r"^\s+1\s+\d+\s.*\s(yes|NO)\b",  # the 1-page row, with its verdict
         r"^peak RSS reading every page's lines: .* target within \d+ MB\)$",
         r"^peak RSS at 1 pages: worker process .* \(target < \d+ MB: (ok|OVER TARGET)\)",
         r"^real samples (\(\d+ statements, \d+ pages, .*\): [\d.]+ pages/s|: none found)")),
    "bench_categorization.py": Smoke(
        ("300",),
        (r"^300 transactions \(\d+ distinct descriptions\)",
         *(rf"^  {run}\s.* considered, .* written: " for run in ("first run", "same rules", "only unmatched",
                                                                 "one rule changed")),
         r"^  picks kept\s.* considered, .* picked by hand kept, 0 written: ",
         r"^  at import .* categorized: ",
         r"^  300 x \d+ rules, best of 1: .* target < \d+ s at 1M: not judged at 300 rows;"),
        (("BENCH_REPEAT", "1"),)),
    "bench_reports.py": Smoke(
        ("--rows", "100"),
        tuple(rf"^{variant}\s+100 rows .* RSS after imports .* report \+.*(OK|OVER) \(< \d+ MB\)$"
              for variant in ("report", "task"))),
    "bench_api.py": Smoke(
        ("--seconds", "1"),
        tuple(rf"^{re.escape(case)}\s+\d+ req/s p50 .* p99 " for case in (
            "GET /health", "POST /tasks/ping (202)", "GET /tasks/{id}/status"))),
    "bench_worker_memory.py": Smoke(
        ("--concurrency", "1", "--statements", "1", "--pages", "1"),
        (r"^ready, before any task:$", r"^after 3 statements of 1 pages, 3 reports, 20 pings:$",
         r"^  pool 1 ", r"^  node total PSS ", r"^submit to SUCCESS: statement first .* report first ")),
    # Its HTTP set-ups are driven by wrk (bench/wrk_submits.lua): exactly --tasks requests.
    "bench_platform.py": Smoke(
        ("--tasks", "10", "--clients", "2"),
        (r"^Load: the HTTP set-ups driven by wrk", r"^bare \+ a row per task\s+\d+ ",
         r"^The least a tracked task costs: .* runs end to end [\d.]+x raw Celery",
         *(rf"^Ledgerflow, {back_end}: .*target" for back_end in ("SQLite", "PostgreSQL")))),
    # One set-up of two nodes (the set-ups differ only in their nodes' count and concurrency).
    "bench_scaling.py": Smoke(
        ("--statements", "1", "--pages", "1", "--setups", "1,1"),
        (r"^1 statements of 1 pages, ", r"^2 nodes x 1 process\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+1\.00x$")),
}


def bench_platform_scripts() -> set[str]:
    """The scripts the Makefile's bench-platform recipe runs."""
    makefile = (REPO_ROOT / "Makefile").read_text()
    recipe = makefile.split("\nbench-platform:", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"\$\(PY\) bench/(bench_\w+\.py)", recipe))


def test_make_bench_or_bench_platform_runs_every_benchmark_and_each_is_smoked_here():
    scripts = {path.name for path in BENCH_DIR.glob("bench_*.py")}
    assert scripts == set(BENCHMARKS) | bench_platform_scripts(), "a benchmark no make target runs"
    assert scripts == set(SMOKES), "a benchmark without its smoke run in SMOKES"


@pytest.fixture(scope="module")
def bench_environ(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment the benchmarks run in: this run's launch environment with
    BENCH_DATABASE_URL and BENCH_REDIS_URL pointed at servers of the test run."""
    problem = database_problem(TEST_POSTGRES_URL)
    if problem:
        pytest.fail(f"The benchmarks need PostgreSQL. {problem}", pytrace=False)
    server = make_url(TEST_POSTGRES_URL)
    database = server.set(database=f"{server.database}_bench").render_as_string(hide_password=False)
    with PrivateRedis(tmp_path_factory.mktemp("bench-redis")) as redis_server:
        yield dict(LAUNCH_ENVIRON, BENCH_DATABASE_URL=database, BENCH_REDIS_URL=redis_server.url)


def run_bench(script: str, smoke: Smoke, environ: dict[str, str]) -> tuple[int, str]:
    """Run ``script`` as run_all.py does; its exit status and output (stdout and stderr)."""
    process = subprocess.Popen(
        [sys.executable, str(BENCH_DIR / script), *smoke.args], cwd=REPO_ROOT,
        env=dict(environ, **dict(smoke.env)), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        # SIGTERM first: the benchmarks that start servers stop them as they unwind.
        process.terminate()
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
        pytest.fail(f"{script} still ran after {TIMEOUT_SECONDS} s:\n{output}")
    return process.returncode, output


@pytest.mark.parametrize("script", list(SMOKES))
def test_the_benchmark_runs_and_prints_its_figures(script, bench_environ):
    smoke = SMOKES[script]
    status, output = run_bench(script, smoke, bench_environ)
    assert status == 0, f"{script} {' '.join(smoke.args)} exited {status}:\n{output}"
    missing = [line for line in smoke.lines if not re.search(line, output, re.MULTILINE)]
    assert not missing, f"{script} printed no line matching {missing}:\n{output}"
