"""Audit repro: a statement whose printed bank name is longer than the bank_name column
(String(200)) fails its task as an *internal* error, marked retryable, and the worker
logs the statement's contents (account digits, balances, period) in the SQL parameters
of the failed INSERT.

Product rules: crafted input gets a clear refusal (not an internal error that a retry
"can help"), and statement contents never reach the logs.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import TEST_BACKEND, WORKER_LOG
from tests.support import statement_pdfs

pytestmark = pytest.mark.skipif(TEST_BACKEND != "postgres", reason="String(200) is enforced by PostgreSQL")


def _statement_with_a_long_bank_name(path):
    spec, scenario = statement_pdfs._CATALOGUE["northgate_uk"]
    name = "Northgate" + "x" * 230 + " Bank"  # 244 characters, one 'word' and "Bank"
    spec = replace(
        spec, bank_name=name,
        address_lines=tuple(line.replace(spec.bank_name, name) for line in spec.address_lines),
    )
    drafts = statement_pdfs.generate_transactions(scenario, scenario.transaction_count)
    return statement_pdfs.render_statement(path, "northgate_uk", spec, scenario, drafts)


def test_a_long_printed_bank_name_is_no_internal_error_and_leaks_nothing(
    client, auth_headers, wait_for, tmp_path
):
    pdf = tmp_path / "statement.pdf"
    truth = _statement_with_a_long_bank_name(pdf)
    log_start = WORKER_LOG.stat().st_size if WORKER_LOG.exists() else 0

    response = client.post(
        "/upload_pdf_async", headers=auth_headers,
        files={"file": ("statement.pdf", pdf.read_bytes(), "application/pdf")},
    )
    assert response.status_code == 202, response.text
    final = wait_for(response.json()["task_id"], auth_headers,
                     lambda s: s["status"] in ("SUCCESS", "FAILED"), timeout=90)

    log = WORKER_LOG.read_bytes()[log_start:].decode(errors="replace")
    leaked = [text for text in (f"'opening_balance': Decimal('{truth.opening_balance}')",
                                f"'closing_balance': Decimal('{truth.closing_balance}')",
                                "'account_last4': '4567'")
              if text in log]
    assert not leaked, f"the worker log holds the statement's contents: {leaked}"
    # Imported (the name shortened), or refused as the file's fault; never "internal
    # error, retrying can help", which no retry of the same file ever fixes.
    assert final["status"] == "SUCCESS" or final["retryable"] is False, final
