"""Benchmark of the Excel transaction report writer (backend.services.reports).

Usage::

    .venv/bin/python bench/bench_reports.py [--rows 100000 1000000] [--variants report generate openpyxl]

Each run writes a report of N deterministic generated rows in a fresh
subprocess and prints the time, rows/s, file size and the child's memory: its RSS once
its modules are loaded (the baseline: for ``task``, a worker process's footprint, the
same whatever the report), its peak RSS while it wrote the report (its own VmHWM,
started again at the baseline, see bench/memory.py), and the difference, what the
report itself held, flagged against the report's budget of 100 MB.  The report streams
its rows, so that growth stays flat with N; the worker's own footprint has its target
in bench/bench_statements.py.  Variants (``report`` and ``task`` by default; compare
them in the same session, the machine is shared and timings are noisy):

* ``report``: ``write_transactions_report``;
* ``generate``: only consuming the row generator (the input's own cost,
  included in every other variant's time);
* ``openpyxl``: plain openpyxl write-only mode, one ``WriteOnlyCell`` per
  styled value (the Transactions sheet only), as a reference;
* ``task``: the ``generate_report_async`` task body in a process that has the
  worker's modules loaded, reading the same rows from PostgreSQL
  (``BENCH_DATABASE_URL``, loaded with COPY beforehand) through the server-side
  cursor: what a worker process really spends.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from memory import peak_rss_mb, reset_peak_rss, rss_mb  # noqa: E402  (bench/memory.py, beside this script)

from backend.services.reports import write_transactions_report  # noqa: E402

OUT_DIR = REPO / "bench" / "out"
# What writing a report may add to the process it runs in (for a task, a worker process
# with every module loaded): the rows are streamed, so this does not grow with them.
REPORT_RSS_LIMIT_MB = 100
VARIANTS = ("report", "generate", "openpyxl", "task")
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/ledgerflow_bench"
BENCH_USER_ID = 1
# NULL in COPY's text format.
NULL = "\\N"

CATEGORIES = ("Groceries", "Rent", "Salary", "Transport", "Utilities", "Eating out", None)
MERCHANTS = ("TESCO STORES", "TFL TRAVEL", "AMAZON MKTPLACE", "M&S SIMPLY FOOD", "SHELL", "PRET A MANGER")


# The statements the "task" variant's rows are loaded into, by id: one per currency that
# ``generate_rows`` gives.
STATEMENT_OF_CURRENCY = {1: "EUR", 2: "CAD"}


def generate_rows(
    count: int, seed: int = 20240101
) -> Iterator[tuple[datetime.date, str, Decimal, str | None, str | None, str | None]]:
    """``count`` deterministic transactions over ~3 years, sorted by date (lazily); one
    category in five picked by hand, the others set by a rule; in euros, one in four in
    Canadian dollars (statements of two currencies)."""
    rnd = random.Random(seed)
    start = datetime.date(2022, 1, 1).toordinal()
    span = 3 * 365
    date = datetime.date.min
    day = ""
    for index in range(count):
        ordinal = start + index * span // count
        if ordinal != date.toordinal():
            date = datetime.date.fromordinal(ordinal)
            day = f"{date:%d %b}"
        merchant = MERCHANTS[rnd.randrange(len(MERCHANTS))]
        description = f"CARD PAYMENT TO {merchant} {rnd.randrange(10_000):04d} ON {day}"
        amount = Decimal(rnd.randint(-250_000, 150_000)).scaleb(-2)
        category = CATEGORIES[index % len(CATEGORIES)]
        source = None if category is None else "manual" if index % 5 == 0 else "rule"
        yield date, description, amount, category, source, "CAD" if index % 4 == 0 else "EUR"


def run_child(variant: str, rows: int, out: Path) -> dict[str, float]:
    """Run one variant in this process; return its timing and memory (imports excluded
    from both: the baseline is the RSS once the modules are loaded)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    if variant == "task":
        from backend.tasks.app import celery_app
        from backend.tasks.reports import generate_report_async

        celery_app.loader.import_default_modules()  # everything a worker process has loaded
    baseline = rss_mb()
    reset_peak_rss()
    started = time.perf_counter()
    if variant == "report":
        progress: list[int] = []
        write_transactions_report(generate_rows(rows), out, on_progress=progress.append)
    elif variant == "generate":
        for _ in generate_rows(rows):
            pass
    elif variant == "openpyxl":
        _write_plain_openpyxl(rows, out)
    else:
        generate_report_async.run(user_id=BENCH_USER_ID, output_path=str(out))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "baseline_rss_mb": baseline, "peak_rss_mb": peak_rss_mb()}


def _write_plain_openpyxl(rows: int, out: Path) -> None:
    """Reference: the Transactions sheet through openpyxl's public write-only API."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("Transactions")
    ws.append(["Date", "Description", "Amount", "Category", "Category source"])
    for date, description, amount, category, source in generate_rows(rows):
        date_cell = WriteOnlyCell(ws, date)
        date_cell.number_format = "yyyy-mm-dd"
        amount_cell = WriteOnlyCell(ws, amount)
        amount_cell.number_format = "#,##0.00"
        ws.append([date_cell, description, amount_cell, category, source])
    workbook.save(out)


def load_database(rows: int) -> str:
    """Put the same ``rows`` generated rows into a freshly migrated bench database; its URL."""
    from sqlalchemy import text

    from backend.db import build_engine
    from bench.bench_api import fresh_database

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    fresh_database(url)
    engine = build_engine(url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO users (id, email, password_hash, is_active, is_admin, created_at) "
            "VALUES (:id, 'bench@example.com', 'x', true, false, now())"), {"id": BENCH_USER_ID})
        # One statement per currency of the generated rows.
        for statement_id, currency in STATEMENT_OF_CURRENCY.items():
            conn.execute(text(
                "INSERT INTO statements (id, user_id, file_sha256, balance_check, balance_mismatch_rows,"
                " transaction_count, page_count, currency, created_at) VALUES (:statement, :id,"
                " :sha, 'unavailable', 0, :rows, 0, :currency, now())"),
                {"statement": statement_id, "id": BENCH_USER_ID, "sha": f"bench-{currency}",
                 "rows": rows, "currency": currency})
    statement_of = {currency: statement_id for statement_id, currency in STATEMENT_OF_CURRENCY.items()}
    lines = io.StringIO()
    for position, (date, description, amount, category, source, currency) in enumerate(generate_rows(rows)):
        lines.write(f"{statement_of[currency]}\t{BENCH_USER_ID}\t{position}\t{date}\t{description}\t{amount}"
                    f"\t{category or NULL}\t{source or NULL}\n")
    lines.seek(0)
    raw = engine.raw_connection()
    try:
        raw.cursor().copy_expert(
            "COPY transactions (statement_id, user_id, position, date, description, amount, category,"
            " category_source) FROM STDIN", lines)
        raw.commit()
    finally:
        raw.close()
    engine.dispose()
    return url


def measure(variant: str, rows: int) -> dict[str, object]:
    """Run ``variant`` for ``rows`` rows in a fresh subprocess and measure it."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / f"bench_{variant}_{rows}.xlsx"
    command = [sys.executable, __file__, "--child", variant, "--rows", str(rows), "--out", str(out)]
    env = dict(os.environ, DATABASE_URL=load_database(rows)) if variant == "task" else None
    wall_started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    with child.stdout:
        stdout = child.stdout.read()
    child.wait()
    wall = time.perf_counter() - wall_started
    if child.returncode != 0:
        raise RuntimeError(f"{variant} with {rows} rows failed (exit {child.returncode})")
    measured = json.loads(stdout)
    seconds, baseline_mb, peak_mb = (
        measured["seconds"], measured["baseline_rss_mb"], measured["peak_rss_mb"]
    )
    size = out.stat().st_size if out.exists() else 0
    out.unlink(missing_ok=True)
    return {
        "variant": variant,
        "rows": rows,
        "seconds": seconds,
        "wall": wall,
        "rows_per_s": rows / seconds if seconds else float("inf"),
        "size_mb": size / 1e6,
        "baseline_rss_mb": baseline_mb,
        "peak_rss_mb": peak_mb,
        "report_rss_mb": peak_mb - baseline_mb,
        "rss_ok": peak_mb - baseline_mb < REPORT_RSS_LIMIT_MB,
    }


def print_result(result: dict[str, object]) -> None:
    """One line of the results table."""
    print(
        f"{result['variant']:<9} {result['rows']:>9,} rows  {result['seconds']:7.2f} s"
        f" (wall {result['wall']:6.2f} s)  {result['rows_per_s']:>10,.0f} rows/s"
        f"  {result['size_mb']:7.1f} MB file  RSS after imports {result['baseline_rss_mb']:6.1f} MB,"
        f" peak {result['peak_rss_mb']:6.1f} MB: report +{result['report_rss_mb']:5.1f} MB"
        f"  {'OK' if result['rss_ok'] else 'OVER'} (< {REPORT_RSS_LIMIT_MB} MB)",
        flush=True,
    )


def main() -> None:
    """Parse arguments; run as the parent (measuring) or as a child (working)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--variants", choices=VARIANTS, nargs="+", default=["report", "task"])
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child, args.rows[0], args.out)))
        return
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    for rows in args.rows:
        for variant in args.variants:
            print_result(measure(variant, rows))


if __name__ == "__main__":
    main()
