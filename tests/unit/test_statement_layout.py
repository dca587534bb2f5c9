"""Pure helpers of the statement parser: lines, header columns, row wording, metadata."""

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from backend.services.document_text.dates import RawDate
from backend.services.document_text.layout import Line, PageWordReader, Word, group_lines, stack
from backend.services.document_text.money import parse_amount
from backend.services.statements.bank_name import bank_slug
from backend.services.statements.columns import (
    AMOUNT,
    BALANCE,
    CREDIT,
    DATE,
    DEBIT,
    DESCRIPTION,
    OTHER,
    POSTING_DATE,
    SIDE,
    VALUE_DATE,
    ColumnLayout,
    classify_label,
    detect_header,
    is_balance_grid_header,
)
from backend.services.statements.keywords import (
    RowKind,
    is_card_note,
    is_foreign_currency_note,
    is_pending_heading,
    is_posted_heading,
    is_reference_note,
    is_value_date_note,
    row_kind,
    section_sign,
)
from backend.services.statements.metadata import (
    find_account_last4,
    find_balances,
    find_period,
    looks_like_card_statement,
)
from backend.services.statements.rows import TableReader, _find_header


def word(text: str, x0: float, top: float = 100.0, width: float | None = None) -> Word:
    return Word(text, x0, x0 + (width if width is not None else 5.0 * len(text)), top, top + 9.0)


def line(*words: Word) -> Line:
    return group_lines(words)[0]


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Date", DATE),
        ("TRANSACTION DATE", DATE),
        ("Vr.Date", DATE),
        ("Value date", VALUE_DATE),
        ("Particulars", DESCRIPTION),
        ("Transaction details", DESCRIPTION),
        ("Narrative", DESCRIPTION),
        ("Paid out", DEBIT),
        ("Money out (£)", DEBIT),
        ("£Out", DEBIT),  # a currency sign glued to a three-letter side is no currency code
        ("Withdrawals", DEBIT),
        ("Withdrawn(£)", DEBIT),
        ("Dr.Amt", DEBIT),
        ("Paid in", CREDIT),
        ("Deposits", CREDIT),
        ("Incoming", CREDIT),  # Wise
        ("Outgoing", DEBIT),
        ("Cr.Amt", CREDIT),
        ("AMOUNT (SGD)", AMOUNT),
        ("Amount in EUR", AMOUNT),
        ("Balance", BALANCE),
        ("Bu.Tag", DATE),
        ("Bu-Tag", DATE),
        ("Buchung", DATE),
        ("Date opération", DATE),
        ("Fecha", DATE),
        ("Wert", VALUE_DATE),
        ("Date valeur", VALUE_DATE),
        ("Post Date", POSTING_DATE),
        ("Trans Date", DATE),
        ("Description of Transactions", DESCRIPTION),
        ("Payment type and details", DESCRIPTION),
        ("Buchungstext", DESCRIPTION),
        ("Libellé", DESCRIPTION),
        ("Opération", DESCRIPTION),
        ("Omschrijving", DESCRIPTION),
        ("Belastung in EUR", DEBIT),
        ("Soll", DEBIT),
        ("Débit euros", DEBIT),
        ("Gutschrift in EUR", CREDIT),
        ("Haben", CREDIT),
        ("Verbuchungsdatum", DATE),
        ("Data contabile", DATE),
        ("Dare", DEBIT),
        ("Avere", CREDIT),
        ("Crédit euros", CREDIT),
        ("Betrag", AMOUNT),
        ("Montant", AMOUNT),
        ("Saldo", BALANCE),
        ("Solde", BALANCE),
        ("Narration", DESCRIPTION),  # HDFC
        ("Closing Balance", BALANCE),
        ("STATEMENT BALANCE", BALANCE),  # Maybank's, under "BAKI PENYATA"
        ("Cheques & Debits ($)", DEBIT),  # RBC: two kinds of money out under one label
        ("Deposits & Credits ($)", CREDIT),
        ("Withdrawals and Debits", DEBIT),
        ("Date and Description", OTHER),  # two roles: no one column
        ("Fees & Charges", OTHER),
        ("Dato", DATE),  # Danish (Danske Bank)
        ("Tekst", DESCRIPTION),
        ("Rentedato", VALUE_DATE),
        ("Forklaring", DESCRIPTION),  # Norwegian (DNB): money out before money in
        ("Ut fra konto", DEBIT),
        ("Inn på konto", CREDIT),
        ("Remarks", DESCRIPTION),  # GTBank: the description right of the balance, a Reference beside it
        ("Reference", OTHER),
        ("Beløb", AMOUNT),
        ("Erläuterung", DESCRIPTION),  # Sparkasse
        ("Betrag Soll EUR", DEBIT),  # an amount label, then its side
        ("Betrag Haben EUR", CREDIT),
        ("Amount Debit", DEBIT),
        ("Betrag Wert", OTHER),
        ("Value Dt", VALUE_DATE),
        ("FECHA OPER", DATE),  # BBVA México: the operation date, over "LIQ" (settlement)
        ("COD. DESCRIPCIÓN", DESCRIPTION),
        ("SALDO OPERACIÓN", BALANCE),
        ("Data operacji", DATE),  # PKO BP
        ("Typ transakcji", DESCRIPTION),
        ("Kwota", AMOUNT),
        ("Saldo po transakcji", BALANCE),
        ("Opis transakcji", DESCRIPTION),
        ("Dt. balancete", DATE),  # Banco do Brasil
        ("Histórico", DESCRIPTION),
        ("Valor R$", AMOUNT),  # a label naming a currency heads money...
        ("Valor", VALUE_DATE),  # ...where "Valor" alone (Spanish) heads the value dates
        ("Tarih", DATE),  # Turkish (Ziraat); dotless ı lowers to no i of its own
        ("Açıklama", DESCRIPTION),
        ("AÇIKLAMA", DESCRIPTION),
        ("İşlem Tarihi", DATE),
        ("Borç", DEBIT),
        ("Alacak", CREDIT),
        ("Bakiye", BALANCE),
        ("Saat", OTHER),
        ("Gross", AMOUNT),
        ("Posting", POSTING_DATE),  # Emirates NBD: its posting date, named without the word "date"
        ("Value", OTHER),  # its value date there, but a holding's value elsewhere: no date
        ("Bokförd", DATE),  # Swedish (SEB)
        ("Valutadag", VALUE_DATE),
        ("Text/mottagare", DESCRIPTION),
        ("Belopp", AMOUNT),
        ("TANGGAL", DATE),  # Indonesian (BCA)
        ("KETERANGAN", DESCRIPTION),
        ("MUTASI", AMOUNT),
        ("CBG", OTHER),  # the branch
        ("Chq/Ref No.", OTHER),
        ("Type", OTHER),
        ("STATEMENT DATE", OTHER),
        ("TOTAL CREDIT LIMIT", OTHER),
        ("Könyvelés", DATE),  # Hungarian (OTP): the booking date
        ("Értéknap", VALUE_DATE),
        ("Megnevezés", DESCRIPTION),
        ("Összeg", AMOUNT),
        ("Egyenleg", BALANCE),
        ("Kirjauspäivä", DATE),  # Finnish (Nordea): the booking date
        ("Arvopäivä", VALUE_DATE),
        ("Tapahtuma", DESCRIPTION),
        ("Määrä EUR", AMOUNT),
        ("lançamentos", DESCRIPTION),  # Portuguese (Itaú), lower case
        ("Lançamento", DESCRIPTION),
        ("Movimentação", DESCRIPTION),
        ("Descrição", DESCRIPTION),
        ("Movimientos", DESCRIPTION),  # Spanish
        ("Detalle", DESCRIPTION),
        ("Dr/Cr", SIDE),  # a column of markers saying the side of the amount beside it (Kotak)
        ("DR / CR", SIDE),
        ("Cr/Dr", SIDE),
        ("D/C", SIDE),
        ("Debit/Credit", SIDE),
        ("Datum", DATE),  # Czech (Česká spořitelna)
        ("Datum zaúčtování", POSTING_DATE),
        ("Datum valuty", VALUE_DATE),
        ("Popis transakce", DESCRIPTION),
        ("Popis", DESCRIPTION),
        ("Protistrana", DESCRIPTION),
        ("Zpráva pro příjemce", DESCRIPTION),
        ("Částka", AMOUNT),
        ("Zůstatek", BALANCE),
    ],
)
def test_classify_label(label: str, role: str) -> None:
    assert classify_label(label) == role


def test_header_needs_date_and_money_columns() -> None:
    header = line(word("Date", 50), word("Description", 120), word("Amount", 400), word("Balance", 480))
    columns = detect_header(header)
    assert columns is not None and [c.role for c in columns] == [DATE, DESCRIPTION, AMOUNT, BALANCE]
    summary = line(
        word("STATEMENT", 50), word("DATE", 100), word("TOTAL", 200), word("CREDIT", 235), word("LIMIT", 270)
    )
    assert detect_header(summary) is None
    assert detect_header(line(word("Date", 50), word("Description", 120))) is None


def test_a_header_naming_no_money_column_heads_the_amounts_printed_right_of_it() -> None:
    """A Volksbank prints "Bu-Tag  Wert  Vorgang" over rows whose amounts stand right-aligned far
    right, with an S/H suffix: the dated lines under it that end in an amount give that column."""
    header = line(word("Bu-Tag", 40), word("Wert", 85), word("Vorgang", 130))
    rows = [
        line(word("29.12.", 40, top=top), word("29.12.", 85, top=top), word("Miete", 130, top=top),
             word(figure, 545 - 5 * len(figure) - 10, top=top), word(side, 540, top=top))
        for top, figure, side in ((120, "890,00", "S"), (140, "3.250,00", "H"))
    ]  # fmt: skip
    columns = detect_header(header, rows)
    assert columns is not None and [c.role for c in columns] == [DATE, OTHER, DESCRIPTION, AMOUNT]
    assert columns[-1].x0 == 495 and columns[-1].x1 == 545
    assert detect_header(header) is None  # nothing under it: no table
    assert detect_header(header, rows[:1]) is None  # one amount is no column


def test_multi_word_labels_and_extra_columns() -> None:
    header = line(
        word("Date", 50),
        word("Value", 100),
        word("date", 128),
        word("Narrative", 170),
        word("Money", 380),
        word("out", 408),
        word("Money", 450),
        word("in", 478),
    )
    columns = detect_header(header)
    assert columns is not None
    assert [c.role for c in columns] == [DATE, OTHER, DESCRIPTION, DEBIT, CREDIT]


def test_transaction_date_wins_over_posting_date_and_unnamed_label_is_the_description() -> None:
    header = line(
        word("Post", 50), word("Date", 72), word("Bu.Tag", 120), word("Wert", 170), word("Wir", 220),
        word("haben", 238), word("gebucht", 266), word("Belastung", 400), word("Gutschrift", 480),
    )  # fmt: skip
    columns = detect_header(header)
    assert columns is not None
    assert [c.role for c in columns] == [OTHER, DATE, OTHER, DESCRIPTION, DEBIT, CREDIT]


def test_a_header_labelling_no_date_takes_it_from_the_row_under_it() -> None:
    """Amex: "Detail" heads both the date and the description ("*Indicates posting date" is
    a footnote's label, or nothing), and the first row starts with its date."""
    for note in ([word("*Indicates", 113, width=31), word("posting", 145), word("date", 170)], []):
        header = line(word("Detail", 43), *note, word("Amount", 534))
        row = line(word("01/05/24*", 43, 110), word("ONLINE", 113, 110), word("-$845.20", 533, 110))
        assert detect_header(header) is None
        layout = ColumnLayout(detect_header(header, [row]) or [])
        assert [c.role for c in layout.columns] == [DATE, DESCRIPTION, AMOUNT]
        assert layout.split(row).texts == {DATE: ["01/05/24*"], DESCRIPTION: ["ONLINE"], AMOUNT: ["-$845.20"]}
    # a line under it that starts with no date, or prints no amount, gives no date column
    undated = line(word("ONLINE", 113, 110), word("-$845.20", 533, 110))
    assert detect_header(line(word("Detail", 43), word("Amount", 534)), [undated]) is None
    no_amount = line(word("01/05/24", 43, 110), word("ONLINE", 113, 110))
    assert detect_header(line(word("Detail", 43), word("Amount", 534)), [no_amount]) is None


def _small(text: str, x0: float, top: float) -> Word:
    """A word in a smaller type than :func:`word`'s (a row's detail line)."""
    return Word(text, x0, x0 + 4.0 * len(text), top, top + 7.0)


def _dated_under() -> list[Line]:
    """Wise: "Description  Incoming  Outgoing  Amount" over rows printing their amounts on the
    description's line and their date on a smaller line under it, references after the date."""
    return [
        line(word("Description", 43), word("Incoming", 384), word("Outgoing", 446), word("Amount", 520)),
        line(word("Cash", 43, 120), word("withdrawal", 70, 120), word("-100.00", 452, 120),
             word("2,945.25", 515, 120)),
        line(_small("27", 43, 131), _small("January", 53, 131), _small("2024", 83, 131),
             _small("Transaction:", 128, 131), _small("CARD-1201187456", 180, 131)),
        line(word("Received", 43, 150), word("money", 88, 150), word("from", 120, 150),
             word("Acme", 143, 150), word("1,500.00", 385, 150), word("3,045.25", 515, 150)),
        line(word("with", 43, 160), word("reference", 70, 160), word("INV-1", 120, 160)),
        line(_small("5", 43, 171), _small("January", 49, 171), _small("2024", 79, 171),
             _small("Transaction:", 128, 171), _small("TRANSFER-9021", 180, 171),
             _small("Reference:", 240, 171), _small("January", 282, 171), _small("rent", 312, 171)),
    ]  # fmt: skip


def test_a_header_labelling_no_date_takes_it_from_the_line_under_each_row() -> None:
    """Wise prints each row's date at the start of a smaller line under its description: the
    header's date column is that one, taking no word of a row's own line; the rest of the date's
    line (references, whatever their wording) is the row's detail, no description. Right of
    both sides, "Amount" is the running balance (the side columns hold the row's amount)."""
    lines = _dated_under()
    columns = detect_header(lines[0], lines[1:])
    assert columns is not None
    assert [(c.role, c.under_description) for c in columns] == [
        (DATE, True), (DESCRIPTION, False), (CREDIT, False), (DEBIT, False), (BALANCE, False)
    ]
    assert ColumnLayout(columns).split(lines[1]).texts == {
        DESCRIPTION: ["Cash", "withdrawal"], DEBIT: ["-100.00"], BALANCE: ["2,945.25"]
    }
    reader = TableReader()
    reader.read_page(0, lines)
    assert [(row.date_text, row.description, row.money) for row in reader.rows] == [
        ("27 January 2024", ["Cash withdrawal"], {DEBIT: "-100.00", BALANCE: "2,945.25"}),
        ("5 January 2024", ["Received money from Acme", "with reference INV-1"],
         {CREDIT: "1,500.00", BALANCE: "3,045.25"}),
    ]  # fmt: skip
    # without the dated line under the first row there is no date column, so no table
    assert detect_header(lines[0], [lines[1], lines[3]]) is None
    # a dated line printing an amount is a row of its own, no date under a row
    priced = line(_small("27", 43, 131), _small("January", 53, 131), _small("2024", 83, 131),
                  word("-5.00", 462, 131))  # fmt: skip
    assert detect_header(lines[0], [lines[1], priced]) is None


def test_an_unsided_amount_right_of_both_sides_is_the_running_balance() -> None:
    """Money in and money out hold each row's amount: a third money column printed after them,
    labelled only "Amount", is the balance (Wise); left of them, or beside a balance, it is not."""
    sides = [word("Date", 43), word("Description", 100), word("Incoming", 384), word("Outgoing", 446)]
    assert [c.role for c in detect_header(line(*sides, word("Amount", 520))) or []] == [
        DATE, DESCRIPTION, CREDIT, DEBIT, BALANCE
    ]
    before = line(word("Date", 43), word("Description", 100), word("Amount", 300), *sides[2:])
    assert [c.role for c in detect_header(before) or []] == [DATE, DESCRIPTION, AMOUNT, CREDIT, DEBIT]
    both = line(*sides, word("Amount", 500), word("Balance", 560))
    assert [c.role for c in detect_header(both) or []] == [DATE, DESCRIPTION, CREDIT, DEBIT, AMOUNT, BALANCE]


def test_a_fee_beside_the_amount_makes_the_net_column_the_amount() -> None:
    """PayPal's "DATE  DESCRIPTION  CURRENCY  AMOUNT  FEES  TOTAL": the gross amount less its fee
    is the net in TOTAL, the row's amount ("Gross  Fee  Net" alike); without a fee column, a
    "Total" label heads nothing read."""
    paypal = line(word("DATE", 43), word("DESCRIPTION", 108), word("CURRENCY", 323), word("AMOUNT", 410),
                  word("FEES", 472), word("TOTAL", 548))  # fmt: skip
    export = line(word("Date", 43), word("Description", 108), word("Gross", 410), word("Fee", 472),
                  word("Net", 548))  # fmt: skip
    assert [c.role for c in detect_header(paypal) or []] == [DATE, DESCRIPTION, OTHER, OTHER, OTHER, AMOUNT]
    assert [c.role for c in detect_header(export) or []] == [DATE, DESCRIPTION, OTHER, OTHER, AMOUNT]
    no_fee = line(word("Date", 43), word("Description", 108), word("Amount", 410), word("Total", 548))
    assert [c.role for c in detect_header(no_fee) or []] == [DATE, DESCRIPTION, AMOUNT, OTHER]
    row = line(word("01/06/2024", 43, 110), word("Payment", 108, 110), word("USD", 323, 110),
               word("250.00", 420, 110), word("-9.22", 484, 110), word("240.78", 556, 110))  # fmt: skip
    texts = ColumnLayout(detect_header(paypal) or []).split(row).texts
    assert texts[AMOUNT] == ["240.78"] and texts[DESCRIPTION] == ["Payment"]


def test_a_header_whose_date_label_is_danish_is_found() -> None:
    """Danske Bank's "Dato  Tekst  Rentedato  Beløb  Saldo" heads the table (the cheap test
    for a date label let "Dato" by only as "Rentedato")."""
    header = line(word("Dato", 43), word("Tekst", 96), word("Beløb", 452), word("Saldo", 532))
    row = line(word("18.12.23", 43, 115), word("Netto", 96, 115), word("-312,75", 447, 115),
               word("1.521,75", 522, 115))  # fmt: skip
    reader = TableReader()
    reader.read_page(0, [header, row])
    assert reader.found_table and [r.money for r in reader.rows] == [{AMOUNT: "-312,75", BALANCE: "1.521,75"}]


@pytest.mark.parametrize(
    ("labels", "row", "money"),
    [
        # SEB (Swedish)
        (("Bokförd", "Valutadag", "Text/mottagare", "Belopp", "Saldo"),
         ("2024-02-01", "2024-02-01", "AUTOGIRO", "-399,00", "13 573,85"),
         {AMOUNT: "-399,00", BALANCE: "13 573,85"}),
        # BCA (Indonesian): the branch code column names nothing the parser reads
        (("TANGGAL", "KETERANGAN", "CBG", "MUTASI", "SALDO"),
         ("03/01", "TARIKAN", "0123", "1,000,000.00 DB", "11,212,500.00"),
         {AMOUNT: "1,000,000.00 DB", BALANCE: "11,212,500.00"}),
    ],
)  # fmt: skip
def test_a_swedish_or_indonesian_header_is_found(
    labels: tuple[str, ...], row: tuple[str, ...], money: dict[str, str]
) -> None:
    xs = (43, 96, 170, 420, 500)
    header = line(*(word(label, x) for label, x in zip(labels, xs, strict=True)))
    cells = line(*(word(text, x, 115) for text, x in zip(row, xs, strict=True) if text))
    reader = TableReader()
    reader.read_page(0, [header, cells])
    assert reader.found_table and [r.money for r in reader.rows] == [money]


def test_rows_under_day_headings_take_the_heading_s_date() -> None:
    """bunq: no column header, rows grouped under "Tuesday 2 January 2024" printing a description
    and a signed amount only, a purchase abroad's amount and rate on a smaller line under it; a
    footer's "Page 1" is no row of that day."""
    def row(text: str, amount: str, top: float) -> Line:
        words = [word(piece, 60 + 40 * k, top) for k, piece in enumerate(text.split())]
        return line(*words, word(amount, 520, top, width=40))

    lines = [
        line(word("Tuesday", 43, 100), word("2", 80, 100), word("January", 90, 100), word("2024", 130, 100)),
        row("Albert Heijn 1432", "-€23.85", 115),
        row("NS Reizigers", "-€17.40", 127),
        line(word("Friday", 43, 145), word("5", 80, 145), word("January", 90, 145), word("2024", 130, 145)),
        row("ACME Salaris", "€3,184.26", 160),
        line(word("Monday", 43, 178), word("8", 80, 178), word("January", 90, 178), word("2024", 130, 178)),
        row("Steam Purchase", "-€54.70", 193),
        line(*(_small(text, x, 203) for text, x in (("USD", 60), ("59.99", 80), ("·", 108), ("1", 114),
                                                  ("EUR", 120), ("=", 140), ("1.0968", 148), ("USD", 178)))),
        row("Vattenfall", "-€142.00", 215),
        line(word("bunq", 43, 400), word("B.V.,", 70, 400), word("Amsterdam.", 100, 400),
             word("Page", 480, 400), word("1", 520, 400)),
    ]  # fmt: skip
    reader = TableReader()
    reader.read_page(0, lines)
    assert [(row.date_text, row.description_text, row.money) for row in reader.rows] == [
        ("Tuesday 2 January 2024", "Albert Heijn 1432", {AMOUNT: "-€23.85"}),
        ("Tuesday 2 January 2024", "NS Reizigers", {AMOUNT: "-€17.40"}),
        ("Friday 5 January 2024", "ACME Salaris", {AMOUNT: "€3,184.26"}),
        ("Monday 8 January 2024", "Steam Purchase", {AMOUNT: "-€54.70"}),
        ("Monday 8 January 2024", "Vattenfall", {AMOUNT: "-€142.00"}),
    ]
    assert [row.date for row in reader.rows][::2] == [RawDate(2, 1, 2024, True), RawDate(5, 1, 2024, True),
                                                    RawDate(8, 1, 2024, True)]  # fmt: skip
    # one date alone over lines of figures is as likely a statement date over its summary
    reader = TableReader()
    summary = (("Opening balance", "€1,642.18", 115), ("Money in", "€3,196.76", 127),
               ("Money out", "€1,505.94", 139), ("Closing balance", "€3,333.00", 151))  # fmt: skip
    dated = line(word("31", 43, 100), word("January", 60, 100), word("2024", 100, 100))
    reader.read_page(0, [dated, *(row(text, amount, top) for text, amount, top in summary)])
    assert not reader.found_table
    # without the headings, lines of a description and an amount are no table
    reader = TableReader()
    reader.read_page(0, [lines[1], lines[2], lines[4], lines[6], lines[8]])
    assert not reader.found_table


def test_a_date_column_after_the_amounts_reads_a_day_and_month_apart_by_a_space() -> None:
    """Standard Bank's "Details  Debits  Credits  Date  Balance": "01 02" under the Date header
    is the row's date; the same figures starting a line of a table without a header are not
    (two numbers there are as likely a reference as a date)."""
    header = line(word("Details", 43), word("Debits", 330), word("Credits", 390), word("Date", 430),
                  word("Balance", 500))  # fmt: skip
    row = line(word("POS", 43, 115), word("PURCHASE", 65, 115), word("312.45-", 330, 115),
               word("01", 430, 115), word("02", 443, 115), word("6,108.10", 500, 115))  # fmt: skip
    reader = TableReader()
    reader.read_page(0, [header, row])
    assert [(r.date_text, r.description_text, r.money) for r in reader.rows] == [
        ("01 02", "POS PURCHASE", {DEBIT: "312.45-", BALANCE: "6,108.10"})
    ]
    unheaded = [
        line(word("01", 43, top), word("02", 56, top), word("COFFEE", 96, top), word("4.50", 400, top))
        for top in (115.0, 125.0, 135.0, 145.0)
    ]
    reader = TableReader()
    reader.read_page(0, unheaded)
    assert not reader.found_table and reader.rows == []


def test_a_run_beside_the_description_in_a_smaller_type_is_no_part_of_it() -> None:
    """Discover prints each purchase's merchant category ("Supermarkets") right of its
    description, apart and smaller: a note of the row. A run apart in the description's own
    type is part of it (a merchant's city printed in a field of its own)."""
    header = line(word("Date", 43), word("Description", 96), word("Amount", 480))
    layout = ColumnLayout(detect_header(header) or [])
    small = [Word("Supermarkets", 330.0, 372.0, 116.0, 123.5)]
    row = line(word("12/29", 43, 115), word("KROGER", 96, 115), word("#0456", 133, 115), *small,
               word("112.48", 480, 115))  # fmt: skip
    assert layout.split(row).texts[DESCRIPTION] == ["KROGER", "#0456"]
    same = line(word("12/29", 43, 115), word("KROGER", 96, 115), word("COLUMBUS", 330, 115),
                word("112.48", 480, 115))  # fmt: skip
    assert layout.split(same).texts[DESCRIPTION] == ["KROGER", "COLUMBUS"]


def test_a_table_printing_section_headings_reads_the_next_one_as_a_heading() -> None:
    """Discover's "PAYMENTS AND CREDITS", a payment with its sign printed, then "PURCHASES" a
    line under it: where the table has printed a section heading, a line reading as one is the
    next section's heading, not the payment's description wrapped."""
    lines = [
        line(word("Date", 43, 100), word("Description", 96, 100), word("Amount", 480, 100)),
        line(word("PAYMENTS", 96, 120), word("AND", 140, 120), word("CREDITS", 160, 120)),
        line(word("01/09", 43, 135), word("INTERNET", 96, 135), word("PAYMENT", 140, 135),
             word("-842.16", 480, 135)),  # fmt: skip
        line(word("PURCHASES", 96, 150)),
        line(word("12/29", 43, 165), word("KROGER", 96, 165), word("112.48", 480, 165)),
    ]
    reader = TableReader()
    reader.read_page(0, lines)
    assert [(r.description_text, r.section) for r in reader.rows] == [("INTERNET PAYMENT", 1), ("KROGER", -1)]


def test_a_header_naming_its_dates_posting_and_value_is_found_with_no_row_under_it() -> None:
    """Emirates NBD's "Posting  Value  Description  Debit  Credit  Balance", over an opening
    balance line (or printed as a page's last line): the posting date is the row's date."""
    labels = ("Posting", "Value", "Description", "Debit", "Credit", "Balance")
    header = line(*(word(label, x) for label, x in zip(labels, (43, 96, 150, 420, 480, 560), strict=True)))
    opening = line(word("Opening", 150, 115), word("Balance", 190, 115), word("18,250.40", 540, 115))
    roles = [c.role for c in detect_header(header, [opening]) or []]
    assert roles == [DATE, OTHER, DESCRIPTION, DEBIT, CREDIT, BALANCE]
    assert _find_header([header], 0) is not None


def _dated_list(rights: tuple[float, ...] = (500.0, 500.0, 500.0)) -> list[Line]:
    """A heading over dated lines ending in amounts, printed with no header row (a card bill)."""
    rows = [
        ("10 DEZ", "", "Pagamento recebido", "-980,10"),
        ("11 DEZ", "•••• 4321", "Ifood *Ifood", "45,90"),
        ("14 DEZ", "•••• 4321", "Magazine Luiza", "129,90"),
    ]
    lines = [line(word("TRANSAÇÕES", 40, 100))]
    for (day, card, text, amount), right, top in zip(rows, rights, (115, 130, 145), strict=True):
        words = [word(day.split()[0], 40, top), word(day.split()[1], 52, top), word(text, 150, top)]
        if card:
            words.append(word(card, 90, top, width=30))
        words.append(word(amount, right - 5 * len(amount), top))
        lines.append(line(*words))
    return lines


def test_dated_lines_ending_in_right_aligned_amounts_are_a_table_without_a_header() -> None:
    """Card bills and app banks print their rows with no header row: three lines in a row, each
    dated, described and ending in an amount right-aligned with the others, are a table; a
    card's digits printed between the date and the left-aligned description on some rows are no
    part of the description."""
    reader = TableReader()
    reader.read_page(0, _dated_list())
    assert reader.found_table
    assert [(row.date_text, row.description_text, row.money) for row in reader.rows] == [
        ("10 DEZ", "Pagamento recebido", {AMOUNT: "-980,10"}),
        ("11 DEZ", "Ifood *Ifood", {AMOUNT: "45,90"}),
        ("14 DEZ", "Magazine Luiza", {AMOUNT: "129,90"}),
    ]


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param(_dated_list()[:3], id="two dated lines"),
        pytest.param(_dated_list(rights=(500.0, 430.0, 500.0)), id="amounts not right-aligned"),
        pytest.param(
            [line(word(f"0{n}/01/2024", 40, top), word("12.50", 300, top)) for n, top in ((2, 115), (3, 130),
                                                                                       (4, 145))],
            id="no description",
        ),
    ],
)
def test_dated_lines_that_do_not_make_a_list_of_transactions_are_no_table(lines: list[Line]) -> None:
    reader = TableReader()
    reader.read_page(0, lines)
    assert not reader.found_table and not reader.rows


def test_a_portuguese_minimum_payment_makes_a_card_statement() -> None:
    assert looks_like_card_statement([line(word("Pagamento", 40), word("mínimo:", 95), word("R$", 140),
                                           word("184,95", 155))])  # fmt: skip


def test_a_group_label_heads_only_the_labels_it_is_printed_over() -> None:
    """BBVA México prints "SALDO" over its two balance columns "OPERACIÓN  LIQUIDACIÓN", a word
    space right of "ABONOS" on the line under it: it heads the balance, not the credits."""
    upper = line(word("FECHA", 40), word("SALDO", 470))
    lower = line(
        word("OPER", 40, 111), word("LIQ", 77, 111), word("COD.", 119, 111), word("DESCRIPCIÓN", 141, 111),
        word("REFERENCIA", 312, 111), word("CARGOS", 378, 111), word("ABONOS", 437, 111),
        word("OPERACIÓN", 484, 111), word("LIQUIDACIÓN", 538, 111),
    )  # fmt: skip
    columns = detect_header(stack(upper, lower))
    assert columns is not None
    assert [c.role for c in columns] == [DATE, OTHER, DESCRIPTION, OTHER, DEBIT, CREDIT, BALANCE, OTHER]
    assert [c.x0 for c in columns if c.role in (CREDIT, BALANCE)] == [437, 470]


def test_a_date_stacked_over_a_value_date_and_a_description_right_of_the_amounts() -> None:
    """PKO BP: "Data operacji" over "Data waluty" heads both dates of a row, the value date on
    the row's next line; "Typ transakcji" and "Opis transakcji", apart, are both its description,
    and words of the description past its header are no pieces of the balance left of it."""
    header = [
        line(word("Data", 43, width=18), word("operacji", 64, width=31), word("Typ", 102, width=14),
             word("transakcji", 119, width=39), word("Kwota", 267, width=25), word("Saldo", 334, width=22),
             word("po", 359, width=10), word("Opis", 386, width=17), word("transakcji", 405, width=39)),
        line(word("Data", 43, 110, width=18), word("waluty", 64, 110, width=26),
             word("transakcji", 330, 110, width=39)),
    ]  # fmt: skip
    rows = [
        line(word("15.02.2024", 43, 125), word("Zlecenie", 102, 125), word("-185,40", 257, 125),
             word("10 406,04", 324, 125), word("Nazwa", 386, 125), word("odbiorcy:", 414, 125),
             word("PGE", 461, 125), word("S.A.", 479, 125)),
        line(word("16.02.2024", 43, 135), word("Tytuł:", 386, 135), word("Prąd", 418, 135)),
        line(word("20.02.2024", 43, 150), word("Opłata", 102, 150), word("-7,00", 272, 150),
             word("10 399,04", 324, 150)),
        line(word("20.02.2024", 43, 160)),
    ]  # fmt: skip
    reader = TableReader()
    reader.read_page(0, [*header, *rows])
    assert [(row.date_text, row.description, row.money) for row in reader.rows] == [
        (
            "15.02.2024",
            ["Zlecenie Nazwa odbiorcy: PGE S.A.", "Tytuł: Prąd"],
            {AMOUNT: "-185,40", BALANCE: "10 406,04"},
        ),
        ("20.02.2024", ["Opłata"], {AMOUNT: "-7,00", BALANCE: "10 399,04"}),
    ]


def test_a_second_description_label_does_not_make_one_line_of_a_header_the_better_reading() -> None:
    """"Transaction" over "date": read alone, the top line names two description columns
    ("Transaction", "Narrative"), which names no more than the two lines read together."""
    lines = [
        line(word("Transaction", 37, width=45), word("Effective", 103, width=34), word("date", 139, width=16),
             word("Reference", 184, width=39), word("Narrative", 247, width=34),
             word("Balance", 495, width=31)),
        line(word("date", 37, 109.5, width=16), word("amount", 497, 109.5, width=29)),
    ]  # fmt: skip
    found = _find_header(lines, 0)
    assert found is not None and found[1] == 2
    assert [c.role for c in found[0]] == [DATE, OTHER, OTHER, DESCRIPTION, BALANCE]


def test_dot_leader_header_is_split_into_its_labels() -> None:
    columns = detect_header(
        line(word("DATE..........AMOUNT.TRANSACTION", 80, width=188.0), word("DESCRIPTION", 277))
    )
    assert columns is not None
    assert [c.role for c in columns] == [DATE, AMOUNT, DESCRIPTION]


def test_margin_text_and_rules_across_the_table_are_not_cells() -> None:
    layout = ColumnLayout(
        detect_header(line(word("Date", 50), word("Description", 120), word("Amount", 400))) or []
    )
    cells = layout.split(line(word("8", 12), word("01/02/2024", 50), word("SHOP", 120), word("5.00", 400)))
    assert cells.texts == {DATE: ["01/02/2024"], DESCRIPTION: ["SHOP"], AMOUNT: ["5.00"]}
    rule = layout.split(line(word("x" * 80, 40)))
    assert rule.texts == {} and rule.landed == {OTHER}


def _signed(texts: list[str]) -> Decimal | None:
    amount = parse_amount(" ".join(texts))
    return amount.signed(1) if amount is not None else None


@pytest.mark.parametrize("before", [False, True])
def test_a_side_column_signs_the_amount_beside_it(before: bool) -> None:
    """Kotak's one Amount column with a Dr/Cr column beside it: a DR, D or Debit marks the amount
    money out, a CR, C or Credit money in, as the same markers printed inside the amount's cell
    do ("486.00 DR"); whether the markers are printed right or left of the amounts."""
    side_x, amount_x = (380, 440) if before else (450, 400)
    header = line(word("Date", 43), word("Narration", 96), word("Amount", amount_x), word("Dr/Cr", side_x),
                  word("Balance", 520))  # fmt: skip
    layout = ColumnLayout(detect_header(header) or [])
    markers = (("DR", -1), ("Dr", -1), ("D", -1), ("Debit", -1), ("CR", 1), ("c", 1), ("Credit", 1))
    for marker, sign in markers:
        row = line(word("02-01-2024", 43, 115), word("SWIGGY", 96, 115), word("486.00", amount_x, 115),
                   word(marker, side_x, 115), word("47,724.55", 520, 115))  # fmt: skip
        cells = layout.split(row)
        assert _signed(cells.texts[AMOUNT]) == sign * Decimal("486.00"), marker
        assert cells.texts[BALANCE] == ["47,724.55"] and OTHER not in cells.texts
    opening = layout.split(
        line(word("OPENING", 96, 115), word("BALANCE", 140, 115), word("48,210.55", 520, 115))
    )
    assert AMOUNT not in opening.texts


def test_an_unnamed_column_holding_only_side_markers_signs_the_amount() -> None:
    """A column headed "Type" (or by nothing the parser names) whose every cell is a side marker
    is read as the amount's side; one holding other codes ("DD", "FPO") stays a column of its own."""
    header = line(word("Date", 43), word("Description", 96), word("Amount", 400), word("Type", 450),
                  word("Balance", 520))  # fmt: skip

    def rows(markers: tuple[str, ...]) -> list[Line]:
        texts = ("02/01/2024", "SHOP", "12.50", "", "100.00")
        return [
            line(*(word(marker if x == 450 else text, x, 115 + 15 * k)
                   for text, x in zip(texts, (43, 96, 400, 450, 520), strict=True)))  # fmt: skip
            for k, marker in enumerate(markers)
        ]

    sided = ColumnLayout(detect_header(header) or [])
    lines = rows(("D", "C", "D"))
    sided.learn(lines)
    signed = [Decimal("-12.50"), Decimal("12.50"), Decimal("-12.50")]
    assert [_signed(sided.split(row).texts[AMOUNT]) for row in lines] == signed
    coded = ColumnLayout(detect_header(header) or [])
    lines = rows(("DD", "C", "FPO"))
    coded.learn(lines)
    assert [coded.split(row).texts.get(OTHER) for row in lines] == [["DD"], ["C"], ["FPO"]]
    assert [_signed(coded.split(row).texts[AMOUNT]) for row in lines] == [Decimal("12.50")] * 3
    # under no label at all, a lone marker after an amount is the suffix of that amount already
    unlabelled = ColumnLayout(detect_header(line(*(w for w in header.words if w.text != "Type"))) or [])
    lines = rows(("DR", "C", "D"))
    unlabelled.learn(lines)
    assert [_signed(unlabelled.split(row).texts[AMOUNT]) for row in lines] == signed


def test_a_description_running_on_past_the_last_column_is_read_whole() -> None:
    """A ledger's particulars printed as one line under the amounts and past the balance (drawn
    clipped, whole in the text): words a word space apart carry on; margin text stands apart."""
    layout = ColumnLayout(
        detect_header(
            line(word("Date", 50), word("Particulars", 120), word("Dr.Amt", 400), word("Balance", 480))
        )
        or []
    )
    row = line(
        word("13-May-16", 50), word("BILL", 120), word("NO.133,", 145), word("5.00", 400),
        word("164,", 440), word("9.00", 480), word("165,", 518), word("193", 541), word("RICE", 560),
        word("PAYMENT", 583),
    )  # fmt: skip
    cells = layout.split(row)
    assert cells.texts[DESCRIPTION] == ["BILL", "NO.133,", "164,", "165,", "193", "RICE", "PAYMENT"]
    assert (cells.texts[DEBIT], cells.texts[BALANCE]) == (["5.00"], ["9.00"])
    # margin text a few word heights right of the figures, or right after a figure, is not carried on
    for margin in (word("P", 560), word("REF", 530)):
        cells = layout.split(line(word("13-May-16", 50), word("SHOP", 120), word("9.00", 480), margin))
        assert cells.texts == {DATE: ["13-May-16"], DESCRIPTION: ["SHOP"], BALANCE: ["9.00"]}


def test_sign_printed_apart_joins_the_number_after_it() -> None:
    layout = ColumnLayout(
        detect_header(line(word("Date", 50), word("Text", 120), word("Soll", 400), word("Haben", 480))) or []
    )
    cells = layout.split(line(word("21.01.", 50), word("TELEFON", 120), word("-", 390), word("125,80", 400)))
    assert cells.texts[DEBIT] == ["-", "125,80"]


def test_words_assigned_to_columns_by_position() -> None:
    layout = ColumnLayout(
        detect_header(
            line(word("Date", 50), word("Description", 120), word("Amount", 400), word("Balance", 480))
        )
        or []
    )
    row = line(
        word("02/07", 50),
        word("-1234", 120),
        word("SHOP", 150),
        word("SG", 300),
        word("1,234.50", 395),
        word("CR", 438),
        word("9.00", 500),
    )
    cells = layout.split(row)
    assert cells.texts == {
        DATE: ["02/07"],
        DESCRIPTION: ["-1234", "SHOP", "SG"],
        AMOUNT: ["1,234.50", "CR"],
        BALANCE: ["9.00"],
    }


def test_text_overflowing_into_money_columns_is_description() -> None:
    layout = ColumnLayout(
        detect_header(line(word("Date", 50), word("Description", 120), word("Amount", 400))) or []
    )
    cells = layout.split(
        line(word("01/02/2024", 50), word("LONG", 120), word("NARRATIVE", 395), word("5.00", 420))
    )
    assert cells.texts[DESCRIPTION] == ["LONG", "NARRATIVE"]
    assert cells.texts[AMOUNT] == ["5.00"]


def test_numbers_with_space_thousands_are_one_word() -> None:
    joined = line(word("PAY", 10), word("1", 300, width=4.0), word("234,56", 306, width=24.0))
    assert [w.text for w in joined.words] == ["PAY", "1 234,56"]


def test_letter_spaced_words_are_re_formed() -> None:
    letters = [("A", 140), ("M", 148), ("Z", 156), ("N", 164), ("M", 181), ("k", 189), ("t", 197), ("p", 205)]
    joined = line(*(word(text, x0, width=5.0) for text, x0 in letters), word("CA", 230))
    assert [w.text for w in joined.words] == ["AMZN", "Mktp", "CA"]


def _raw_word(text: str, x0: float, gap_after: int = -1, gap: float = 0.0) -> dict[str, object]:
    """An ``extract_words`` word of 8-point glyphs 4 pt wide, ``gap`` points after glyph ``gap_after``."""
    chars, x = [], x0
    for index, glyph in enumerate(text):
        chars.append({"text": glyph, "x0": x, "x1": x + 4, "top": 100.0, "bottom": 108.0, "size": 8.0})
        x += 4 + (gap if index == gap_after else 0)
    return {"text": text, "x0": x0, "x1": x, "top": 100.0, "bottom": 108.0, "chars": chars}


def test_a_page_drawing_no_space_glyph_splits_even_its_rare_narrow_word_gaps() -> None:
    """An OCR layer with its words mostly far apart: the 2.5 pt after a one-letter word is the only
    narrow gap on the page (too rare to call the document spaceless) and still a word boundary."""
    page = [_raw_word("Sde", 100, gap_after=0, gap=2.5)]
    page += [_raw_word("Vries", 130 + 40 * n) for n in range(30)]
    unsplit = [w.text for w in PageWordReader().words(page)]
    split = [w.text for w in PageWordReader().words(page, draws_spaces=False)]
    assert unsplit[0] == "Sde" and split[:2] == ["S", "de"] and split[2:] == unsplit[1:]


def _skewed_rows(degrees: float, jitter: float = 0.0) -> list[Word]:
    """Five table rows 12 pt apart, drawn row by row, tilted ``degrees`` (counter-clockwise: each
    row's right end higher); ``jitter`` moves every other word's baseline up or down."""
    slope = math.tan(math.radians(degrees))
    texts = ["01/03/2024", "CARD", "PAYMENT", "TO", "BOOTS", "12.49", "1,279.70"]
    xs = [40, 100, 130, 175, 190, 380, 520]
    return [
        word(text, x0, top=100.0 + 12 * row - slope * x0 + (jitter if (row + k) % 2 else -jitter))
        for row in range(5)
        for k, (text, x0) in enumerate(zip(texts, xs, strict=True))
    ]


@pytest.mark.parametrize("degrees", [0.6, -0.6, 1.0])
def test_a_skewed_page_is_read_row_by_row(degrees: float) -> None:
    """At 0.6 degrees a row's left end lies ~5 pt below its right, almost half the row pitch."""
    lines = group_lines(_skewed_rows(degrees))
    assert [ln.text for ln in lines] == ["01/03/2024 CARD PAYMENT TO BOOTS 12.49 1,279.70"] * 5


def _turned_page(degrees: float, rows: int = 40) -> list[Word]:
    """A page of ``rows`` table rows 15 pt apart, the sheet turned ``degrees`` about the page's middle
    (positive: clockwise, each row's right end lower) with its words, as an OCR layer draws them:
    every box the upright box around the turned word. "PAY" + "MENT" are one word in two touching
    pieces."""
    angle = math.radians(degrees)
    cos, sin = math.cos(angle), math.sin(angle)
    cells = [("01/03/2024", 40, 38), ("CARD", 100, 20), ("PAY", 125, 15), ("MENT", 140, 22), ("TO", 167, 10)]
    cells += [("BOOTS", 182, 26), ("LEEDS", 213, 25), ("12.49", 380, 20), ("1,279.70", 520, 32)]
    found = []
    for row in range(rows):
        baseline = 130.0 + 15 * row
        for text, x, width in cells:
            dx, dy = x - 300, baseline - 420
            left = (300 + dx * cos - dy * sin, 420 + dx * sin + dy * cos)
            right = (left[0] + width * cos, left[1] + width * sin)
            found.append(Word(text, left[0], right[0], min(left[1], right[1]) - 8, max(left[1], right[1])))
    return found


@pytest.mark.parametrize("degrees", [1.0, -1.0, 2.0, -2.0])
def test_a_skewed_page_lines_its_columns_up_from_header_to_foot(degrees: float) -> None:
    """At 2 degrees a word at the foot of the page lies 20 pt left or right of one in its column at
    the top: read turned straight, each column's words start within 2 pt of one x on every row (the
    slope is read from word boxes, a little off), and the word drawn in two touching pieces is one
    word."""
    lines = group_lines(_turned_page(degrees))
    assert [ln.text for ln in lines] == ["01/03/2024 CARD PAYMENT TO BOOTS LEEDS 12.49 1,279.70"] * 40
    for column in range(7):
        lefts = [ln.words[column].x0 for ln in lines]
        assert max(lefts) - min(lefts) < 2, (column, min(lefts), max(lefts))


def test_a_straight_page_keeps_its_word_positions() -> None:
    words = _turned_page(0.0, rows=5)
    kept = [w for ln in group_lines(words) for w in ln.words]
    assert [(w.x0, w.x1, w.top, w.bottom) for w in kept if w.text != "PAYMENT"] == [
        (w.x0, w.x1, w.top, w.bottom) for w in words if w.text not in ("PAY", "MENT")
    ]


def test_baseline_jitter_is_no_skew() -> None:
    """Words off their row's baseline at random: no slope to read, so the rows stay as printed."""
    assert len(group_lines(_skewed_rows(0.0, jitter=1.5))) == 5


def test_watermark_glyphs_do_not_merge_lines() -> None:
    words = [word("ONE", 10, top=100.0), word("M", 50, top=60.0, width=150.0), word("TWO", 10, top=120.0)]
    giant = Word("M", 50, 200, 60.0, 260.0)
    lines = group_lines([*words[:1], giant, *words[2:]])
    assert [[w.text for w in ln.words] for ln in lines] == [["ONE"], ["TWO"]]


def test_words_on_the_same_baseline_form_one_line() -> None:
    lines = group_lines([word("B", 100, top=101.0), word("A", 10, top=100.0), word("C", 10, top=120.0)])
    assert [[w.text for w in ln.words] for ln in lines] == [["A", "B"], ["C"]]


@pytest.mark.parametrize(
    ("description", "kind"),
    [
        ("LAST MONTH'S BALANCE", RowKind.OPENING),
        ("Opening Balance", RowKind.OPENING),
        ("Beginning balance", RowKind.OPENING),
        ("Balance brought forward", RowKind.BROUGHT_FORWARD),
        ("BALANCE B/F", RowKind.BROUGHT_FORWARD),
        ("Bal Brought Forward", RowKind.BROUGHT_FORWARD),  # "Bal", as "Opening Bal"
        ("BAL CARRIED FORWARD", RowKind.CARRIED_FORWARD),
        ("Balance carried forward", RowKind.CARRIED_FORWARD),
        ("Closing balance", RowKind.CLOSING),
        ("New balance", RowKind.CLOSING),
        ("TOTAL AMOUNT DUE", RowKind.CLOSING),
        ("TOTAL NEW BALANCE", RowKind.CLOSING),
        ("Solde précédent", RowKind.OPENING),
        ("Saldovortrag", RowKind.OPENING),
        ("Alter Kontostand", RowKind.OPENING),
        ("Nouveau solde", RowKind.CLOSING),
        ("Neuer Kontostand", RowKind.CLOSING),
        ("Dein alter Kontostand", RowKind.OPENING),
        ("Dein neuer Kontostand", RowKind.CLOSING),
        ("Your new balance", RowKind.CLOSING),
        ("Ausgänge", RowKind.TOTAL),
        ("Umsatztotal", RowKind.TOTAL),
        ("Schlusssaldo", RowKind.CLOSING),
        ("Saldo primo", RowKind.OPENING),  # Danish: the balance at the period's start and end
        ("Saldo ultimo", RowKind.CLOSING),
        ("JOHN DOE #5678: Total Transactions", RowKind.TOTAL),
        ("SOLDE CREDITEUR AU 03/09/2012", RowKind.BALANCE),
        ("Balance at 31 March", RowKind.BALANCE),
        ("SALDO RIPORTATO", RowKind.BROUGHT_FORWARD),
        ("SALDO A RIPORTARE", RowKind.CARRIED_FORWARD),
        ("DEVİR BAKİYESİ", RowKind.OPENING),  # Turkish: dotted İ lowers to i and a combining dot
        ("Önceki Bakiye", RowKind.OPENING),
        ("Açılış Bakiyesi", RowKind.OPENING),  # mixed case keeps the dotless ı
        ("NAKLİ YEKÜN", RowKind.CARRIED_FORWARD),
        ("Son Bakiye", RowKind.CLOSING),
        ("TOPLAM", RowKind.TOTAL),
        ("NET AMOUNT OF MONTHLY ACTIVITY", RowKind.TOTAL),
        ("SUBTOTAL", RowKind.TOTAL),
        ("Total deposits", RowKind.TOTAL),
        ("Totaal debet", RowKind.TOTAL),  # Dutch: the totals under the closing balance
        ("Starting Cash*", RowKind.OPENING),  # a brokerage account's cash
        ("Ending Cash*", RowKind.CLOSING),
        ("Subtotaal", RowKind.TOTAL),
        ("TOTALS AT END OF PAGE", RowKind.TOTAL),  # ANZ: each page's sums of its two columns
        ("Totals at end of period", RowKind.TOTAL),
        ("Fatura anterior", RowKind.OPENING),  # Portuguese: a card bill's last bill and amount due
        ("Total a pagar", RowKind.CLOSING),
        ("Ingående saldo 2024-02-01", RowKind.OPENING),  # Swedish
        ("Utgående saldo 2024-02-29", RowKind.CLOSING),
        ("Inngående saldo", RowKind.OPENING),  # Norwegian
        ("SALDO AWAL", RowKind.OPENING),  # Indonesian
        ("SALDO AKHIR", RowKind.CLOSING),
        ("Previous Monthly Balance", RowKind.OPENING),  # Apple Card's summary
        ("Total Balance", RowKind.CLOSING),
        ("Nyitó egyenleg", RowKind.OPENING),  # Hungarian
        ("Záró egyenleg", RowKind.CLOSING),
        ("Jóváírások összesen", RowKind.TOTAL),
        ("Terhelések összesen", RowKind.TOTAL),
        ("Alkusaldo 2024-01-01", RowKind.OPENING),  # Finnish
        ("Loppusaldo 2024-01-31", RowKind.CLOSING),
        ("Počáteční zůstatek", RowKind.OPENING),  # Czech
        ("Konečný zůstatek", RowKind.CLOSING),
        # French balances: Quebec's "fermeture" / "ouverture", France's "clôture", "précédent"
        ("Solde de fermeture", RowKind.CLOSING),
        ("Solde à la fermeture", RowKind.CLOSING),
        ("Solde de clôture", RowKind.CLOSING),
        ("Nouveau solde", RowKind.CLOSING),
        ("Solde d'ouverture", RowKind.OPENING),
        ("Solde d’ouverture", RowKind.OPENING),  # a typographic apostrophe
        ("Solde à l'ouverture", RowKind.OPENING),
        ("Solde précédent", RowKind.OPENING),
        ("Ancien solde", RowKind.OPENING),
        # a page's subtotal of its columns, in the words of several languages
        ("Sous-total", RowKind.TOTAL),
        ("Sous total", RowKind.TOTAL),
        ("Subtotal", RowKind.TOTAL),
        ("Zwischensumme", RowKind.TOTAL),
        ("Subtotale", RowKind.TOTAL),
        ("TRANSACTION TOTAL", RowKind.TOTAL),  # Axis: the debit and credit columns' sums
        ("Transactions total", RowKind.TOTAL),
        ("Saldo fra kontoutskrift 29.12.2023", RowKind.OPENING),  # Norwegian: the last statement's
        ("Saldo i Deres favør", RowKind.CLOSING),  # Norwegian: the balance in the holder's favour
        ("Saldo i din favør", RowKind.CLOSING),
        ("TESCO STORES", RowKind.TRANSACTION),
        ("PAYMENT BY INTERNET", RowKind.TRANSACTION),
        ("SOUSTONS TOTAL ENERGIES", RowKind.TRANSACTION),
    ],
)
def test_row_kind(description: str, kind: RowKind) -> None:
    assert row_kind(description) is kind


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("Deposits", 1),
        ("Money in", 1),
        ("Payments and credits", 1),
        ("Withdrawals", -1),
        ("Withdrawals (continued)", -1),
        ("ELECTRONIC WITHDRAWALS", -1),
        ("ATM & DEBIT CARD WITHDRAWALS", -1),
        ("Total Electronic Withdrawals", None),
        ("Money out", -1),
        ("Purchases", -1),
        # PNC: the channel named before the kind, and "and Purchases" after it
        ("Banking/Debit Card Withdrawals and Purchases", -1),
        ("Online and Electronic Banking Deductions", -1),
        ("Other Deductions", -1),
        # lists of kinds of money out, joined by commas and "and" (Truist)
        ("Other withdrawals, debits and service charges", -1),
        ("Checks, withdrawals and fees", -1),
        ("Debits & service fees", -1),
        ("Withdrawals and charges (continued)", -1),
        ("Total other withdrawals, debits and service charges", None),
        ("Total Online and Electronic Banking Deductions", None),
        ("Deposits 1,234.00", None),
        # Fifth Third: kinds joined by a spaced slash, the section's count and total after it
        ("Withdrawals / Debits - 5 items totaling $1,568.58", -1),
        ("Deposits / Credits - 3 items totaling $3,837.70", 1),
        ("Deposits/Credits (2 items)", 1),
        ("Withdrawals / Debits", -1),
        ("TESCO", None),
    ],
)
def test_section_sign(text: str, sign: int | None) -> None:
    assert section_sign(text) == sign


@pytest.mark.parametrize(
    ("text", "pending"),
    [
        ("Pending Transactions", True),
        ("PENDING", True),
        ("Pending transactions (continued)", True),
        ("Authorizations pending", True),
        ("Pending authorisations", True),
        ("Vorgemerkte Umsätze", True),
        ("Opérations en cours", True),
        ("Operaciones pendientes", True),
        ("Transactions", False),
        ("Pending deposit from ACME", False),
        ("PENDING PAYROLL ACME", False),
    ],
)
def test_pending_heading(text: str, pending: bool) -> None:
    assert is_pending_heading(text) is pending


@pytest.mark.parametrize(
    ("text", "posted"),
    [
        ("Transactions", True),
        ("Posted Transactions", True),
        ("Cleared transactions", True),
        ("Gebuchte Umsätze", True),
        ("Opérations comptabilisées", True),
        ("Pending Transactions", False),
        ("Transactions 1,234.00", False),
    ],
)
def test_posted_heading(text: str, posted: bool) -> None:
    assert is_posted_heading(text) is posted


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Northgate Bank plc", "northgate"),
        ("First Prairie National Bank", "first_prairie"),
        ("Banque du Littoral", "littoral"),
        ("Kestrel Building Society", "kestrel"),
        ("Bank", None),
    ],
)
def test_bank_slug(name: str, slug: str | None) -> None:
    assert bank_slug(name) == slug


def text_lines(*texts: str) -> list[Line]:
    return [
        line(*(word(t, 10 + 60 * i, top=20.0 * n) for i, t in enumerate(text.split())))
        for n, text in enumerate(texts, start=1)
    ]


@pytest.mark.parametrize(
    ("text", "last4"),
    [
        ("Sort code 40-12-55 Account number 71234567", "4567"),
        ("Card number: XXXX XXXX XXXX 7319", "7319"),
        ("Account No. : 50120034567891 Currency : INR", "7891"),
        ("DJ PARANCA 5488-2926-6730-9473", "9473"),
        ("Current Account Statement", None),
    ],
)
def test_account_last4_keeps_four_digits(text: str, last4: str | None) -> None:
    assert find_account_last4(text_lines(text)) == last4


def test_period() -> None:
    from datetime import date

    assert find_period(text_lines("Statement period: 15 December 2023 to 14 January 2024"), True) == (
        date(2023, 12, 15),
        date(2024, 1, 14),
    )
    assert find_period(text_lines("Period 12/16/2023 - 01/15/2024"), False) == (
        date(2023, 12, 16),
        date(2024, 1, 15),
    )
    assert find_period(text_lines("Statement From - To  DEC 29/23 - JAN 31/24"), False) == (
        date(2023, 12, 29),
        date(2024, 1, 31),
    )
    assert find_period(text_lines("Printed 01/02/2024"), True) == (None, None)


def test_a_period_whose_start_prints_no_year_takes_the_end_s() -> None:
    """Barclays prints "1 Jan - 31 Jan 2024": the start's year is the end's, or the one before
    where that would start the period after its end (a period across New Year)."""
    from datetime import date

    assert find_period(text_lines("1 Jan - 31 Jan 2024"), True) == (date(2024, 1, 1), date(2024, 1, 31))
    assert find_period(text_lines("15 Dec to 14 Jan 2024"), True) == (date(2023, 12, 15), date(2024, 1, 14))
    assert find_period(text_lines("Dec 14 - Jan 13, 2024"), False) == (date(2023, 12, 14), date(2024, 1, 13))
    assert find_period(text_lines("1 Jan - 31 Dec 2024"), True) == (date(2024, 1, 1), date(2024, 12, 31))
    # words before a dash that are no date leave the period unread
    assert find_period(text_lines("Page 3 - 31 Jan 2024"), True) == (None, None)


def test_a_period_within_one_month_prints_its_month_and_year_once() -> None:
    """"December 1-31, 2023" (Schwab) or "1-31 December 2023": two days of one month, then its year."""
    from datetime import date

    assert find_period(text_lines("December 1-31, 2023"), False) == (date(2023, 12, 1), date(2023, 12, 31))
    assert find_period(text_lines("1-15 Jan 2024"), True) == (date(2024, 1, 1), date(2024, 1, 15))
    # a range of no month, backwards, or past the month's end is no period
    assert find_period(text_lines("Pages 1-3, 2024"), False) == (None, None)
    assert find_period(text_lines("December 31-1, 2023"), False) == (None, None)
    assert find_period(text_lines("February 1-30, 2023"), False) == (None, None)


def test_a_period_whose_dates_follow_labels_and_colons() -> None:
    """HDFC Bank and SBI print "Statement From : 01/04/2024 To : 30/04/2024": a colon after the
    word joining the dates is no other text between them. Day or month first as the document's
    other dates decide (``day_first``): read the other way, 30/04 is no date, and no period."""
    from datetime import date

    april = (date(2024, 4, 1), date(2024, 4, 30))
    for text in (
        "Statement From : 01/04/2024 To : 30/04/2024",
        "Statement Period : From 01/04/2024 To 30/04/2024",
        "From : 01-04-2024 To : 30-04-2024",
        "Period: 01.04.2024 to: 30.04.2024",
    ):
        assert find_period(text_lines(text), True) == april, text
        assert find_period(text_lines(text), False) == (None, None), text
    assert find_period(text_lines("Statement From : 04/01/2024 To : 04/30/2024"), False) == april
    both_ways = text_lines("From : 01/04/2024 To : 05/04/2024")
    assert find_period(both_ways, True) == (date(2024, 4, 1), date(2024, 4, 5))
    assert find_period(both_ways, False) == (date(2024, 1, 4), date(2024, 5, 4))
    # a colon with other words before it still parts the two dates
    assert find_period(text_lines("Opened 01/04/2024 Printed: 30/04/2024"), True) == (None, None)


def test_a_period_of_dates_ending_in_a_dot() -> None:
    """Hungarian dates end in a dot ("2024.01.05."): OTP's "Időszak: 2024.01.01. - 2024.01.31."."""
    from datetime import date

    january = (date(2024, 1, 1), date(2024, 1, 31))
    assert find_period(text_lines("Id\u0151szak: 2024.01.01. - 2024.01.31."), True) == january
    assert find_period(text_lines("Id\u0151szak: 2024.01.01.-2024.01.31."), False) == january
    # a dot and other words between two dates still part them
    assert find_period(text_lines("Opened 2024.01.01. Printed 2024.01.31."), True) == (None, None)


def test_a_period_printed_year_first_between_spanish_labels() -> None:
    """Bancolombia's "DESDE: 2024/01/01  HASTA: 2024/01/31": yyyy/mm/dd dates, "hasta" joining them."""
    from datetime import date

    january = (date(2024, 1, 1), date(2024, 1, 31))
    assert find_period(text_lines("DESDE: 2024/01/01  HASTA: 2024/01/31"), True) == january
    assert find_period(text_lines("Periodo 2024.01.01 - 2024.01.31"), True) == january


def test_a_period_of_one_whole_month_printed_as_its_name_and_year() -> None:
    """BCA's "PERIODE : JANUARI 2024": the month's first to its last day, in any language the
    month table knows, after a period label only ("JAN 2024 PAYROLL" in a row is no period)."""
    from datetime import date

    assert find_period(text_lines("PERIODE : JANUARI 2024"), True) == (date(2024, 1, 1), date(2024, 1, 31))
    leap = (date(2024, 2, 1), date(2024, 2, 29))
    assert find_period(text_lines("Statement period: February 2024"), False) == leap
    assert find_period(text_lines("Periode: Desember 2023"), True) == (date(2023, 12, 1), date(2023, 12, 31))
    assert find_period(text_lines("Periodo: diciembre 2023"), True) == (date(2023, 12, 1), date(2023, 12, 31))
    assert find_period(text_lines("SALARY CREDIT JAN 2024 PAYROLL"), True) == (None, None)
    assert find_period(text_lines("Period: Page 2024"), True) == (None, None)


def test_period_between_the_previous_statement_and_this_one() -> None:
    """TD prints only its statement date and the previous one's: the period starts the day after."""
    from datetime import date

    lines = text_lines("STATEMENT DATE: August 15, 2014", "PREVIOUS STATEMENT: July 14, 2014")
    assert find_period(lines, False) == (date(2014, 7, 15), date(2014, 8, 15))
    lines = text_lines("Previous statement date 14/07/2014", "Statement closing date 15/08/2014")
    assert find_period(lines, True) == (date(2014, 7, 15), date(2014, 8, 15))
    # a printed period wins; one date alone, or the previous one not before this one, is no period
    printed = text_lines(
        "PREVIOUS STATEMENT: November 14, 2019", "STATEMENT PERIOD: November 15, 2019 to December 16, 2019"
    )
    assert find_period(printed, False) == (date(2019, 11, 15), date(2019, 12, 16))
    assert find_period(text_lines("STATEMENT DATE 01/09/14"), False) == (None, None)
    swapped = text_lines("STATEMENT DATE: July 14, 2014", "PREVIOUS STATEMENT: August 15, 2014")
    assert find_period(swapped, False) == (None, None)


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("FOREIGN CURRENCY 22.54 USD", True),
        ("@ EXCHANGE RATE 1.10381", True),
        ("Exchange rate 1.0842", True),
        ("USD 22.54", True),
        ("22.54 USD", True),
        # the foreign amount, its date or its rate in any order, a currency named in words
        ("01/02/24 EURO", True),
        ("45.00 Euro", True),
        ("1.09222 exchange rate", True),
        ("USD 56,99 1 EURO = 1,1035 USD", True),
        ("EUR 89.90 Kurs 0.9612", True),
        ("USD 59.99 · 1 EUR = 1.0968 USD", True),  # bunq: a middle dot between the amount and the rate
        ("USD 15,49 KUR 29,4512", True),  # Turkish
        ("Oryginalna kwota operacji: 5,99 EUR", True),  # after a label of any wording
        # the foreign amount times the rate, the rate's label in brackets, abbreviated
        ("50.00 X 1.092200 (EXCHG RATE)", True),
        ("EUR 45.00 @ 1.1612 (EXCHANGE RATE)", True),
        ("2 X 3.50", False),
        ("(RATE) 3.50 REFUND", False),
        ("Tytuł: Czynsz luty 2024", False),
        ("EURO 2024", False),
        ("Kurs 12 Yoga", False),
        ("DEC 99999999", False),
        ("RATE ADJUSTMENT REFUND", False),
        ("KITCHENER", False),
    ],
)
def test_foreign_currency_note(text: str, note: bool) -> None:
    assert is_foreign_currency_note(text) is note


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("Card xx1234", True),  # CommBank, under a card purchase
        ("Card No. XXXX XXXX XXXX 1234", True),
        ("card ending 1234", True),
        ("Card ending 1234 - J SMITH", False),  # names a cardholder: a section heading
        ("Transfer to xx9876 CommBank app", False),
        ("Card", False),
        # Commerzbank: when the card was used, then the card (its first six digits shown)
        ("2024-01-02T18:14:05 Karte Nr. 4871 78XX XXXX 1234", True),
        ("Karte Nr. 4871 78XX XXXX 1234", True),
        ("02.01.2024 18:14 Karte 4871 78XX XXXX 1234", True),
        ("2024-01-02T18:14:05 REWE Markt 4871", False),
    ],
)
def test_card_note(text: str, note: bool) -> None:
    assert is_card_note(text) is note


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("Reference: 320240090123456789", True),
        ("Ticket Number: 00612345678901", True),
        ("Arrival Date: 01/12/24 Departure Date: 01/14/24", True),
        ("REF 0042-7781", False),  # no label: part of the description
        ("Reference: see attached", False),
        ("VIR SEPA RECU /DE: ACME SAS", False),
        ("PAYMENT TO JOHN: 12 EGGS AND MILK", False),
        # French typography spaces the colon; an unlabelled creditor id (ICS) may follow the first
        ("Réf. : 000123456789 ICS FR12ZZZ123456", True),
        ("Réf. : VIR2401261234", True),
        ("ICS FR12ZZZ123456", False),  # no label first: part of the description
        ("Réf. : 000123456789 LOYER MARS", False),
        # an abbreviation labels an identifier only: "QR 014" is a payment's detail (BCA)
        ("TGL: 0401 QR 014", False),
    ],
)
def test_reference_note(text: str, note: bool) -> None:
    assert is_reference_note(text) is note


def test_balances_under_a_label_printed_on_two_lines() -> None:
    """USAA's summary box: "BALANCE / LAST STATEMENT" over 217.00, "BALANCE THIS / STATEMENT"
    over 75.79, beside other two-line labels and their figures."""
    lines = [
        line(word("BALANCE", 109, 248.8), word("DEBITS", 174, 248.8), word("BALANCE", 472, 248.8),
             word("THIS", 511, 248.8)),
        line(word("LAST", 93, 257.1), word("STATEMENT", 117, 257.1), word("PAID", 178, 257.1),
             word("STATEMENT", 481, 257.1)),
        line(word("217.00", 133, 275.8), word("6", 194, 275.8), word("75.79", 514, 275.8)),
    ]  # fmt: skip
    printed = find_balances(lines, decimal_comma=False)
    assert {kind: amount.value for kind, amount in printed.items()} == {
        RowKind.OPENING: Decimal("217.00"),
        RowKind.CLOSING: Decimal("75.79"),
    }


def test_a_balance_a_word_space_after_its_label_s_colon() -> None:
    """PKO BP: "Saldo początkowe: 4 512,37 PLN", the figure and its currency one run with the label."""
    lines = [
        line(word("Saldo", 43), word("początkowe:", 64), word("4 512,37", 110), word("PLN", 144)),
        line(word("Saldo", 43, 130), word("końcowe:", 64, 130), word("10 459,04", 100, 130),
             word("PLN", 148, 130)),
    ]  # fmt: skip
    printed = find_balances(lines, decimal_comma=True)
    assert {kind: amount.value for kind, amount in printed.items()} == {
        RowKind.OPENING: Decimal("4512.37"),
        RowKind.CLOSING: Decimal("10459.04"),
    }


def test_a_balance_right_aligned_in_the_column_its_label_heads() -> None:
    """Postbank: "Alter Kontostand" over "EUR", its figure further right in the same box column,
    the decimal comma misprinted as a dot (the statement's other figures print 1.830,00)."""
    lines = [
        line(word("Auszug", 75, 364.0), word("IBAN", 160, 364.0), word("Alter", 392, 364.0),
             word("Kontostand", 411, 364.0)),
        line(word("001", 75, 374.5), word("DE31", 160, 374.5), word("EUR", 392, 374.5), word("+", 502, 374.5),
             word("2.853.82", 509, 374.5)),
        line(word("Zinssatz", 75, 554.2), word("Neuer", 391, 554.2), word("Kontostand", 420, 554.2)),
        line(word("15,25", 75, 565.8), word("EUR", 391, 565.8), word("+", 500, 565.8),
             word("5.314,05", 508, 565.8)),
    ]  # fmt: skip
    printed = find_balances(lines, decimal_comma=True)
    assert {kind: amount.value for kind, amount in printed.items()} == {
        RowKind.OPENING: Decimal("2853.82"),
        RowKind.CLOSING: Decimal("5314.05"),
    }


def _placed(top: float, text: str) -> Line:
    """A line of words each written with its left edge: ``"Ending@50 Balance@84 $9,039.98@300"``."""
    return line(*(word(piece, float(x), top) for piece, x in (part.rsplit("@", 1) for part in text.split())))


@pytest.mark.parametrize(
    ("printed", "opening", "closing"),
    [
        # Bank of America: "Beginning balance on December 1, 2023  $2,345.67" (the year is no
        # balance); Chase: "Ending Balance  13  $9,039.98" (13 is its INSTANCES column)
        (("Beginning@50 balance@92 on@126 December@138 1,@176 2023@186 $2,345.67@300",
          "Ending@50 Balance@84 13@250 $9,039.98@300"), "2345.67", "9039.98"),
        # Fifth Third's Account Summary: the label starts with the balance's date ("01/01
        # Beginning Balance  $2,846.19"), an interest summary's figures right of it on its line
        (("01/01@42 Beginning@62 Balance@98 $2,846.19@240 Interest@312 Paid@342 $0.42@550",
          "01/31@42 Ending@62 Balance@90 $5,115.31@240"), "2846.19", "5115.31"),
    ],
)  # fmt: skip
def test_a_balance_label_read_past_a_date_or_a_count(
    printed: tuple[str, ...], opening: str, closing: str
) -> None:
    lines = [_placed(100.0 + 12 * k, text) for k, text in enumerate(printed)]
    assert {kind: amount.value for kind, amount in find_balances(lines, decimal_comma=False).items()} == {
        RowKind.OPENING: Decimal(opening),
        RowKind.CLOSING: Decimal(closing),
    }


def test_a_balance_label_printed_in_two_languages_is_read_by_either() -> None:
    """Vietcombank: "Số dư đầu kỳ / Opening balance  18,450,000": the label in the local
    language, then a slash and the same label in English; either one names the balance."""
    lines = [
        line(word("Số", 34, 91.0), word("dư", 45, 91.0), word("đầu", 56, 91.0), word("kỳ", 71, 91.0),
             word("/", 82, 91.0), word("Opening", 86, 91.0), word("balance", 118, 91.0),
             word("18,450,000", 215, 91.0)),
        line(word("Closing", 34, 102.0), word("balance", 66, 102.0), word("/", 98, 102.0),
             word("Số", 103, 102.0), word("dư", 114, 102.0), word("cuối", 125, 102.0),
             word("kỳ", 142, 102.0), word("36,629,000", 215, 102.0)),
    ]  # fmt: skip
    printed = find_balances(lines, decimal_comma=False)
    assert {kind: amount.value for kind, amount in printed.items()} == {
        RowKind.OPENING: Decimal("18450000"),
        RowKind.CLOSING: Decimal("36629000"),
    }


def test_a_daily_balance_grid_is_no_table_header() -> None:
    """Chase's DAILY ENDING BALANCE: "DATE AMOUNT" three times across the page."""
    labels = [("DATE", 50), ("AMOUNT", 150), ("DATE", 220), ("AMOUNT", 320), ("DATE", 390), ("AMOUNT", 490)]
    grid = line(*(word(text, x) for text, x in labels))
    assert detect_header(grid) is None
    assert is_balance_grid_header(grid)
    assert not is_balance_grid_header(line(word("DATE", 50), word("DESCRIPTION", 100), word("AMOUNT", 400)))


def test_a_value_below_stops_at_the_next_label_s_column() -> None:
    """Under "Closing balance" only its own column: the next label's figure is not its value."""
    lines = [
        line(word("Closing", 50, 100.0), word("balance", 90, 100.0), word("Credit", 300, 100.0),
             word("limit", 335, 100.0)),
        line(word("GBP", 50, 112.0), word("1,000.00", 300, 112.0)),
    ]  # fmt: skip
    assert find_balances(lines, decimal_comma=False) == {}


def test_an_opening_balance_not_carrying_on_starts_another_statement() -> None:
    """One ledger per party, one a page, no account or period printed: page 2's "Opening
    Balance" is not the balance page 1 ended on, so a statement of its own starts there; an
    opening balance repeating the last one (printed atop each page) cuts nothing."""
    from backend.services.document_text.dates import read_date
    from backend.services.statements.rows import RawRow
    from backend.services.statements.split import split_statements

    def ledger(second_opening: str) -> list[list[str]]:
        day = read_date("01-Apr-16")
        rows = [
            RawRow(day, ["Opening Balance"], {CREDIT: "27614207", BALANCE: "27614207"}, line_index=2),
            RawRow(day, ["Chq. No. 086866"], {DEBIT: "27614207", BALANCE: "0 Dr."}, line_index=2),
            RawRow(day, ["Opening Balance"], {CREDIT: second_opening, BALANCE: second_opening}, line_index=4),
            RawRow(day, ["BEING TRF"], {CREDIT: "5", BALANCE: f"{int(second_opening) + 5} Cr"}, line_index=4),
        ]
        lines = text_lines("3549", "XYZ Pvt Ltd", "3222", "ABC LTD")
        parts = split_statements(rows, lines, day_first=True)
        return [[row.description_text for row in part.rows] for part in parts]

    assert ledger("24274200") == [
        ["Opening Balance", "Chq. No. 086866"],
        ["Opening Balance", "BEING TRF"],
    ]
    assert len(ledger("0")) == 1


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("Wertstellung 03.01.2024", True),
        ("Valuta: 03.01.", True),
        ("Value date 03/01/2024", True),
        ("EFFECTIVE DATE 16/12/2023", True),  # ANZ, under a card purchase made days before
        ("Effective date: 31/12/2023", True),
        ("EFFECTIVE DATE OF RATE CHANGE", False),
        ("Wertstellung der Miete", False),
        ("Gutschrift 03.01.2024", False),
    ],
)
def test_value_date_note(text: str, note: bool) -> None:
    assert is_value_date_note(text) is note


def _note_word(text: str, x0: float, top: float) -> Word:
    """A word in a note's smaller type (6.5 points under rows of 9)."""
    return Word(text, x0, x0 + 3.6 * len(text), top, top + 6.5)


def test_a_note_in_smaller_type_under_a_transaction_is_that_row_s_detail() -> None:
    """Commerzbank: "2024-01-02T18:14:05 Karte Nr. 4871 78XX XXXX 1234" in small type under a card
    payment is neither its description nor a card section's heading, nor text outside the table
    (where its card number would read as another account's and cut the statement in two)."""
    header = line(word("Buchungstag", 40), word("Angaben", 110), word("Valuta", 400), word("Betrag", 500))
    card = ["2024-01-02T18:14:05", "Karte", "Nr.", "4871", "78XX", "XXXX", "1234"]
    lines = [
        header,
        line(word("02.01", 40, 115), word("Kartenzahlung", 110, 115), word("02.01", 400, 115),
             word("63,27-", 500, 115)),
        line(word("REWE", 110, 126), word("Markt", 140, 126)),
        line(*(_note_word(text, 110 + 40 * k, 137) for k, text in enumerate(card))),
        line(word("05.01", 40, 150), word("Gutschrift", 110, 150), word("05.01", 400, 150),
             word("3.184,50", 490, 150)),
        line(word("Gehalt", 110, 161), word("Dezember", 150, 161)),
    ]  # fmt: skip
    reader = TableReader()
    reader.read_page(0, lines)
    assert [(row.date_text, row.description_text) for row in reader.rows] == [
        ("02.01", "Kartenzahlung REWE Markt"),
        ("05.01", "Gutschrift Gehalt Dezember"),
    ]
    assert reader.text_lines == []


def test_a_line_beside_a_reference_column_s_second_line_continues_the_row() -> None:
    """State Bank of India: a reference column of two lines ("TRANSFER TO" over the account
    number) beside a narration of three: the narration's second line, printed beside the account
    number, is the row's, and so is its third; the reference column is no part of it. Figures in a
    column the parser does not read make a total, and a heading starting left of the description
    (in such a column) a heading: neither is a row's line."""

    def descriptions(under: Line | None = None) -> list[str]:
        lines = [
            line(word("Txn", 30), word("Date", 48), word("Branch", 75), word("Description", 110),
                 word("Ref", 260), word("No.", 280), word("Debit", 380), word("Credit", 440),
                 word("Balance", 500)),
            line(word("1/4/2024", 30, 115), word("TO", 110, 115), word("TRANSFER-", 125, 115),
                 word("TRANSFER", 260, 115), word("TO", 305, 115), word("412.00", 380, 115),
                 word("45,266.90", 500, 115)),
            line(word("UPI/DR/409112345678/SWIGGY/", 110, 126, width=140), word("4897691162095", 260, 126)),
            line(word("YESB/swiggy@ybl/Payment-", 110, 137, width=120)),
            line(word("2/4/2024", 30, 150), word("BY", 110, 150), word("TRANSFER-", 125, 150),
                 word("TRANSFER", 260, 150), word("FROM", 305, 150), word("98,500.00", 440, 150),
                 word("1,43,766.90", 500, 150)),
            *([under] if under is not None else []),
        ]  # fmt: skip
        reader = TableReader()
        reader.read_page(0, lines)
        return [row.description_text for row in reader.rows]

    read = ["TO TRANSFER- UPI/DR/409112345678/SWIGGY/ YESB/swiggy@ybl/Payment-", "BY TRANSFER-"]
    assert descriptions() == read
    assert descriptions(line(word("ACME", 110, 161), word("4897691162095", 260, 161))) == [
        read[0], "BY TRANSFER- ACME",
    ]
    page_total = line(word("Page", 110, 161), word("total", 135, 161), word("98,912.00", 260, 161))
    assert descriptions(page_total) == read
    assert descriptions(line(word("NEW", 75, 161), word("TRANSACTIONS", 110, 161))) == read


def test_a_balance_on_a_date_printed_outside_the_table_opens_or_closes_the_period() -> None:
    """State Bank of India: "Balance as on 1 Apr 2024 : 45,678.90" above the table of a statement
    from 1 to 30 April is its opening balance; dated at the period's end, its closing one; dated
    inside the period, neither. The label's colon is printed apart, in a column before the value."""

    def balances(day: str, period: tuple[date | None, date | None]) -> dict[RowKind, Decimal]:
        lines = [line(word("Balance", 40), word("as", 80), word("on", 95), word(day, 110, width=50),
                      word(":", 185), word("45,678.90", 196))]  # fmt: skip
        printed = find_balances(lines, decimal_comma=False, period=period, day_first=True)
        return {kind: amount.value for kind, amount in printed.items()}

    april = (date(2024, 4, 1), date(2024, 4, 30))
    assert balances("1 Apr 2024", april) == {RowKind.OPENING: Decimal("45678.90")}
    assert balances("31 Mar 2024", april) == {RowKind.OPENING: Decimal("45678.90")}
    assert balances("30 Apr 2024", april) == {RowKind.CLOSING: Decimal("45678.90")}
    assert balances("15 Apr 2024", april) == {}
    assert balances("1 Apr 2024", (None, None)) == {}


def test_packed_lines_read_back_as_the_same_lines() -> None:
    """A page's lines kept compactly (``document_text.packed_lines``, for reading pages again)
    are the very lines packed: texts of any script, boxes to the last bit, pieces, on the page asked."""
    from backend.services.document_text.packed_lines import PackedLines

    pieces = (Word("29.01.2016", 10.0, 52.5, 100.25, 109.0), Word("1074935", 52.1, 80.0, 100.25, 109.0))
    touching = Word("29.01.20161074935", 10.0, 80.0, 100.25, 109.0, pieces)
    lines = [
        Line((Word("Überweisung", 10.1 / 3, 60.0, 99.9, 109.3), Word("€1 234,56", 70.0, 99.0, 99.8, 109.1)),
             99.8, 109.3, 4),
        Line((touching, Word("入金", 90.0, 99.0, 100.0, 109.0)), 120.0, 130.0, 4),
        Line((Word("x", 1e-300, math.pi, 0.0, -0.0),), 0.0, 1.0, 4),
    ]
    packed = PackedLines.pack(lines)
    assert packed.lines(4) == lines
    assert packed.lines(0) == [replace(line, page=0) for line in lines]
    assert PackedLines.pack([]).lines(0) == []


def test_a_statements_identity_is_read_only_where_lines_between_rows_name_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Lines printed between two rows cut the statement only where they name an account or a
    period: the statement's own identity, read from all its lines so far, is read only then. A
    statement whose every row has such a line under it (a foreign-currency note, a reference)
    read it between every two rows: its lines times its rows."""
    from backend.services.document_text.dates import read_date
    from backend.services.statements import split
    from backend.services.statements.rows import RawRow

    day = read_date("01/04/2024")
    count = 300
    rows = [RawRow(day, [f"CARD PURCHASE {n}"], {AMOUNT: "1.00"}, line_index=n) for n in range(count)]
    lines = text_lines(*(f"FOREIGN CURRENCY {n}.00 USD @ 1.3585" for n in range(count)))
    read_lines: list[int] = []
    identity = split._identity

    def counted(lines: Sequence[Line], day_first: bool) -> tuple[str | None, tuple[date, date] | None]:
        read_lines.append(len(lines))
        return identity(lines, day_first)

    monkeypatch.setattr(split, "_identity", counted)
    assert len(split.split_statements(rows, lines, day_first=True)) == 1
    assert sum(read_lines) <= 2 * count  # each line between rows once; was ~count² / 2
