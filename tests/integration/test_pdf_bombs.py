"""Decompression bombs end FAILED with a clear message, and the worker lives on (issue 6, item 9).

Before: a 200 KB PDF inflated to 200 MB in the worker (1000:1), and a 20 MB upload could
take the pool process down. Now the raw streams are counted before pdfminer inflates
anything, and each pool process has an address-space limit as the backstop.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tracemalloc
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pdfplumber
import psutil
import pytest

from backend.config import get_settings
from backend.services.pdf_limits import (
    MB,
    OUT_OF_MEMORY,
    DecompressionLimits,
    PdfTooLarge,
    check_decompressed_size,
    check_page_budgets,
    decoded_size,
)
from tests.conftest import REPO_ROOT
from tests.integration.test_request_limits import peak_rss
from tests.support import SAMPLES_DIR, hostile_pdfs, is_final
from tests.support.statement_pdfs import LAYOUTS

DEFAULT_LIMITS = DecompressionLimits(max_page_bytes=64 * MB, max_document_bytes=512 * MB)
BOMBS = {
    "200 MB content stream": hostile_pdfs.content_bomb_pdf,
    "1 GB, deflated twice": hostile_pdfs.double_deflate_bomb_pdf,
    "endstream decoy, indirect length": hostile_pdfs.hidden_length_bomb_pdf,
}
UPLOAD_ROUTES = ["/upload_pdf_async", "/invoices/extract_async"]


@pytest.fixture(scope="module")
def bomb_file(tmp_path_factory) -> Callable[[str], Path]:
    """The bomb called ``name``, built on first use: compressing the 1 GB one is slow, and
    the SQLite pass runs only the upload test, which needs the 200 MB one."""
    folder = tmp_path_factory.mktemp("bombs")

    @cache
    def _bomb_file(name: str) -> Path:
        path = folder / f"{list(BOMBS).index(name)}.pdf"
        path.write_bytes(BOMBS[name]())
        return path

    return _bomb_file


@pytest.mark.backend_independent  # the reader's budgets, in this process
@pytest.mark.parametrize("name", BOMBS)
def test_a_bomb_is_refused_without_inflating_it(bomb_file, name):
    assert bomb_file(name).stat().st_size < 300 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(PdfTooLarge, match="expands to more than 64 MB per page"):
            check_decompressed_size(bomb_file(name), DEFAULT_LIMITS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"\n{name}: refused, peak Python allocations {peak / MB:.1f} MB")
    assert peak < 8 * MB  # the file and a chunk of output, never the inflated stream


@pytest.mark.backend_independent  # the reader's budgets, in this process
def test_the_document_budget_counts_every_page(tmp_path):
    path = tmp_path / "pages.pdf"
    path.write_bytes(hostile_pdfs.many_pages_pdf(pages=5, inflated_bytes_per_page=MB))
    check_decompressed_size(path, DecompressionLimits(max_page_bytes=2 * MB, max_document_bytes=6 * MB))
    with pytest.raises(PdfTooLarge, match="more than 4 MB in all"):
        check_decompressed_size(path, DecompressionLimits(max_page_bytes=2 * MB, max_document_bytes=4 * MB))


def check_pages(path: Path, limits: DecompressionLimits) -> None:
    with pdfplumber.open(path) as pdf:
        check_page_budgets((page.page_obj for page in pdf.pages), limits)


@pytest.mark.backend_independent  # the reader's budgets, in this process
def test_real_documents_are_far_inside_the_default_budgets(tmp_path):
    samples = sorted(SAMPLES_DIR.glob("**/*.pdf"))  # two of them encrypted
    assert samples, f"no sample PDFs under {SAMPLES_DIR}"
    for name, build in LAYOUTS.items():
        build(tmp_path / f"{name}.pdf")
    tight = DecompressionLimits(max_page_bytes=4 * MB, max_document_bytes=16 * MB)
    for path in [*samples, *tmp_path.glob("*.pdf")]:
        check_decompressed_size(path, tight)  # 16x below the defaults
        check_pages(path, tight)


@pytest.mark.backend_independent  # the reader's budgets, in this process
def test_a_page_split_into_many_small_streams_is_counted_as_one_page(tmp_path):
    path = tmp_path / "split.pdf"
    path.write_bytes(hostile_pdfs.split_page_pdf(streams=4, inflated_bytes_each=600 * 1024))
    limits = DecompressionLimits(max_page_bytes=MB, max_document_bytes=8 * MB)
    check_decompressed_size(path, limits)  # each stream alone is small enough
    with pytest.raises(PdfTooLarge, match="more than 1 MB per page"):
        check_pages(path, limits)


@pytest.mark.backend_independent  # the reader's budgets, in this process
def test_encrypted_streams_are_counted_after_decryption(tmp_path):
    path = tmp_path / "encrypted.pdf"
    hostile_pdfs.encrypted_dense_pdf(path, lines=60_000)  # ~2.5 MB of content, encrypted
    limits = DecompressionLimits(max_page_bytes=MB, max_document_bytes=8 * MB)
    check_decompressed_size(path, limits)  # ciphertext does not inflate
    with pytest.raises(PdfTooLarge, match="more than 1 MB per page"):
        check_pages(path, limits)
    check_pages(path, DecompressionLimits(max_page_bytes=4 * MB, max_document_bytes=8 * MB))


@pytest.mark.backend_independent  # the reader's budgets, in this process
@pytest.mark.parametrize(
    "data, filters, expected",
    [
        (zlib.compress(b"abc" * 1000), [b"FlateDecode"], 3000),
        (zlib.compress(b"abc" * 1000).hex().encode() + b">", [b"ASCIIHexDecode", b"FlateDecode"], 3000),
        (bytes([2]) + b"xyz" + bytes([129]) + b"q" + bytes([128]), [b"RunLengthDecode"], 3 + 128),
        (b"stored as is", [], 12),
        (b"\xff\xd8 a jpeg", [b"DCTDecode"], 9),
        (zlib.compress(b"x" * 10_000), [b"FlateDecode"], 10_000),
    ],
    ids=["flate", "hex then flate", "run length", "no filter", "image filter", "over budget"],
)
def test_decoded_size_follows_the_filters(data, filters, expected):
    budget = 5_000
    size = decoded_size(data, filters, budget)
    assert size == expected if expected <= budget else size > budget


def upload(client, headers, route: str, content: bytes):
    return client.post(route, headers=headers, files={"file": ("statement.pdf", content, "application/pdf")})


def pool_processes_peak_rss(worker: subprocess.Popen) -> dict[int, int]:
    return {child.pid: peak_rss(child.pid) for child in psutil.Process(worker.pid).children()}


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
def test_a_bomb_upload_ends_failed_and_the_worker_keeps_serving(
    client, auth_headers, worker, wait_for, bomb_file, tmp_path, route
):
    before = pool_processes_peak_rss(worker)
    submitted = upload(client, auth_headers, route, bomb_file("200 MB content stream").read_bytes())
    assert submitted.status_code == 202, submitted.text
    final = wait_for(submitted.json()["task_id"], auth_headers, is_final, timeout=60)
    assert final["status"] == "FAILED"
    assert "expands to more than 64 MB per page when decompressed" in final["error_message"]
    growth = max(peak_rss(pid) - before.get(pid, 0) for pid in pool_processes_peak_rss(worker))
    print(f"\npool process peak RSS grew by at most {growth / MB:.1f} MB")
    # Loading pdfplumber on first use costs ~30 MB; inflating the bomb would cost 200 MB+.
    assert growth < 100 * MB

    LAYOUTS["northgate_uk"](tmp_path / "good.pdf")
    good = upload(client, auth_headers, route, (tmp_path / "good.pdf").read_bytes())
    assert wait_for(good.json()["task_id"], auth_headers, is_final, timeout=60)["status"] == "SUCCESS"
    assert worker.poll() is None


MEMORY_LIMIT_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from backend.services.errors import InvalidInputError
    from backend.services.pdf_words import iter_page_words
    from backend.tasks.limits import limit_worker_process_memory

    limit_worker_process_memory()
    outcomes = []
    for path in sys.argv[1:]:
        try:
            pages = sum(1 for _ in iter_page_words(path))
            outcomes.append(f"read {pages} page(s)")
        except InvalidInputError as error:
            outcomes.append(str(error))
    print(json.dumps(outcomes))
    """
)


@pytest.mark.backend_independent  # the memory limit, in a process of its own
def test_past_the_decompression_budgets_the_memory_limit_fails_the_read_cleanly(bomb_file, tmp_path):
    """The backstop alone: budgets set out of the way, a 600 MB address-space limit as a
    worker process gets it, a 1 GB bomb, then an ordinary statement in the same process."""
    LAYOUTS["northgate_uk"](tmp_path / "good.pdf")
    env = dict(
        os.environ,
        WORKER_MEMORY_LIMIT_MB="600",
        PDF_MAX_PAGE_DECOMPRESSED_MB="100000",
        PDF_MAX_DOCUMENT_DECOMPRESSED_MB="100000",
    )
    run = subprocess.run(
        [sys.executable, "-c", MEMORY_LIMIT_SCRIPT,
         str(bomb_file("1 GB, deflated twice")), str(tmp_path / "good.pdf")],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    bomb, good = json.loads(run.stdout.strip().splitlines()[-1])
    assert bomb == OUT_OF_MEMORY
    assert good.startswith("read ") and good.endswith("page(s)")


@pytest.mark.backend_independent  # the memory limit, in a process of its own
def test_the_memory_limit_is_off_at_zero_and_never_above_the_hard_limit():
    script = textwrap.dedent(
        """
        import resource
        from backend.tasks.limits import limit_process_memory
        limit_process_memory(0)
        assert resource.getrlimit(resource.RLIMIT_AS)[0] == resource.RLIM_INFINITY
        resource.setrlimit(resource.RLIMIT_AS, (2048 * 1024 * 1024,) * 2)
        limit_process_memory(4096)
        assert resource.getrlimit(resource.RLIMIT_AS) == (2048 * 1024 * 1024,) * 2
        limit_process_memory(700)
        try:
            bytearray(1024 * 1024 * 1024)
        except MemoryError:
            print("MemoryError")
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "MemoryError"


def test_the_workers_pool_processes_run_under_the_memory_limit(worker):
    """Needs the worker_process_init hook in backend/tasks/app.py to call
    ``limit_worker_process_memory`` (WORKER_MEMORY_LIMIT_MB, 1024 by default)."""
    expected = get_settings().worker_memory_limit_mb * MB
    children = psutil.Process(worker.pid).children()
    assert children
    for child in children:
        limits = Path(f"/proc/{child.pid}/limits").read_text().splitlines()
        address_space = next(line for line in limits if line.startswith("Max address space"))
        assert address_space.split()[3] == str(expected), (
            f"{address_space!r}: backend/tasks/app.py's worker_process_init handler must call "
            "backend.tasks.limits.limit_worker_process_memory()"
        )
