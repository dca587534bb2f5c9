"""The web app in a real browser: Debian's headless Chromium, driven by Playwright, against a
real uvicorn process and a real Celery worker.

A new user signs up, uploads two generated statements and watches both bars reach 100 %,
opens the statements and the transactions, changes a category, previews and adds a rule,
categorizes, generates and downloads a report, checks the pages at 375 px wide, and signs
out. Each page is saved as a screenshot under tests/artifacts/web-<backend>/ for a person
to look at.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backend.tasks.kinds import QUEUES
from tests.conftest import REPO_ROOT, TEST_BACKEND
from tests.support.chaos import wait_until
from tests.support.net import answers, free_port
from tests.support.statement_pdfs import LAYOUTS

CHROMIUM = Path("/usr/bin/chromium")
# Headless and quiet: no GPU, no first-run or background traffic (the test machine has no
# network but the loopback).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts" / f"web-{TEST_BACKEND}"
# Generous: two statements are parsed by a 2-process worker on a busy 2-core machine.
TASK_TIMEOUT_MS = 120_000
STATEMENTS = ("northgate_uk", "prairie_us")
ADMIN_EMAIL = "ann@example.com"
# Records each progress bar's values as the page sets them (window.barValues[label]).
RECORD_BARS = """
window.barValues = {};
new MutationObserver((changes) => {
  for (const change of changes) {
    const bar = change.target;
    const label = bar.getAttribute("aria-label");
    (window.barValues[label] = window.barValues[label] || []).push(Number(bar.getAttribute("aria-valuenow")));
  }
}).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["aria-valuenow"] });
"""
# Each page of the app and its heading.
PAGES = {
    "upload": "Upload statements", "statements": "Statements", "transactions": "Transactions",
    "rules": "Rules", "reports": "Reports", "schedules": "Schedules", "webhooks": "Webhooks",
    "admin": "Admin",
}


@pytest.fixture
def api_server(clean_db: None, worker: subprocess.Popen) -> Iterator[str]:
    """A real uvicorn process serving the API and the web app; yields its base URL."""
    port = free_port()
    log = (Path(os.environ["STORAGE_DIR"]).parent / f"ledgerflow-web-api-{port}.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "backend.api.main:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT,
        # The test's user is an admin (the admin page), and its webhook may point here.
        env={**os.environ, "ADMIN_EMAILS": ADMIN_EMAIL, "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: process.poll() is not None or answers(f"{base}/health"), 60, "the API")
        if process.poll() is not None:
            pytest.fail(f"The API did not start:\n{Path(log.name).read_text()[-3000:]}")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright; fails (not skips) when it is not installed."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the web app test needs Debian's chromium. `make test` "
            "installs it (apt-get install chromium); or install it by hand.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def test_a_user_uploads_reviews_categorizes_and_reports(
    api_server: str, browser: Any, tmp_path: Path
) -> None:
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for earlier in ARTIFACTS.glob("*.png"):  # only this run's pictures
        earlier.unlink()
    truths = {}
    for name in STATEMENTS:
        truths[name] = LAYOUTS[name](tmp_path / f"{name}.pdf")
    total = sum(len(truth.transactions) for truth in truths.values())

    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Console errors too (a Content-Security-Policy refusal is one), but not the browser's
    # note of an answer's status: signed out, /auth/me is meant to answer 401.
    page.on("console", lambda message: errors.append(message.text) if message.type == "error"
            and not message.text.startswith("Failed to load resource") else None)

    def shot(name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True, animations="disabled")

    # Sign up (the app starts at the sign-in page).
    page.goto(api_server)
    expect(page.get_by_test_id("login-submit")).to_have_text("Sign in")
    shot("01-sign-in")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_test_id("login-email").fill(ADMIN_EMAIL)
    page.get_by_test_id("login-password").fill("correct horse battery")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_role("heading", name="Upload statements")).to_be_visible()
    cookies = {cookie["name"]: cookie for cookie in context.cookies()}
    assert cookies["lf_session"]["httpOnly"] and cookies["lf_session"]["sameSite"] == "Strict"

    # Upload two statements: each bar reaches 100 % and shows what was read.
    # Two more files: one is not a PDF at all (refused at upload), one is a letter (its
    # parse fails). Each says why in plain words, and the statements go on.
    (tmp_path / "notes.pdf").write_text("these are my notes, not a statement")
    _write_letter(tmp_path / "letter.pdf")
    page.evaluate(RECORD_BARS)
    page.get_by_test_id("upload-input").set_input_files(
        [tmp_path / f"{name}.pdf" for name in STATEMENTS]
        + [tmp_path / "notes.pdf", tmp_path / "letter.pdf"]
    )
    bars = page.get_by_test_id("upload-progress")
    expect(bars).to_have_count(4)
    for index in range(2):
        expect(bars.nth(index)).to_have_attribute("aria-valuenow", "100", timeout=TASK_TIMEOUT_MS)
    # Every value a statement's bar showed, in order: it only ever moved forward.
    seen = page.evaluate("window.barValues")
    for name in STATEMENTS:
        values = seen[f"Progress of {name}.pdf"]
        assert values == sorted(values) and values[-1] == 100, (name, values)
    refused = page.get_by_test_id("upload-item").filter(has_text="notes.pdf")
    expect(refused).to_contain_text("not a PDF")
    expect(refused.get_by_role("button", name="Retry notes.pdf")).to_have_count(0)  # it would fail again
    letter = page.get_by_test_id("upload-item").filter(has_text="letter.pdf")
    expect(letter).to_contain_text("No transaction table was found", timeout=TASK_TIMEOUT_MS)
    expect(page.get_by_text("4 of 4 files finished · 2 failed")).to_be_visible()
    # "Retry failed" runs the letter again through the batch (a new task), which fails again.
    page.get_by_test_id("retry-failed").click()
    failed_parses = f"{api_server}/tasks?task_name=parse_pdf_async&status=FAILED"
    wait_until(lambda: page.request.get(failed_parses).json()["total"] == 2, 60, "the retried parse")
    expect(letter).to_contain_text("No transaction table was found")
    expect(page.get_by_text("4 of 4 files finished · 2 failed")).to_be_visible()
    for name, truth in truths.items():
        item = page.get_by_test_id("upload-item").filter(has_text=f"{name}.pdf")
        expect(item).to_contain_text(f"{len(truth.transactions)} transactions")
        expect(item).to_contain_text("Balances add up")
    expect(page.get_by_test_id("upload-overall")).to_have_attribute("aria-valuenow", "100")
    shot("02-upload")

    # Statements.
    page.get_by_role("link", name="Statements", exact=True).click()
    expect(page.get_by_test_id("statement-row")).to_have_count(2)
    last4 = truths["northgate_uk"].account_last4
    expect(page.get_by_test_id("statement-row").filter(has_text=f"••{last4}")).to_have_count(1)
    shot("03-statements")

    # Transactions: all of them, paged; search narrows them; a category edited in place.
    page.get_by_role("link", name="Transactions", exact=True).click()
    expect(page.get_by_test_id("transaction-row")).to_have_count(50)
    expect(page.get_by_text(f"1–50 of {total}")).to_be_visible()
    word = _search_word(truths["northgate_uk"].transactions[0].description)
    expected_hits = sum(
        word.casefold() in tx.description.casefold()
        for truth in truths.values() for tx in truth.transactions
    )
    page.get_by_label("Search").fill(word)
    page.get_by_label("Search").press("Enter")
    expect(page.get_by_test_id("transaction-row")).to_have_count(min(expected_hits, 50))
    page.get_by_role("button", name="Clear").click()
    expect(page.get_by_test_id("transaction-row")).to_have_count(50)

    first = page.get_by_test_id("transaction-row").first
    first.get_by_test_id("category-cell").get_by_role("button").click()
    editor = first.get_by_test_id("category-input")
    editor.fill("Coffee & snacks")
    editor.press("Enter")
    expect(first.get_by_test_id("category-cell")).to_have_text(re.compile("Coffee & snacks"))
    saved = page.request.get(f"{api_server}/transactions?category=Coffee%20%26%20snacks").json()
    assert saved["total"] == 1
    shot("04-transactions")

    # Rules: preview says how many would match, then the rule is saved and applied.
    pattern = word
    page.get_by_role("link", name="Rules", exact=True).click()
    page.get_by_test_id("rule-pattern").fill(pattern)
    page.get_by_test_id("rule-category").fill("Groceries")
    page.get_by_test_id("rule-preview").click()
    expect(page.get_by_test_id("rule-preview-result")).to_contain_text(
        f"Matches {expected_hits} transaction"
    )
    page.get_by_test_id("rule-save").click()
    expect(page.get_by_test_id("rule-row")).to_have_count(1)
    page.get_by_test_id("categorize-now").click()
    expect(page.get_by_test_id("categorize-progress")).to_have_attribute(
        "aria-valuenow", "100", timeout=TASK_TIMEOUT_MS
    )
    expect(page.get_by_text(re.compile(r"Done: .* categorized"))).to_be_visible()
    shot("05-rules")
    grocery = page.request.get(f"{api_server}/transactions?category=Groceries&limit=1").json()
    # The one edited by hand keeps its category (no overwrite).
    assert grocery["total"] == expected_hits - (word.casefold() in _first_listed(page, api_server))

    # Reports: charts drawn from the data; a report generated and downloaded.
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_test_id("spending-chart").locator("rect").first).to_be_visible()
    expect(page.get_by_test_id("months-chart").locator("rect").first).to_be_visible()
    expect(page.get_by_test_id("spending-chart")).to_contain_text("Groceries")
    page.get_by_test_id("report-generate").click()
    expect(page.get_by_test_id("report-progress")).to_have_attribute(
        "aria-valuenow", "100", timeout=TASK_TIMEOUT_MS
    )
    with page.expect_download() as download_info:
        page.get_by_test_id("report-download").click()
    report = tmp_path / "report.xlsx"
    download_info.value.save_as(report)
    rows = list(load_workbook(report)["Transactions"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == total
    shot("06-reports")

    # Schedules, webhooks and, for an admin, the operators' page.
    page.get_by_role("link", name="Schedules", exact=True).click()
    page.get_by_test_id("schedule-save").click()
    expect(page.get_by_test_id("schedule-row")).to_have_count(1)
    expect(page.get_by_test_id("schedule-row")).to_contain_text("0 6 * * 1")
    shot("07-schedules")
    page.get_by_role("link", name="Webhooks", exact=True).click()
    page.get_by_test_id("webhook-url").fill("http://127.0.0.1:9/ledgerflow")
    page.get_by_test_id("webhook-save").click()
    expect(page.get_by_test_id("webhook-secret")).to_have_text(re.compile(r"\S{20,}"))
    expect(page.get_by_test_id("webhook-row")).to_have_count(1)
    shot("08-webhooks")
    page.get_by_role("link", name="Admin", exact=True).click()
    expect(page.get_by_test_id("queue-row")).to_have_count(len(QUEUES))
    expect(page.get_by_test_id("throughput-chart")).to_contain_text("parse pdf")
    shot("09-admin")

    # A phone: nothing wider than the screen, and every page still usable.
    page.set_viewport_size({"width": 375, "height": 812})
    for number, (route, heading) in enumerate(PAGES.items(), start=10):
        name = f"{number}-phone-{route}"
        page.goto(f"{api_server}/#/{route}")
        expect(page.locator("main h1")).to_have_text(heading)
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 375, f"the {route} page is {overflow} px wide on a 375 px screen"
        shot(name)

    # Keyboard only: a new page focuses its heading; Tab reaches the file picker, and
    # Shift+Tab walks back through the top bar to the navigation.
    page.goto(f"{api_server}/#/upload")
    expect(page.get_by_role("heading", name="Upload statements")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("upload-input")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_test_id("sign-out")).to_be_focused()
    page.keyboard.press("Shift+Tab")  # the last link of the navigation, an admin's
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Admin")).to_be_focused()

    # Sign out: the cookie is gone and the API says so.
    page.get_by_test_id("sign-out").click()
    expect(page.get_by_test_id("login-email")).to_be_visible()
    assert page.request.get(f"{api_server}/auth/me").status == 401
    assert errors == [], f"errors in the page: {errors}"


def _write_letter(path: Path) -> None:
    """A PDF that is a letter, not a statement: no transaction table to find."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Dear customer, thank you for your letter of 3 March.")
    pdf.output(str(path))


def _search_word(description: str) -> str:
    """A word of a description long enough to search for."""
    return max(re.findall(r"[A-Za-z]{4,}", description), key=len)


def _first_listed(page: Any, api_server: str) -> str:
    """The description of the transaction edited by hand (newest first, as listed)."""
    edited = page.request.get(f"{api_server}/transactions?category=Coffee%20%26%20snacks").json()
    return str(edited["items"][0]["description"]).casefold()
