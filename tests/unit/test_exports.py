"""Export writers, each read back with a real parser: csv, json, ofxtools, quiffen."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from ofxtools.Parser import OFXTree
from quiffen import Qif

from backend.services.exports import (
    ExportRow,
    OfxAccount,
    formula_safe,
    masked_account_id,
    write_csv,
    write_json,
    write_ofx,
    write_qif,
)

# Who set each category: a rule, the user, nobody (no category), the user again.
ROWS = [
    ExportRow(
        11, 7, 0, date(2026, 3, 1), '=HYPERLINK("http://x")', Decimal("-12.50"), Decimal("987.50"), "+sum",
        "rule",
    ),
    ExportRow(
        12, 7, 1, date(2026, 3, 2), "Café Müller & Söhne — Zürich", Decimal("2500.00"), None, "Gehalt",
        "manual",
    ),
    ExportRow(13, 7, 2, date(2026, 3, 31), "A" * 40 + "\x01 tail\nline", Decimal("0.00"), None, None, None),
    ExportRow(14, 7, 3, date(2026, 3, 31), "-@ fee", Decimal("-0.05"), Decimal("3487.45"), "@cat", "manual"),
]
ACCOUNT = OfxAccount(7, "ab" * 32, "Northgate Bank", "1234", date(2026, 3, 1), date(2026, 3, 31),
                     Decimal("3487.45"))
NOW = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)


def test_formula_safe_prefixes_every_dangerous_start():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert formula_safe(text) == "'" + text
    assert formula_safe("Groceries") == "Groceries"
    assert formula_safe("") == ""


def test_csv_reads_back_with_formula_safe_text_and_plain_amounts():
    text = "".join(write_csv(ROWS))
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["id"] for r in rows] == ["11", "12", "13", "14"]
    assert rows[0]["description"] == "'" + ROWS[0].description
    assert rows[0]["category"] == "'+sum"
    assert rows[3]["description"] == "'-@ fee" and rows[3]["category"] == "'@cat"
    assert rows[1]["description"] == "Café Müller & Söhne — Zürich"
    assert [r["amount"] for r in rows] == ["-12.50", "2500.00", "0.00", "-0.05"]
    assert [r["balance"] for r in rows] == ["987.50", "", "", "3487.45"]
    assert rows[2]["description"] == ROWS[2].description  # a line break stays inside its cell
    assert [r["category_source"] for r in rows] == ["rule", "manual", "", "manual"]
    assert [r["date"] for r in rows] == ["2026-03-01", "2026-03-02", "2026-03-31", "2026-03-31"]


def test_csv_category_source_is_formula_safe_like_every_text_cell():
    # The database holds only rule or manual; the writer must not trust that.
    row = ExportRow(1, 7, 0, date(2026, 3, 1), "x", Decimal("1.00"), None, "c", "=cmd")
    (got,) = csv.DictReader(io.StringIO("".join(write_csv([row])), newline=""))
    assert got["category_source"] == "'=cmd"


def test_csv_of_nothing_is_the_header():
    assert "".join(write_csv([])) == (
        "id,statement_id,date,description,amount,balance,category,category_source\r\n"
    )


def test_json_keeps_ids_text_and_money_as_strings():
    data = json.loads("".join(write_json(ROWS)))
    items = data["transactions"]
    assert [i["id"] for i in items] == [11, 12, 13, 14]
    assert items[0] == {
        "id": 11, "statement_id": 7, "date": "2026-03-01", "description": ROWS[0].description,
        "amount": "-12.50", "balance": "987.50", "category": "+sum", "category_source": "rule",
    }
    assert list(items[0]) == [  # category_source right after category, as in the CSV
        "id", "statement_id", "date", "description", "amount", "balance", "category", "category_source",
    ]
    assert [i["category_source"] for i in items] == ["rule", "manual", None, "manual"]
    assert items[1]["description"] == "Café Müller & Söhne — Zürich"
    assert items[1]["balance"] is None and items[2]["category"] is None
    assert json.loads("".join(write_json([]))) == {"transactions": []}


def test_qif_reads_back_with_quiffen(tmp_path):
    path = tmp_path / "export.qif"
    path.write_text("".join(write_qif(ROWS)), encoding="utf-8")
    qif = Qif.parse(path, day_first=False)
    transactions = next(iter(qif.accounts.values())).transactions["Bank"]
    assert [t.date.date() for t in transactions] == [r.date for r in ROWS]
    assert [t.amount for t in transactions] == [r.amount for r in ROWS]
    assert [t.payee for t in transactions] == [
        ROWS[0].description, ROWS[1].description, "A" * 40 + "\x01 tail line", "-@ fee",
    ]
    assert [t.category.name if t.category else None for t in transactions] == [
        "+sum", "Gehalt", None, "@cat",
    ]


def test_qif_dates_are_iso_year_first():
    text = "".join(write_qif(ROWS[:1]))
    assert text.splitlines()[:4] == ["!Type:Bank", "D2026-03-01", "T-12.50", f"P{ROWS[0].description}"]


def parse_ofx(text: str):
    tree = OFXTree()
    tree.parse(io.BytesIO(text.encode("utf-8")))
    return tree.convert()


def test_ofx_reads_back_with_ofxtools():
    text = "".join(write_ofx(ROWS, {7: ACCOUNT}, NOW))
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"')
    assert 'VERSION="220"' in text.splitlines()[1]
    ofx = parse_ofx(text)
    assert ofx.signonmsgsrsv1.sonrs.fi.org == "Northgate Bank"
    (statement,) = ofx.statements
    assert statement.curdef == "USD"
    assert statement.account.acctid == "XXXX1234" == masked_account_id("1234")
    assert statement.banktranlist.dtstart.date() == date(2026, 3, 1)
    assert statement.banktranlist.dtend.date() == date(2026, 3, 31)
    assert statement.ledgerbal.balamt == Decimal("3487.45")
    got = statement.banktranlist
    assert [t.dtposted.date() for t in got] == [r.date for r in ROWS]
    assert [t.trnamt for t in got] == [r.amount for r in ROWS]
    assert [t.trntype for t in got] == ["DEBIT", "CREDIT", "OTHER", "DEBIT"]
    assert [t.name for t in got] == [
        ROWS[0].description, ROWS[1].description, "A" * 32, "-@ fee",
    ]
    # Longer descriptions go whole to MEMO; a control character XML cannot carry and a
    # line break are spaces.
    assert got[2].memo == "A" * 40 + "  tail line"
    assert got[1].name == "Café Müller & Söhne — Zürich"
    fitids = [t.fitid for t in got]
    assert len(set(fitids)) == 4
    again = parse_ofx("".join(write_ofx(ROWS, {7: ACCOUNT}, NOW))).statements[0]
    assert fitids == [t.fitid for t in again.banktranlist]


def test_ofx_has_one_statement_per_account_and_survives_no_rows():
    other = OfxAccount(8, "cd" * 32, None, None, date(2026, 4, 1), date(2026, 4, 30), None)
    rows = [*ROWS[:2], ExportRow(20, 8, 0, date(2026, 4, 2), "Rent", Decimal("-900.00"), None, None, None)]
    ofx = parse_ofx("".join(write_ofx(rows, {7: ACCOUNT, 8: other}, NOW)))
    assert [s.account.acctid for s in ofx.statements] == ["XXXX1234", "XXXXUNKNOWN"]
    assert [len(s.banktranlist) for s in ofx.statements] == [2, 1]
    assert ofx.statements[1].ledgerbal.balamt == Decimal("0.00")
    empty = parse_ofx("".join(write_ofx([], {}, NOW)))
    assert empty.signonmsgsrsv1.sonrs.status.code == 0


def test_ofx_reads_back_with_libofx_as_gnucash_imports_it(tmp_path):
    """GnuCash imports OFX through libofx; its ofxdump prints what GnuCash would get."""
    ofxdump = shutil.which("ofxdump")
    if ofxdump is None:
        pytest.skip("ofxdump not installed (Debian package 'ofx', libofx's tools)")
    path = tmp_path / "export.ofx"
    path.write_text("".join(write_ofx(ROWS, {7: ACCOUNT}, NOW)), encoding="utf-8")
    dump = subprocess.run([ofxdump, str(path)], capture_output=True, text=True, check=True, timeout=60)
    fields = [line.strip().partition(": ") for line in dump.stdout.splitlines()]
    values = {}
    for name, _, value in fields:
        values.setdefault(name, []).append(value)
    assert values["Total money amount"] == ["-12.50", "2500.00", "0.00", "-0.05"]
    assert values["Financial institution's ID for this transaction"] == [
        f"{'ab' * 8}-{position}" for position in range(4)
    ]
    assert values["Name of payee or transaction description"] == [
        ROWS[0].description, ROWS[1].description, "A" * 32, "-@ fee",
    ]
    assert values["Extra transaction information (memo)"] == ["A" * 40 + "  tail line"]
    assert values["Date posted"][0] == "Sun Mar  1 12:00:00 2026 UTC"
    assert values["Ledger balance"] == ["3487.45"]
    assert set(values["Account ID"]) == {"000000000  XXXX1234"}


def test_ofx_names_each_statements_currency_and_the_setting_where_unknown():
    """A Canadian statement is CAD in OFX; one whose currency is unknown says OFX_CURRENCY."""
    canadian = OfxAccount(8, "cd" * 32, None, "9876", date(2026, 4, 1), date(2026, 4, 30), None, "CAD")
    rows = [*ROWS[:2], ExportRow(20, 8, 0, date(2026, 4, 2), "Rent", Decimal("-900.00"), None, None, None)]
    ofx = parse_ofx("".join(write_ofx(rows, {7: ACCOUNT, 8: canadian}, NOW)))
    assert [s.curdef for s in ofx.statements] == ["USD", "CAD"]
