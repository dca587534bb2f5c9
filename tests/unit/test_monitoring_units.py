"""Pure parts of monitoring: the statistics window grammar and the metric files of dead processes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from backend.api.metrics import remove_dead_process_files
from backend.services.monitoring import InvalidWindow, parse_window


@pytest.mark.parametrize(
    ("text", "expected"),
    [("15m", timedelta(minutes=15)), ("1h", timedelta(hours=1)), ("24h", timedelta(hours=24)),
     ("7d", timedelta(days=7)), ("30d", timedelta(days=30)), ("43200m", timedelta(days=30))],
)
def test_windows(text, expected):
    assert parse_window(text) == expected


@pytest.mark.parametrize("text", ["", "h", "0h", "01h", "1.5h", "+1h", "-1h", "1 h", "1h ", "1H", "2w",
                                  "31d", "721h", "1h30m", "1e3m", "١h"])
def test_bad_windows(text):
    with pytest.raises(InvalidWindow, match="window"):
        parse_window(text)


def test_metric_files_of_dead_processes_are_removed(tmp_path: Path):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    dead = int(finished.stdout)
    names = [f"counter_{dead}.db", f"histogram_{dead}.db", f"counter_{os.getpid()}.db",
             f"histogram_{os.getpid()}.db", "unrelated.txt"]
    for name in names:
        (tmp_path / name).write_bytes(b"\0" * 8)
    assert remove_dead_process_files(tmp_path) == 2
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(names[2:])
