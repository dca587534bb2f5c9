"""Helpers shared by the tests: test data generators, test-only tasks, paths."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# Real documents from public repositories, kept beside the repo (never shipped in it).
SAMPLES_DIR = REPO_ROOT.parent / "shared" / "samples"

FINAL_STATES = frozenset({"SUCCESS", "FAILED", "REVOKED"})


def is_final(status: dict) -> bool:
    """Whether a ``/tasks/{id}/status`` body shows a task that will not change any more."""
    return status["status"] in FINAL_STATES
