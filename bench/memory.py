"""Memory of the current process (and of others, by pid), as the benchmarks report it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status (Linux only)")


def peak_rss_mb() -> float:
    """This process's own peak resident set size (VmHWM), in MiB: since it started, or
    since :func:`reset_peak_rss`.

    Not ``getrusage``: Linux carries ``ru_maxrss`` across ``exec``, so a benchmark
    child started from a parent that had grown big would report the parent's peak.
    """
    return _status_mb("VmHWM")


def rss_mb() -> float:
    """This process's resident set size right now (VmRSS), in MiB."""
    return _status_mb("VmRSS")


def reset_peak_rss() -> None:
    """Start :func:`peak_rss_mb` again from the current RSS (Linux 4.0+, ``clear_refs`` 5),
    so that a peak measured after it is the work's and not the imports' before it."""
    Path("/proc/self/clear_refs").write_text("5")


@dataclass(frozen=True)
class ProcessMemory:
    """One process's memory, in MiB: ``rss`` counts every page it maps (shared ones in
    full), ``uss`` only the pages no other process has (what ending it frees), ``pss``
    its own pages plus its share of each shared one (summed over a host's processes:
    what they use together). A forked pool process shares its parent's pages until
    either writes to them, so RSS alone overstates what another pool process costs."""

    rss: float
    uss: float
    pss: float


def process_memory(pid: int) -> ProcessMemory:
    """RSS, USS and PSS of the process ``pid`` (psutil, from /proc/PID/smaps_rollup)."""
    # Imported here: the benchmarks' children measure their own RSS with this module.
    import psutil

    info = psutil.Process(pid).memory_full_info()
    return ProcessMemory(info.rss / 2**20, info.uss / 2**20, info.pss / 2**20)
