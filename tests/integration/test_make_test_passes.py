"""What `make test`'s RabbitMQ pass runs: every test marked rabbitmq_only (it runs nowhere
else), with the fault scenarios last, as the Makefile's comments say they must be."""

from __future__ import annotations

import shlex
import subprocess
import sys

import pytest

from tests.conftest import LAUNCH_ENVIRON, REPO_ROOT

# It collects, runs nothing: the same whatever the pass's back end, so the SQLite pass runs it.
pytestmark = pytest.mark.backend_independent

# Collecting starts no server on the PostgreSQL back end; the broker decides nothing either.
COLLECTING = {**LAUNCH_ENVIRON, "LEDGERFLOW_TEST_BACKEND": "postgres", "LEDGERFLOW_TEST_BROKER": "rabbitmq"}


def rabbitmq_pass_arguments() -> list[str]:
    """The pytest arguments of the RabbitMQ pass, as make expands the test-postgres recipe."""
    recipe = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", "test-postgres", "PY=python", "PYTEST_ARGS="],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    [line] = [line for line in recipe if "LEDGERFLOW_TEST_BROKER=rabbitmq" in line]
    words = shlex.split(line)
    return words[words.index("pytest") + 1:]


def collected(*arguments: str) -> list[str]:
    """The test ids pytest collects with ``arguments``, in the order it would run them."""
    collection = subprocess.run(
        [sys.executable, "-m", "pytest", *arguments, "--collect-only", "-q"],
        cwd=REPO_ROOT, env=COLLECTING, capture_output=True, text=True, timeout=300,
    )
    assert collection.returncode == 0, collection.stdout + collection.stderr
    return [line for line in collection.stdout.splitlines() if "::" in line]


def test_the_rabbitmq_pass_runs_every_rabbitmq_only_test_and_the_fault_scenarios_last():
    in_the_pass = collected(*rabbitmq_pass_arguments())
    rabbitmq_only = collected("tests", "-m", "rabbitmq_only")
    assert rabbitmq_only, "no rabbitmq_only test collected: the marker's name changed?"
    left_out = [test for test in rabbitmq_only if test not in in_the_pass]
    assert not left_out, f"rabbitmq_only, yet not in `make test`'s RabbitMQ pass: {left_out}"
    faults = [test for test in in_the_pass if test.startswith("tests/chaos/")]
    assert faults and in_the_pass[-len(faults):] == faults, in_the_pass
    # The fault scenarios there are exactly the rabbitmq_only ones: the others run in the
    # other two passes (and on RabbitMQ in `make chaos`).
    assert set(faults) == {test for test in rabbitmq_only if test.startswith("tests/chaos/")}
