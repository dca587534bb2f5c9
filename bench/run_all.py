"""`make bench`: run every benchmark in this folder and print their figures.

Each benchmark is its own script (run one alone with `.venv/bin/python bench/<name>.py`);
this runs them one after another, so they don't compete for the CPU, and keeps a copy
of the output in bench/out/latest.txt.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
# bench_worker_memory.py runs here rather than in `make bench-platform` (the platform's cost
# per task against raw Celery, and scale-out): its figures are a worker's memory, beside
# bench_statements' and bench_reports' RSS targets.
BENCHMARKS = (
    "bench_statements.py", "bench_categorization.py", "bench_reports.py", "bench_api.py",
    "bench_worker_memory.py",
)


def main() -> int:
    out_dir = BENCH_DIR / "out"
    out_dir.mkdir(exist_ok=True)
    failed = []
    with (out_dir / "latest.txt").open("w") as log:
        for script in BENCHMARKS:
            banner = f"\n=== {script} ===\n"
            print(banner, flush=True)
            log.write(banner)
            run = subprocess.run(
                [sys.executable, str(BENCH_DIR / script)], cwd=BENCH_DIR.parent,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )
            print(run.stdout, flush=True)
            log.write(run.stdout)
            if run.returncode:
                failed.append(script)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
