"""Peak memory of the current process, as the benchmarks report it."""

from __future__ import annotations

from pathlib import Path


def peak_rss_mb() -> float:
    """This process's own peak resident set size (VmHWM), in MiB.

    Not ``getrusage``: Linux carries ``ru_maxrss`` across ``exec``, so a benchmark
    child started from a parent that had grown big would report the parent's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")
