"""Benchmark the statement parser against pdfplumber's own ``extract_words``.

Run from the repository root: ``.venv/bin/python bench/bench_statements.py [--pages 10 50 200]``.

For each generated statement (``tests.support.statement_pdfs.make_long_statement``) it prints
the pages/s of ``parse_statement`` end to end (target >= 50 per process), its transactions/s,
the time of a plain ``extract_words`` pass over the same file (one call per page, pages closed)
and the ratio of the two (target <= 1.3; with PDFium's words it is well under 1), and the same
parse with the pdfplumber word layer (what the parser cost before PDFium; ``--no-pdfplumber``
skips it). Then the peak RSS (VmHWM) of fresh subprocesses: reading each file's lines (flat:
the same at 10 and at 200 pages, each page closed once read), parsing each file (which grows
only by the rows it keeps for reconciliation and by its pages' lines, kept packed to read a range
of pages again: ~3 MB at 200 pages), parsing the largest with everything a worker
process loads (target < 150 MB), and bare ``extract_words``. Last, the parse speed on the real
statements beside the repository (``../shared/samples/statements``), with how many of their pages
PDFium reads: no target, but what users' documents get. Times are CPU seconds of this process
(``time.process_time``), best of ``--repeat`` interleaved runs, so other work on a shared
machine does not skew them much; wall time is printed for reference.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import pdfplumber  # noqa: E402 (after the path, as every bench)
import pypdfium2 as pdfium  # noqa: E402

from backend.services.document_text.layout import UNICODE_NORM  # noqa: E402
from backend.services.document_text.memo import forget_all  # noqa: E402
from backend.services.pdfium_words import NotLikePdfplumber, page_words  # noqa: E402
from backend.services.statements import parse_statement  # noqa: E402
from tests.support.statement_pdfs import make_long_statement  # noqa: E402

SAMPLES_DIR = REPO_ROOT.parent / "shared" / "samples" / "statements"
RATIO_TARGET = 1.3
PAGES_PER_SECOND_TARGET = 50.0
RSS_TARGET_MB = 150.0
# Peak RSS may differ by this much between the smallest and the largest file and still be flat.
RSS_FLAT_MB = 10.0
_CHILD = """
import sys
sys.path.insert(0, {root!r})
sys.path.insert(0, {root!r} + "/bench")
{body}
from memory import peak_rss_mb
print(peak_rss_mb())
"""
_CHILD_PARSE = "from backend.services.statements import parse_statement\nparse_statement({path!r})"
_CHILD_LINES = """from backend.services.document_text.layout import read_page_lines
for _ in read_page_lines({path!r}):
    pass"""
# What a worker process holds: the Celery app and every task module, then the parse.
_CHILD_WORKER_PARSE = """from backend.tasks.app import celery_app
celery_app.loader.import_default_modules()
from backend.services.statements import parse_statement
parse_statement({path!r})"""
_CHILD_WORDS = """import pdfplumber
with pdfplumber.open({path!r}) as pdf:
    for page in pdf.pages:
        page.extract_words()
        page.close()"""


def extract_words_only(path: str | Path) -> int:
    """The baseline: pdfplumber's default ``extract_words`` on every page; returns the word count."""
    count = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            count += len(page.extract_words())
            page.close()
    return count


def timed(function: Callable[[Path], object], path: Path) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of ``function(path)``, as a process's first document: the text
    readers' memories (``document_text.memo``) emptied first."""
    forget_all()
    cpu, wall = time.process_time(), time.perf_counter()
    function(path)
    return time.process_time() - cpu, time.perf_counter() - wall


def peak_rss_mb(body: str) -> float:
    """Peak resident memory (MB) of a fresh Python process running ``body``."""
    code = _CHILD.format(root=str(REPO_ROOT), body=body)
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return float(output.split()[-1])


def parse_with_pdfplumber(path: Path) -> object:
    """The parse as it was before PDFium: every page's words from pdfplumber."""
    return parse_statement(path, layer="pdfplumber")


def real_samples_line(repeat: int) -> str:
    """Parse speed on the real statements beside the repository (``../shared/samples/statements``):
    what users' documents get, where the generated ones above are read by PDFium on every page.
    Pages PDFium's layer reads are counted as ``iter_page_words`` decides (unrotated, not
    declined by ``page_words``); pdfplumber reads the rest."""
    samples = sorted(SAMPLES_DIR.glob("*.pdf"))
    if not samples:
        return f"real samples: none found in {SAMPLES_DIR}"
    pages = read_by_pdfium = 0
    seconds = 0.0
    for path in samples:
        seconds += min(timed(parse_statement, path)[0] for _ in range(repeat))
        document = pdfium.PdfDocument(str(path))
        try:
            with pdfplumber.open(path, unicode_norm=UNICODE_NORM) as pdf:
                for index, page in enumerate(pdf.pages):
                    pages += 1
                    pdfium_page = document[index]
                    try:
                        if not page.rotation:
                            page_words(pdfium_page, page.height, UNICODE_NORM)
                            read_by_pdfium += 1
                    except NotLikePdfplumber:
                        pass
                    finally:
                        pdfium_page.close()
        finally:
            document.close()
    return (
        f"real samples ({len(samples)} statements, {pages} pages, {SAMPLES_DIR}): "
        f"{pages / seconds:.1f} pages/s (not a target: {read_by_pdfium} of {pages} pages read by PDFium, "
        "the rest by pdfplumber where PDFium's boxes could split words otherwise)"
    )


def main() -> None:
    """Generate the statements, time both sides, measure memory, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pdfplumber", action="store_true", help="skip the pdfplumber-layer parse")
    args = parser.parse_args()

    header = (
        f"{'pages':>5} {'tx':>6} {'parse s':>8} {'pages/s':>8} {'tx/s':>7} {'words s':>8} {'ratio':>6} "
        f"{'wall ratio':>10} {'plumber pages/s':>15}  ok"
    )
    print(f"targets: >= {PAGES_PER_SECOND_TARGET:.0f} pages/s, ratio <= {RATIO_TARGET}")
    print(header)
    print("-" * len(header))
    files: list[tuple[int, Path]] = []
    with tempfile.TemporaryDirectory() as directory:
        for pages in args.pages:
            path = Path(directory) / f"statement_{pages}.pdf"
            truth = make_long_statement(path, pages)
            parse_runs, word_runs, plumber_runs = [], [], []
            for _ in range(args.repeat):  # interleaved, so load changes hit every side
                word_runs.append(timed(extract_words_only, path))
                parse_runs.append(timed(parse_statement, path))
                if not args.no_pdfplumber:
                    plumber_runs.append(timed(parse_with_pdfplumber, path))
            (parse_s, parse_wall), (words_s, words_wall) = min(parse_runs), min(word_runs)
            ratio = parse_s / words_s
            parsed = parse_statement(path)
            count = len(parsed.transactions)
            exact = [(t.date, t.description, t.amount, t.balance) for t in parsed.transactions] == [
                (t.date, t.description, t.amount, t.balance) for t in truth.transactions
            ]
            rate = pages / parse_s
            verdict = "yes" if ratio <= RATIO_TARGET and rate >= PAGES_PER_SECOND_TARGET and exact else "NO"
            plumber = f"{pages / min(plumber_runs)[0]:>15.1f}" if plumber_runs else f"{'-':>15}"
            print(
                f"{pages:>5} {count:>6} {parse_s:>8.2f} {rate:>8.1f} {count / parse_s:>7.0f} "
                f"{words_s:>8.2f} {ratio:>6.2f} {parse_wall / words_wall:>10.2f} {plumber}  {verdict}"
                f"{'' if exact else ' (transactions differ from truth)'}"
            )
            files.append((pages, path))
        if files:
            print_memory(files)
    print(real_samples_line(args.repeat))
    print(
        f"pages/s = pages / parse_statement CPU seconds (target >= {PAGES_PER_SECOND_TARGET:.0f}); "
        f"ratio = parse_statement CPU time / plain extract_words CPU time (target <= {RATIO_TARGET}); "
        "plumber pages/s = the same parse with pdfplumber's words on every page"
    )


def print_memory(files: list[tuple[int, Path]]) -> None:
    """Peak RSS of reading each file's lines (flat) and parsing it, of a worker, of extract_words."""
    lines = [(pages, peak_rss_mb(_CHILD_LINES.format(path=str(path)))) for pages, path in files]
    parses = [(pages, peak_rss_mb(_CHILD_PARSE.format(path=str(path)))) for pages, path in files]
    pages, path = files[-1]
    worker_mb = peak_rss_mb(_CHILD_WORKER_PARSE.format(path=str(path)))
    words_mb = peak_rss_mb(_CHILD_WORDS.format(path=str(path)))
    spread = max(mb for _, mb in lines) - min(mb for _, mb in lines)
    flat = "flat" if spread <= RSS_FLAT_MB else "NOT FLAT"
    verdict = "ok" if worker_mb < RSS_TARGET_MB else "OVER TARGET"
    print(
        "\npeak RSS reading every page's lines: "
        + ", ".join(f"{mb:.0f} MB at {count} pages" for count, mb in lines)
        + f" (+{spread:.0f} MB: {flat}, target within {RSS_FLAT_MB:.0f} MB)"
    )
    print(
        "peak RSS of a bare parse_statement: "
        + ", ".join(f"{mb:.0f} MB at {count} pages" for count, mb in parses)
        + " (the growth is the statement's rows, kept for reconciliation, and its pages' lines, kept packed)"
    )
    print(
        f"peak RSS at {pages} pages: worker process (Celery app and every task module loaded) "
        f"{worker_mb:.0f} MB (target < {RSS_TARGET_MB:.0f} MB: {verdict}); "
        f"bare extract_words {words_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
