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
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from backend.tasks.kinds import QUEUES
from tests.conftest import REPO_ROOT, TEST_BACKEND
from tests.support import statement_pdfs
from tests.support.chaos import wait_until
from tests.support.net import running_api
from tests.support.statement_pdfs import LAYOUTS, write_bundle

CHROMIUM = Path("/usr/bin/chromium")
# A name for the API as a deployment's host would have (test_the_api_docs_need_no_other_host).
DOCS_HOST = "ledgerflow.test"
# Headless and quiet: no GPU, no first-run or background traffic (the test machine has no
# network but the loopback); DOCS_HOST resolves to the loopback.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    f"--host-resolver-rules=MAP {DOCS_HOST} 127.0.0.1",
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
    log = Path(os.environ["STORAGE_DIR"]).parent / f"ledgerflow-web-api-{uuid.uuid4().hex[:8]}.log"
    # The test's user is an admin (the admin page), and its webhook may point here.
    env = {**os.environ, "ADMIN_EMAILS": ADMIN_EMAIL, "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true"}
    with running_api(env, log=log) as api:
        yield api.base


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
    # note of an answer's status (the first load, where none may fail, is checked by
    # test_upload_results_show_every_statement_and_retry_only_what_can_help).
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
    # Amounts as the pages show them: two decimals, three where a currency counts thousandths.
    shown = page.evaluate("""async () => {
        const { formatMoney } = await import("/web/js/ui.js");
        return ["-1142.553", "12.3", "2500.00"].map(formatMoney);
    }""")
    assert [text.replace("\u2212", "-") for text in shown] == ["-1,142.553", "12.30", "2,500.00"], shown

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
    # The letter failed on its one run: the same file would fail the same way, so neither
    # it nor "Retry failed" offers to try again.
    expect(letter.get_by_role("button", name="Retry letter.pdf")).to_have_count(0)
    expect(page.get_by_test_id("retry-failed")).to_be_disabled()
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
    expect(first.get_by_test_id("category-manual")).to_have_text("by hand")
    saved = page.request.get(f"{api_server}/transactions?category=Coffee%20%26%20snacks").json()
    assert saved["total"] == 1 and saved["items"][0]["category_source"] == "manual"
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
    page.get_by_label(re.compile("Also replace categories set by rules")).check()
    page.get_by_test_id("categorize-now").click()
    expect(page.get_by_test_id("categorize-progress")).to_have_attribute(
        "aria-valuenow", "100", timeout=TASK_TIMEOUT_MS
    )
    expect(page.get_by_text(re.compile(r"Done: .* categorized.* 1 category set by hand kept\."))
           ).to_be_visible()
    shot("05-rules")
    grocery = page.request.get(f"{api_server}/transactions?category=Groceries&limit=1").json()
    # The one edited by hand keeps its category, also with overwrite.
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


def test_upload_results_show_every_statement_and_retry_only_what_can_help(
    api_server: str, browser: Any, tmp_path: Path
) -> None:
    """What QA found: the first load logged a 401; a file over the limit went up in full
    before its 413; a PDF of two statements showed one; warnings hid in a tooltip; Retry
    was offered for files that fail the same way every time; a statement without an
    account number showed "••—"; a 422 showed its raw field paths."""
    import uuid

    from playwright.sync_api import expect

    import tests.support.tasks  # noqa: F401 (declares the test-only task kinds)
    from backend.config import get_settings
    from backend.db import get_engine
    from backend.services.pdf_words import ENCRYPTED
    from backend.tasks.submission import submit_task

    expect.set_options(timeout=20_000)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    console: list[str] = []  # every error, the browser's notes of failed requests too
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: console.append(str(error)))
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    sent: list[int] = []  # the size of every upload's body
    page.on("request", lambda request: sent.append(len(request.post_data_buffer or b""))
            if request.method == "POST" and re.search(r"/(batches|upload_pdf_async)$", request.url) else None)

    # First load, signed out: no request that is sure to fail, nothing in the console.
    page.goto(api_server)
    expect(page.get_by_test_id("login-submit")).to_have_text("Sign in")
    page.wait_for_load_state("networkidle")
    assert console == [], f"errors on the first load: {console}"
    assert not [url for url in asked if "/auth/" in url], asked

    page.get_by_role("link", name="Create an account").click()
    page.get_by_test_id("login-email").fill("bea@example.com")
    page.get_by_test_id("login-password").fill("correct horse battery")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_role("heading", name="Upload statements")).to_be_visible()

    # The limit comes from the API (GET /auth/me): said up front, and a larger file is
    # refused in the browser, not sent.
    limit_mb = get_settings().max_upload_mb
    expect(page.get_by_text(f"up to {limit_mb} MB each")).to_be_visible()
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + bytes((limit_mb + 5) * 1024 * 1024))
    page.get_by_test_id("upload-input").set_input_files([big])
    refused = page.get_by_test_id("upload-item").filter(has_text="big.pdf")
    expect(refused).to_contain_text(f"larger than the {limit_mb} MB limit")
    expect(refused.get_by_role("button", name="Retry big.pdf")).to_have_count(0)
    assert sent == []

    bundle = tmp_path / "two-statements.pdf"
    truths = write_bundle(bundle, (3, 1003))
    _write_without_account(tmp_path / "no-account.pdf")
    _write_locked(tmp_path / "locked.pdf")
    _write_letter(tmp_path / "letter.pdf")
    page.get_by_test_id("upload-input").set_input_files(
        [bundle] + [tmp_path / name for name in ("no-account.pdf", "locked.pdf", "letter.pdf")]
    )
    expect(page.get_by_text("5 of 5 files finished · 3 failed")).to_be_visible(timeout=TASK_TIMEOUT_MS)
    assert sent and max(sent) < limit_mb * 1024 * 1024, sent
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "20-upload-results.png", full_page=True, animations="disabled")

    # Both statements of the bundle, each with its link.
    parts = page.get_by_test_id("upload-item").filter(has_text=bundle.name).get_by_test_id("upload-statement")
    expect(parts).to_have_count(2)
    ids = []
    for index, truth in enumerate(truths):
        expect(parts.nth(index)).to_contain_text(f"{len(truth.transactions)} transactions")
        link = parts.nth(index).get_by_role("link", name=f"View transactions of statement {index + 1} of 2")
        ids.append(int(re.fullmatch(r"#/transactions\?statement=(\d+)", link.get_attribute("href") or "")[1]))
    # The links lead to the file's first and second statement.
    assert [page.request.get(f"{api_server}/statements/{id_}").json()["part"] for id_ in ids] == [0, 1]

    # Warnings in plain view, every one of them; no "••—" for a missing account number.
    plain = page.get_by_test_id("upload-item").filter(has_text="no-account.pdf")
    expect(plain).to_contain_text("Account not printed")
    href = plain.get_by_role("link", name="View transactions of this statement").get_attribute("href") or ""
    statement_id = int(href.rsplit("=", 1)[1])
    warnings = page.request.get(f"{api_server}/statements/{statement_id}").json()["warnings"]
    assert warnings, "the statement without an account number should come with a warning"
    for warning in warnings:
        expect(plain.get_by_test_id("statement-warnings")).to_contain_text(warning)

    # Files that fail the same way every time offer no retry, and "Retry failed" none.
    locked = page.get_by_test_id("upload-item").filter(has_text="locked.pdf")
    expect(locked).to_contain_text(ENCRYPTED)
    for name in ("locked.pdf", "letter.pdf", "big.pdf"):
        expect(page.get_by_role("button", name=f"Retry {name}")).to_have_count(0)
    expect(page.get_by_test_id("retry-failed")).to_be_disabled()
    # ...while a task that failed because a service stayed away (retried, then given up)
    # is one that another run can help, by the same rule the page uses.
    user_id = page.request.get(f"{api_server}/auth/me").json()["id"]
    outage = submit_task(get_engine(), user_id, "tests.flaky",
                         {"counter_key": f"web-{uuid.uuid4().hex}", "failures": 100})
    status_url = f"{api_server}/tasks/{outage}/status"
    wait_until(lambda: page.request.get(status_url).json()["status"] == "FAILED", 60, "the outage task")
    failed_parses = page.request.get(f"{api_server}/tasks?task_name=parse_pdf_async&status=FAILED").json()
    judged = page.evaluate(
        """async (ids) => {
          const { retryCanHelp } = await import("/web/js/api.js");
          const verdicts = [];
          for (const id of ids) {
            verdicts.push(retryCanHelp(await (await fetch(`/tasks/${id}/status`)).json()));
          }
          return verdicts;
        }""",
        [outage] + [task["task_id"] for task in failed_parses["items"]],
    )
    assert judged == [True] + [False] * failed_parses["total"] and failed_parses["total"] == 2

    # In the page itself: a cancelled parse can run again, so it offers Retry. Both of the
    # worker's processes are kept busy meanwhile, so that the parse is still waiting when
    # the cancel comes (a parse that finished first left nothing to cancel).
    blockers = [
        submit_task(get_engine(), user_id, "tests.progress_steps", {"steps": 1200, "delay": 0.1})
        for _ in range(2)
    ]
    wait_until(lambda: all(page.request.get(f"{api_server}/tasks/{blocker}/status").json()["status"]
                           == "PROCESSING" for blocker in blockers), 60, "the blockers")
    long_statement = tmp_path / "long.pdf"
    statement_pdfs.make_long_statement(long_statement, pages=20)
    page.get_by_test_id("upload-input").set_input_files([long_statement])
    running = page.get_by_test_id("upload-item").filter(has_text="long.pdf")
    expect(running).to_contain_text("Waiting for a worker")
    running.get_by_role("button", name="Cancel long.pdf").click()
    expect(running).to_contain_text("Cancelled", timeout=TASK_TIMEOUT_MS)
    expect(running.get_by_role("button", name="Retry long.pdf")).to_be_visible()
    expect(page.get_by_test_id("retry-failed")).to_be_enabled()
    # As the page sends an unsafe request: the session cookie with its CSRF token.
    from backend.api.web_session import CSRF_COOKIE, CSRF_HEADER

    csrf = next(cookie["value"] for cookie in context.cookies() if cookie["name"] == CSRF_COOKIE)
    for blocker in blockers:
        cancelled = page.request.delete(f"{api_server}/tasks/{blocker}", headers={CSRF_HEADER: csrf})
        assert cancelled.status in (200, 202), cancelled.text()
    wait_until(lambda: all(page.request.get(f"{api_server}/tasks/{blocker}/status").json()["status"]
                           == "REVOKED" for blocker in blockers), 60, "the blockers' cancel")

    # The statement's transactions: its chip names it in words.
    plain.get_by_role("link", name="View transactions of this statement").click()
    chip = page.get_by_test_id("statement-chip")
    expect(chip).to_contain_text("Account not printed")
    expect(chip).not_to_contain_text("••—")
    # The statements list shows the warnings too.
    page.get_by_role("link", name="Statements", exact=True).click()
    row = page.get_by_test_id("statement-row").filter(has_text="Account not printed")
    expect(row.get_by_test_id("statement-warnings")).to_contain_text(warnings[0])
    # On a phone, the warnings and the statements of a file wrap within the screen.
    page.set_viewport_size({"width": 375, "height": 812})
    for route in ("statements", "upload"):
        page.goto(f"{api_server}/#/{route}")
        expect(page.get_by_test_id("statement-warnings").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, route
    page.set_viewport_size({"width": 1280, "height": 900})

    # A refused form: one readable line per field, not the API's paths and prefixes.
    page.get_by_role("link", name="Schedules", exact=True).click()
    page.get_by_test_id("schedule-cron").fill("every monday")
    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_test_id("schedule-save").click()
    error = page.locator("form .form-error")
    expect(error).to_contain_text("Cron: ")
    expect(error).to_contain_text("Timezone: ")
    page.screenshot(path=ARTIFACTS / "21-readable-errors.png", full_page=True, animations="disabled")
    lines = error.inner_text().splitlines()
    assert len(lines) == 2 and not re.search(r"body\.|Value error|\[\{|loc", error.inner_text()), lines
    page.wait_for_load_state("networkidle")
    assert [text for text in console if not text.startswith("Failed to load resource")] == []


# Counts the event streams the page opens and closes (window.streams: open now, most at once).
COUNT_STREAMS = """
window.streams = { open: 0, most: 0, opened: 0 };
const Streamed = window.EventSource;
window.EventSource = class extends Streamed {
  constructor(...args) {
    super(...args);
    window.streams.opened += 1;
    window.streams.open += 1;
    window.streams.most = Math.max(window.streams.most, window.streams.open);
  }
  close() {
    if (this.readyState !== Streamed.CLOSED) window.streams.open -= 1;
    super.close();
  }
};
"""


def _sign_up(page: Any, api_server: str, email: str) -> None:
    from playwright.sync_api import expect

    page.goto(api_server)
    page.get_by_role("link", name="Create an account").click()
    page.get_by_test_id("login-email").fill(email)
    page.get_by_test_id("login-password").fill("correct horse battery")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_role("heading", name="Upload statements")).to_be_visible()


def test_many_files_leave_the_app_its_connections_and_cancel_all_cancels_each(
    api_server: str, browser: Any, tmp_path: Path
) -> None:
    """What the audit found: one event stream per file took the browser's six connections
    to the API; the seventh file's progress, other pages and Cancel all waited behind
    them ("5 of 40 finished" while the server had finished 36; Cancel all cancelled 4)."""
    from decimal import Decimal

    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(COUNT_STREAMS)
    page = context.new_page()
    _sign_up(page, api_server, "cleo@example.com")
    files = []
    for number in range(10):  # ten distinct statements of 20 pages: each runs a while
        path = tmp_path / f"long-{number}.pdf"
        statement_pdfs.make_long_statement(path, pages=20, opening_shift=Decimal(number))
        files.append(path)
    page.get_by_test_id("upload-input").set_input_files(files)
    rows = page.get_by_test_id("upload-item")
    expect(rows).to_have_count(10)
    expect(rows.filter(has_text="Uploading")).to_have_count(0)

    # Another page while the ten run: it asks the API and shows the answer.
    page.get_by_role("link", name="Transactions", exact=True).click()
    expect(page.get_by_role("heading", name="Transactions")).to_be_visible()
    expect(page.get_by_text(re.compile(r"No transactions|\d+–\d+ of \d+")).first).to_be_visible()
    page.get_by_role("link", name="Upload", exact=True).click()
    expect(page.get_by_test_id("upload-item")).to_have_count(10)

    # Cancel all: every file that had not finished ends cancelled, as the server says.
    page.get_by_role("button", name="Cancel all").click()
    expect(page.get_by_text("10 of 10 files finished")).to_be_visible(timeout=TASK_TIMEOUT_MS)
    tasks = page.request.get(f"{api_server}/tasks?task_name=parse_pdf_async&limit=50").json()["items"]
    states = sorted(task["status"] for task in tasks)
    # (Ten 20-page parses on a 2-process worker: the last ones are still waiting.)
    assert len(tasks) == 10 and set(states) <= {"SUCCESS", "REVOKED"} and "REVOKED" in states, states
    rows = page.get_by_test_id("upload-item")
    expect(rows.filter(has_text="Cancelled")).to_have_count(states.count("REVOKED"))
    expect(rows.filter(has_text="Done")).to_have_count(states.count("SUCCESS"))
    streams = page.evaluate("window.streams")
    assert streams["most"] <= 2, f"the page held {streams['most']} event streams at once"
    assert streams["open"] == 0, streams


def test_more_files_than_a_batch_takes_go_up_as_several_batches(
    api_server: str, browser: Any, tmp_path: Path
) -> None:
    """What the audit found: 101 files were refused whole, with a message naming the
    server's setting, on a page that says "as many as you like"."""
    from playwright.sync_api import expect

    from backend.config import get_settings

    expect.set_options(timeout=20_000)
    settings = get_settings()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_up(page, api_server, "dora@example.com")
    count = settings.max_batch_files + 1
    files = []
    for number in range(count):  # notes, not PDFs: each refused on its own, at once
        path = tmp_path / f"note-{number:03}.pdf"
        path.write_text(f"note {number}, not a statement")
        files.append(path)
    page.get_by_test_id("upload-input").set_input_files(files)
    expect(page.get_by_text(f"{count} of {count} files finished · {count} failed")).to_be_visible(
        timeout=TASK_TIMEOUT_MS
    )
    expect(page.get_by_test_id("upload-item").filter(has_text="not a PDF")).to_have_count(count)
    size = min(settings.max_batch_files, settings.user_max_active_tasks)
    # The number of files in each batch the server received.
    batches = [batch["total"] for batch in page.request.get(f"{api_server}/batches").json()["items"]]
    assert sum(batches) == count and max(batches) <= size, batches
    assert len(batches) == -(-count // size), batches
    assert "MAX_" not in page.locator("main").inner_text()


def test_a_result_is_read_again_until_it_comes_and_a_file_sent_twice_adds_nothing(
    api_server: str, browser: Any, tmp_path: Path
) -> None:
    """What the audit found: a result that could not be read once (the server restarting)
    was never read; the same file sent again looked like a new import."""
    from playwright.sync_api import Route, expect

    expect.set_options(timeout=20_000)
    truth = LAYOUTS["northgate_uk"](tmp_path / "northgate.pdf")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    failed: list[str] = []

    def fail_once(route: Route) -> None:
        if not failed:
            failed.append(route.request.url)
            route.abort("connectionrefused")
        else:
            route.continue_()

    page.route(re.compile(r"/tasks/[^/]+/result$"), fail_once)
    _sign_up(page, api_server, "emil@example.com")
    page.get_by_test_id("upload-input").set_input_files([tmp_path / "northgate.pdf"])
    first = page.get_by_test_id("upload-item").first
    expect(first).to_contain_text("could not be read yet", timeout=TASK_TIMEOUT_MS)
    first.get_by_role("button", name="Retry northgate.pdf").click()
    expect(first).to_contain_text(f"{len(truth.transactions)} transactions")
    expect(first).to_contain_text("Done")
    expect(first).not_to_contain_text("already imported")
    assert len(failed) == 1

    # The same file again: its statement is there already, and the page says so.
    page.get_by_test_id("upload-input").set_input_files([tmp_path / "northgate.pdf"])
    second = page.get_by_test_id("upload-item").nth(1)
    expect(second).to_contain_text("already imported, nothing added", timeout=TASK_TIMEOUT_MS)
    expect(second.get_by_test_id("already-imported")).to_have_count(1)
    expect(first.get_by_test_id("already-imported")).to_have_count(0)


def test_the_api_docs_need_no_other_host(api_server: str, browser: Any) -> None:
    """/docs on a network that reaches nothing but the API (FastAPI's default page loads
    Swagger UI from a CDN: blank there). The page is opened under a name that is not
    loopback's, as a deployment's is (Swagger UI treats localhost apart: it would ask
    swagger.io to validate a schema elsewhere in its standalone layout); every request to
    another host is refused and noted."""
    from playwright.sync_api import Route, expect

    expect.set_options(timeout=20_000)
    origin = f"http://{DOCS_HOST}:{urlsplit(api_server).port}"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    asked: list[str] = []
    elsewhere: list[str] = []

    def only_the_api(route: Route) -> None:
        url = route.request.url
        asked.append(url)
        if url.startswith(f"{origin}/"):
            route.continue_()
        else:
            elsewhere.append(url)
            route.abort("internetdisconnected")

    context.route("**/*", only_the_api)
    page = context.new_page()
    errors: list[str] = []  # the console's too: a Content-Security-Policy refusal is one
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{origin}/docs")
    page.wait_for_load_state("networkidle")
    assert elsewhere == [], f"/docs asked other hosts: {elsewhere}"
    # Every operation of the schema is listed, POST /tasks/ping among them.
    schema = page.request.get(f"{api_server}/openapi.json").json()
    operations = sum(len(methods) for methods in schema["paths"].values())
    ping = page.locator(".opblock-post").filter(has=page.locator('[data-path="/tasks/ping"]'))
    expect(ping).to_have_count(1)
    expect(page.locator(".opblock")).to_have_count(operations)
    assert errors == [], f"errors in /docs: {errors}"
    # Try it out: the call goes to the API under the page's policy (401: no token given).
    ping.locator(".opblock-summary").click()
    ping.get_by_role("button", name="Try it out").click()
    ping.get_by_role("button", name="Execute").click()
    expect(ping.locator(".live-responses-table .response .response-col_status")).to_have_text("401")
    page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "30-api-docs.png", animations="disabled")
    assert elsewhere == [], f"/docs asked other hosts: {elsewhere}"
    assert f"{origin}/docs/assets/swagger-ui-bundle.js" in asked, asked
    assert [error for error in errors if "status of 401" not in error] == [], errors


def _write_without_account(path: Path) -> None:
    """A statement that prints no account number (the parser then says what it guessed)."""
    import dataclasses

    spec, scenario = statement_pdfs._CATALOGUE["northgate_uk"]
    spec = dataclasses.replace(spec, account_template="Private and confidential{number}", account_number="")
    drafts = statement_pdfs.generate_transactions(scenario, scenario.transaction_count)
    statement_pdfs.render_statement(path, "northgate_uk", spec, scenario, drafts)


def _write_locked(path: Path) -> None:
    """A PDF that opens only with a password."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Statement of account")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.output(str(path))


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


# --- The pages' audit (reports, statements, filters, schedules) ---------------------------


def _signed_up(browser: Any, api_server: str, email: str) -> tuple[Any, Any, list[str]]:
    """A new user signed up in a fresh page; the page, its context and its errors."""

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_up(page, api_server, email)
    return page, context, errors


def _seeded_statements(user_id: int) -> tuple[int, int]:
    """Two statements: one of 17 months (Aug 2015 to Dec 2016) uploaded as "old-account.pdf",
    one of a single month whose file name is not known."""
    from sqlalchemy import update

    from backend.db import get_engine
    from backend.models import Statement
    from tests.support.seed import seed_statement

    long_rows = [(f"{2015 + (8 + n - 1) // 12}-{(8 + n - 1) % 12 + 1:02d}-10", f"SHOP {n}", "-12.50")
                 for n in range(17)]
    older = seed_statement(user_id, long_rows)
    newer = seed_statement(user_id, [("2024-03-05", "CAFE", "-4.20"), ("2024-03-06", "SALARY", "900.00")])
    with get_engine().begin() as conn:
        conn.execute(update(Statement).where(Statement.id == older).values(filename="old-account.pdf"))
    return older, newer


def test_reports_show_every_month_with_its_year_and_say_when_the_currency_is_unknown(
    api_server: str, browser: Any
) -> None:
    """The audit: the months chart kept the last 12 months without saying so; "Aug 15" read
    as a day; spending of statements in different currencies was added up unsaid; a From
    date after the To date replaced the page with "Something went wrong — Date_from…"."""
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    page, _, errors = _signed_up(browser, api_server, "cleo@example.com")
    user_id = page.request.get(f"{api_server}/auth/me").json()["id"]
    older, _ = _seeded_statements(user_id)

    page.goto(f"{api_server}/#/reports")
    chart = page.get_by_test_id("months-chart")
    expect(chart.get_by_test_id("months-span")).to_contain_text("18 months")
    expect(chart.get_by_test_id("months-span")).to_contain_text("2015")
    expect(chart.get_by_test_id("months-span")).to_contain_text("2024")
    # Every month is drawn, the oldest too, each with its four-digit year.
    labels = chart.locator("svg desc").text_content() or ""
    assert labels.count(": in ") == 18 and "2015" in labels, labels
    month = page.evaluate("""async () => (await import("/web/js/ui.js")).formatMonth("2015-08")""")
    assert month.endswith("2015"), month
    # More months than fit: the box scrolls sideways and opens at the newest.
    box = chart.get_by_test_id("months-scroll")
    assert box.evaluate("(el) => el.scrollWidth > el.clientWidth")
    page.wait_for_function("""() => {
        const el = document.querySelector('[data-testid="months-scroll"]');
        return el.scrollLeft > 0 && el.scrollLeft + el.clientWidth >= el.scrollWidth - 1;
    }""")
    expect(chart).to_contain_text("scroll sideways")
    # Neither statement shows its currency: one group, its amounts as printed, and said so
    # (statements of several currencies: test_reports_keep_each_currency_apart).
    expect(page.get_by_test_id("currency-unknown")).to_contain_text("do not show which currency")
    expect(page.get_by_test_id("currency-select")).to_have_count(0)
    page.goto(f"{api_server}/#/reports?statement={older}")
    expect(page.get_by_test_id("months-chart")).to_be_visible()
    expect(page.get_by_test_id("chart-currency").first).to_have_text(" · Currency not shown")
    # A phone: the wide chart scrolls within its card, the page does not.
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{api_server}/#/reports")
    expect(page.get_by_test_id("months-chart")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})

    # A reversed range: said next to the form, which keeps what was typed.
    page.get_by_role("textbox", name="From").fill("2024-02-01")
    page.get_by_role("textbox", name="To").fill("2024-01-01")
    page.get_by_role("button", name="Update charts").click()
    expect(page.get_by_test_id("filter-error")).to_have_text(
        "The start date (2024-02-01) must not be after the end date (2024-01-01)")
    expect(page.get_by_text("Something went wrong")).to_have_count(0)
    expect(page.get_by_role("textbox", name="From")).to_have_value("2024-02-01")
    expect(page.get_by_test_id("report-generate")).to_be_visible()
    assert errors == [], errors


def test_statements_show_their_file_and_can_be_deleted_and_filters_keep_the_page(
    api_server: str, browser: Any
) -> None:
    """The audit: statements printing no bank or account could not be told apart nor a wrong
    one deleted; a reversed date range on Transactions replaced the page; the schedule's
    When menu kept a preset's words over a typed cron expression."""
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    page, _, errors = _signed_up(browser, api_server, "dan@example.com")
    user_id = page.request.get(f"{api_server}/auth/me").json()["id"]
    older, newer = _seeded_statements(user_id)

    page.get_by_role("link", name="Statements", exact=True).click()
    rows = page.get_by_test_id("statement-row")
    expect(rows).to_have_count(2)
    named = rows.filter(has_text="old-account.pdf")
    expect(named.get_by_test_id("statement-filename")).to_have_text("old-account.pdf")
    assert page.request.get(f"{api_server}/statements/{older}").json()["filename"] == "old-account.pdf"

    # Delete asks first: dismissed, nothing goes; accepted, the statement and its
    # transactions go, and the page stays on the list.
    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    named.get_by_role("button", name=re.compile("^Delete")).click()
    expect(rows).to_have_count(2)
    assert questions and "old-account.pdf" in questions[0] and "17 transactions" in questions[0], questions
    page.once("dialog", lambda dialog: dialog.accept())
    named.get_by_role("button", name=re.compile("^Delete")).click()
    expect(rows).to_have_count(1)
    expect(page.locator("main h1")).to_have_text("Statements")
    assert page.request.get(f"{api_server}/statements/{older}").status == 404
    assert page.request.get(f"{api_server}/transactions").json()["total"] == 2
    assert [item["id"] for item in page.request.get(f"{api_server}/statements").json()["items"]] == [newer]

    # Transactions: a reversed range is said next to the filters, which keep their values.
    page.get_by_role("link", name="Transactions", exact=True).click()
    expect(page.get_by_test_id("transaction-row")).to_have_count(2)
    page.get_by_label("From").fill("2024-03-06")
    page.get_by_label("To").fill("2024-03-05")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_test_id("filter-error")).to_have_text(
        "The start date (2024-03-06) must not be after the end date (2024-03-05)")
    expect(page.get_by_text("Something went wrong")).to_have_count(0)
    expect(page.get_by_label("From")).to_have_value("2024-03-06")
    expect(page.get_by_label("To")).to_have_value("2024-03-05")
    page.get_by_label("From").fill("2024-03-01")
    page.get_by_label("To").fill("2024-03-31")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_test_id("transaction-row")).to_have_count(2)
    expect(page.get_by_test_id("filter-error")).to_be_empty()

    # Schedules: the When menu follows the expression typed.
    page.get_by_role("link", name="Schedules", exact=True).click()
    when = page.get_by_label("When")
    expect(when).to_have_value("0 6 * * 1")
    page.get_by_test_id("schedule-cron").fill("15 3 * * 2")
    expect(when).to_have_value("")
    assert when.evaluate("(el) => el.selectedOptions[0].textContent") == "Custom cron expression…"
    page.get_by_test_id("schedule-cron").fill("0 7 * * *")
    expect(when).to_have_value("0 7 * * *")
    assert errors == [], errors


def test_reports_keep_each_currency_apart_and_amounts_show_their_currency(
    api_server: str, browser: Any
) -> None:
    """Statements in euros and in Canadian dollars: the Reports page shows each currency's
    figures on their own, labelled with it (at first the one with the most transactions),
    never one figure adding both; Statements and Transactions show the currency too."""
    from playwright.sync_api import expect

    from tests.support.seed import seed_statement

    expect.set_options(timeout=20_000)
    page, _, errors = _signed_up(browser, api_server, "erin@example.com")
    user_id = page.request.get(f"{api_server}/auth/me").json()["id"]
    seed_statement(user_id, [
        ("2024-01-10", "CAFE PARIS", "-7.00"), ("2024-01-12", "BOULANGERIE", "-3.50"),
        ("2024-01-31", "PAIE", "100.00"),
    ], currency="EUR")
    seed_statement(user_id, [("2024-01-11", "TIM HORTONS", "-4.00")], currency="CAD")
    # The figures as the page formats them (the browser's locale): each with its currency.
    euros, dollars, summed, plain = page.evaluate("""async () => {
        const { formatMoney } = await import("/web/js/ui.js");
        return [formatMoney("10.50", "EUR"), formatMoney("4.00", "CAD"), formatMoney("14.50"),
                formatMoney("4.00", null)];
    }""")
    assert "€" in euros and euros != dollars and "$" in dollars, (euros, dollars)
    assert not re.search(r"[^\d.,\s-]", plain), plain  # unknown: a plain number, no sign

    page.goto(f"{api_server}/#/reports")
    menu = page.get_by_test_id("currency-select")
    expect(menu).to_have_value("EUR")  # 3 transactions in euros, 1 in dollars
    expect(menu.locator("option")).to_have_text(["CAD · 1 transaction", "EUR · 3 transactions"])
    spending = page.get_by_test_id("spending-chart")
    expect(page.get_by_test_id("chart-currency").first).to_have_text(" · EUR")
    expect(spending.locator("svg desc")).to_have_text(f"Uncategorized: {euros}")
    expect(page.get_by_test_id("months-chart").locator("svg desc")).to_contain_text(euros)
    page.get_by_label("Currency").select_option("CAD")
    expect(page.get_by_test_id("chart-currency").first).to_have_text(" · CAD")
    expect(spending.locator("svg desc")).to_have_text(f"Uncategorized: {dollars}")
    # Never the two added up, anywhere on the page, and no note saying they might be.
    body = page.locator("main").inner_text()
    assert summed not in body and "14.5" not in body, body
    expect(page.get_by_test_id("currency-note")).to_have_count(0)
    # Asked for in the address: that currency first.
    page.goto(f"{api_server}/#/reports?currency=CAD")
    expect(page.get_by_test_id("currency-select")).to_have_value("CAD")

    page.get_by_role("link", name="Statements", exact=True).click()
    expect(page.get_by_test_id("statement-currency")).to_have_count(2)
    assert sorted(page.get_by_test_id("statement-currency").all_inner_texts()) == ["CAD", "EUR"]
    page.get_by_role("link", name="Transactions", exact=True).click()
    rows = page.get_by_test_id("transaction-row")
    expect(rows).to_have_count(4)
    expect(rows.filter(has_text="TIM HORTONS").get_by_test_id("transaction-amount")).to_have_text(
        page.evaluate("""async () => (await import("/web/js/ui.js")).formatMoney("-4.00", "CAD")"""))
    expect(rows.filter(has_text="CAFE PARIS").get_by_test_id("transaction-amount")).to_have_text(
        page.evaluate("""async () => (await import("/web/js/ui.js")).formatMoney("-7.00", "EUR")"""))
    assert errors == [], errors
