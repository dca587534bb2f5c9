"""Finding the transaction table's columns from its header words, and splitting rows by them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ..document_text.dates import RawDate, read_date, read_date_cell, read_day_heading
from ..document_text.layout import Line, Word, run_text, word_runs
from ..document_text.memo import remembered
from ..document_text.money import has_decimal_part, is_amount, looks_like_amount_piece, side_marker
from ..document_text.tables import CURRENCY_CODES, CURRENCY_SYMBOLS

DATE, VALUE_DATE, POSTING_DATE = "date", "value_date", "posting_date"
DESCRIPTION, OTHER = "description", "other"
# A column of markers saying the side of the amount beside it ("Dr/Cr": DR, CR, D, C, Debit, Credit).
SIDE = "side"
DEBIT, CREDIT, AMOUNT, BALANCE = "debit", "credit", "amount", "balance"
MONEY_ROLES = (DEBIT, CREDIT, AMOUNT, BALANCE)
# Dates that only stand in for the transaction date when the table prints no such column.
_STAND_IN_DATES = (POSTING_DATE, VALUE_DATE)
# Labels of a table printing each row's fee beside its amount (PayPal's "AMOUNT  FEES  TOTAL", a
# "Gross  Fee  Net" export): with both a fee and a net column, the net is the row's amount, the
# gross amount and the fee are details of it, counted as neither recognised nor unrecognised
# labels. :func:`detect_header` resolves all three, so no column keeps them.
NET, FEE, DETAIL = "net", "fee", "detail"

# Header labels per role, in English, German, French, Spanish, Italian, Dutch, the Nordic
# languages, Finnish, Polish, Hungarian, Turkish, Portuguese and Indonesian; matched against the
# whole label, lower case, accents and dots removed, currency words dropped. A date may be named
# without the word "date" ("Posting", Emirates NBD; "Bokförd  Valutadag", SEB); a bare "Value"
# names none (a holding's value is money), so beside "Posting" it heads a column of its own that
# is not read.
_ROLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(rf"^(?:{pattern})$"))
    for role, pattern in (
        (
            VALUE_DATE,
            r"(?:value|val|valuta|effective) date|valuta(?:datum)?|wert(?:stellung)?|date (?:de )?valeur"
            r"|valeur|fecha (?:de )?valor|valor|data (?:di )?valuta|valutadatum|rentedatum|value dt"
            r"|rentedato|data waluty|valutadag|erteknap|arvopaiva|datum valuty",
        ),
        (POSTING_DATE, r"(?:post|posting|posted) date|date posted|posting|posted|datum zauctovani"),
        (
            DATE,
            r"(?:(?:transaction|trans|txn|tran|trx|booking|entry|vr|voucher|processed|process|sale|"
            r"operation|op) )?date|date (?:of transaction|d'?operation|operation)|datum"
            r"|(?:ver)?buchungs?(?:tag|datum)|bu[ -]?tag|tag|buchung|fecha(?: (?:de )?oper(?:acion)?)?"
            r"|data(?: (?:di )?operazione| contabile| registrazione)?|boekdatum|transactiedatum|dato"
            r"|data operacji|(?:data|dt) (?:do |de )?(?:balancete|movimento|lancamento)"
            r"|(?:islem )?tarihi?|bokford|bokforingsdag|transaktionsdag|tanggal(?: transaksi)?|tgl"
            r"|konyveles(?: datuma)?|kirjauspaiva",
        ),
        (
            DESCRIPTION,
            r"(?:transaction |payment |payment type and )?(?:description|details?|narrative|particulars|memo|"
            r"payee|text)(?: of transactions?)?|transactions?|reference and description"
            r"|(?:buchungs|verwendungs)?(?:text|zweck)|beschreibung|vorgang(?:/buchungsinformation)?"
            r"|libelle|(?:nature de l'?)?operations?|detail de l'?operation|concepto|descripcion|descrizione"
            r"|cod descripcion|omschrijving|mededeling(?:en)?|narration|tekst|erlauterung(?:en)?"
            r"|(?:opis|typ) (?:transakcji|operacji)|opis|historico|aciklama"
            r"|(?:text/)?mottagare|beskrivning|keterangan|uraian(?: transaksi)?|megnevezes|kozlemeny"
            r"|tapahtuma|selite|lancamentos?|movimentac(?:ao|oes)|descricao|movimientos?|detalles?"
            r"|popis(?: transakce| platby)?|protistrana|zprava(?: pro prijemce)?"
            r"|forklaring|remarks?",  # Norwegian (DNB); GTBank's Remarks, right of the balance
        ),
        (SIDE, r"(?:dr|d|debit) ?/ ?(?:cr|c|credit)|(?:cr|c|credit) ?/ ?(?:dr|d|debit)"),
        (
            DEBIT,
            r"debits?|withdrawals?|money out|paid out|out|dr|dr amt|(?:debit|withdrawal) amount|belastung"
            r"|lastschrift|soll|ausgang|cargos?|debito|addebiti|uscite|dare|af|afschrijving|withdrawn"
            r"|borc|outgoing|uttag|debet|ut(?: fra konto)?",  # Norwegian "Ut fra konto" (DNB)
        ),
        (
            CREDIT,
            r"credits?|deposits?|money in|paid in|in|cr|cr amt|(?:credit|deposit) amount|gutschrift|haben"
            r"|eingang|abonos?|credito|accrediti|entrate|avere|bij|bijschrijving"
            r"|alacak|incoming|insattningar?|kredit|inn(?: pa konto)?",
        ),
        (
            AMOUNT,
            r"(?:transaction )?(?:amount|amt)|betrag|umsatz|montant|importe|bedrag|importo|beløb|kwota"
            r"|gross(?: amount)?|belopp|mutasi|osszeg|maara|castka",
        ),
        (
            BALANCE,
            r"(?:running |closing |statement )?balance|bal|balance amount|saldo|solde|kontostand"
            r"|saldo (?:de )?(?:operacion|liquidacion)|saldo po (?:transakcji|operacji)|bakiye|egyenleg"
            r"|zustatek",
        ),
        (NET, r"net(?: amount)?|total(?: amount)?"),
        (FEE, r"fees?(?: amount)?"),
    )
)
# A money header that is only a currency ("EUR", "£"): an amount column that does not say its side.
_CURRENCY_LABELS = frozenset(code.lower() for code in (*CURRENCY_CODES, *CURRENCY_SYMBOLS))
# A column of no role is read as the amounts' side when at least this many rows print a marker there.
_SIDE_MIN_ROWS = 2
# Words further than this many word heights outside the table's columns are margin text.
_MARGIN_SLACK = 1.5
# Words of one run of text are at most this many word heights apart (a word space is 0.3-0.7).
_RUN_ON_GAP = 1.0
# A run of words apart from a row's description and printed in a type smaller than this share
# of the description's is a note beside it (a merchant category), not part of it.
_ASIDE_SIZE = 0.92
# A sign or currency printed apart before a number belongs to a money column starting within
# this many word heights to its right; other pieces ("CR", ")") to the number before them.
_LEADING_PIECE = re.compile(r"^(?:[-+(\u2212]|[A-Z]{3}|[A-Z]{0,2}[$€£¥₹])$")
_SIGN_REACH = 2.0
# A word across this many columns is a rule or footer line, not part of a row.
_SPANNED_COLUMNS = 3
# A date that a header labels nowhere is read from at most this many words starting a row under it.
_DATE_WORDS = 3
# Words of one header label are closer than this many word heights; labels are further apart.
_LABEL_GAP = 0.5
_PARENTHESES = re.compile(r"\([^)]*\)?")
# "&" or "and" between the parts of one label ("Cheques & Debits").
_LABEL_JOINS = re.compile(r"\s+(?:&|and)\s+")
_CURRENCY_SIGN = re.compile(r"(?:\b[a-z]{1,2})?[$€£¥₹]")
_CURRENCY_WORDS = re.compile(rf"{_CURRENCY_SIGN.pattern}|\b(?:in|en|of)?\s*\b(?:[a-z]{{3}}|euros?)\b$")
# A header naming no money column ("Bu-Tag  Wert  Vorgang", a Volksbank) heads amounts printed
# right of its labels: at least this many of the dated lines among the next ones under it end in
# one, their right edges within a word height of each other (amounts are right-aligned).
_UNLABELLED_MIN_ROWS, _UNLABELLED_LOOKAHEAD = 2, 20
# The most words an amount label and its side print ("Betrag Soll EUR", "Transaction Amount
# Debit (GBP)"): see :func:`_sided_amount_role`.
_SIDED_LABEL_MAX_WORDS = 6
# A table printed without a header row starts with at least this many lines each dated, with
# a description, ending in an amount (see :func:`headerless_columns`).
_HEADERLESS_MIN_ROWS = 3
# Dot leaders join a header's labels into one word ("DATE..........AMOUNT.TRANSACTION").
_LEADER_DOTS_SPLIT = re.compile(r"[^.]+")


@dataclass
class Column:
    """A table column: its role and x-extent (header extent, widened by the numbers under it)."""

    role: str
    x0: float
    x1: float
    # Debit or credit by position only: the header printed the same label over both columns.
    side_guessed: bool = False
    # A date column labelled with a second date under the first ("Data operacji" over "Data
    # waluty"): each row prints that second date on its next line, in this column.
    dates_stacked: bool = False
    # A date column printed under the description: each row's date starts the row's next line
    # (Wise), so the column takes no word of a row's own line (see :func:`_dates_under_rows`).
    under_description: bool = False
    # A header label names the column: its cells are read as what it names (a date column's
    # "01 02", see ``read_date_cell``), where a column found from the rows alone is not.
    labelled: bool = False
    header_x0: float = field(init=False)
    header_x1: float = field(init=False)

    def __post_init__(self) -> None:
        self.header_x0, self.header_x1 = self.x0, self.x1

    def overlap(self, word: Word) -> float:
        """How much of ``word``'s width lies inside this column."""
        return min(self.x1, word.x1) - max(self.x0, word.x0)

    def gap(self, word: Word) -> float:
        """Horizontal distance between ``word`` and this column (0 if they overlap)."""
        return max(self.x0 - word.x1, word.x0 - self.x1, 0.0)


def _trails_amount(previous: Word, word: Word) -> bool:
    """Whether ``word`` is a currency or CR/DR printed just after the amount ``previous``."""
    close = word.x0 - previous.x1 <= (word.bottom - word.top) * _SIGN_REACH
    pieces = looks_like_amount_piece(word.text) and not any(ch.isdigit() for ch in word.text)
    return close and pieces and is_amount(previous.text)


def _plain(text: str) -> str:
    """Lower case without accents: ``Débit`` -> ``debit``, ``Açıklama`` -> ``aciklama``."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ı", "i"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@remembered
def classify_label(label: str) -> str:
    """The column role of a header label such as ``Money out (£)``, ``Vr.Date`` or ``Débit euros``."""
    text = _PARENTHESES.sub(" ", _plain(label).replace(".", " ").replace("_", " ").replace(":", " "))
    # Stray single letters ("AMOUNT (SGD)I") are layout debris, not part of the label.
    text = " ".join(word for word in text.split() if len(word) > 1 or not word.isalpha())
    if text.strip() in _CURRENCY_LABELS:
        return AMOUNT
    role = _named_role(text)
    if role != OTHER:
        return role
    return _joined_label_role(text) if _LABEL_JOINS.search(text) else _sided_amount_role(text)


def _named_role(text: str) -> str:
    """The role a plain label (``text``, as :func:`classify_label` prepares it) names, with or
    without the currency words after it; ``OTHER`` if none."""
    names_currency = any(word in _CURRENCY_LABELS for word in text.split())
    # Without its currency sign first: in "£Out" (Nationwide) "out" would go too, as a code.
    for candidate in (text, _CURRENCY_SIGN.sub("", text).strip(), _CURRENCY_WORDS.sub("", text).strip()):
        for role, pattern in _ROLE_PATTERNS:
            if pattern.match(candidate):
                # A label naming a currency heads money: "Valor R$" (Banco do Brasil) is the amount,
                # where "Valor" alone (Spanish) is the value date.
                return AMOUNT if names_currency and role in (DATE, *_STAND_IN_DATES) else role
    return OTHER


def _joined_label_role(text: str) -> str:
    """The money role of a label joining kinds of one side ("Cheques & Debits", "Deposits and
    Credits", RBC): the one money role its named parts share; ``OTHER`` if they name none or two."""
    roles = {role for role in map(_named_role, _LABEL_JOINS.split(text)) if role != OTHER}
    return roles.pop() if len(roles) == 1 and roles <= set(MONEY_ROLES) else OTHER


def _sided_amount_role(text: str) -> str:
    """The side an amount label names after it ("Betrag Soll EUR", Sparkasse; "Amount Debit"):
    ``DEBIT`` or ``CREDIT``, else ``OTHER``. Only a label of a few words: each cut is matched
    whole, so a run of thousands of words (a hostile line read as a label) would cost their
    square."""
    words = text.split()
    if len(words) > _SIDED_LABEL_MAX_WORDS:
        return OTHER
    for cut in range(1, len(words)):
        if _named_role(" ".join(words[:cut])) == AMOUNT:
            side = _named_role(" ".join(words[cut:]))
            return side if side in (DEBIT, CREDIT) else OTHER
    return OTHER


def _leader_pieces(word: Word) -> list[Word]:
    """A header word joined by dot leaders, split into its labels (positions by character count)."""
    if word.text.count(".") < 2 or ".." not in word.text:
        return [word]
    width = (word.x1 - word.x0) / len(word.text)
    return [
        Word(
            found.group(),
            word.x0 + found.start() * width,
            word.x0 + found.end() * width,
            word.top,
            word.bottom,
        )
        for found in _LEADER_DOTS_SPLIT.finditer(word.text)
    ]


def detect_header(line: Line, below: Sequence[Line] = ()) -> list[Column] | None:
    """The columns if ``line`` is a transaction table header, else ``None``.

    A header has a date column, at least one money column (debit, credit, amount; or only a
    balance, under a named description column; or, under named date and description columns
    only, amounts printed right of them on the dated lines ``below``, see
    :func:`_unlabelled_amounts`) and more recognised labels than unrecognised
    ones (other dates count as neither). A posting or value date stands in for the transaction
    date only when the table prints none; a header labelling no date at all but a description
    and money ("Detail  Amount") takes its date column from the first line ``below`` it, when
    that starts with a date (:func:`_dates_below`). Neighbouring labels of one role
    ("TRANSACTION" "DESCRIPTION") make one column; without any description label, the first
    unrecognised label right of the date (``Wir haben für Sie gebucht``) is the description.
    Where no line starts with a date but each row's next line does, the dates are printed under
    the descriptions (:func:`_dates_under_rows`). An amount column labelled with no side, printed
    right of both sides, is the running balance (:func:`_balance_after_sides`).
    """
    columns = _labelled_columns(line)
    _resolve_net_amount(columns)
    roles = [column.role for column in columns]
    if _is_grid(roles):
        return None
    if DATE not in roles:
        stand_in = next((role for role in _STAND_IN_DATES if role in roles), None)
        if stand_in is not None:
            columns[roles.index(stand_in)].role = DATE
        elif below and DESCRIPTION in roles and {DEBIT, CREDIT, AMOUNT} & set(roles):
            columns = _dates_below(columns, below[0])
            if not any(column.role == DATE for column in columns):
                columns = _dates_under_rows(columns, below)
        roles = [column.role for column in columns]
    known = sum(role not in (OTHER, DETAIL, *_STAND_IN_DATES) for role in roles)
    # A running balance without amounts (they are its deltas) makes a table only under a named
    # description column: "Date  Balance" alone is a daily-balance summary.
    money = bool({DEBIT, CREDIT, AMOUNT} & set(roles)) or (BALANCE in roles and DESCRIPTION in roles)
    unlabelled = None
    if not money and DATE in roles and DESCRIPTION in roles:
        unlabelled = _unlabelled_amounts(columns, below)
    if DATE not in roles or not (money or unlabelled) or known <= roles.count(OTHER):
        return None
    _guess_sides(columns)
    _balance_after_sides(columns)
    if DESCRIPTION not in roles:
        date_x = next(column.x0 for column in columns if column.role == DATE)
        unnamed = [column for column in columns if column.role == OTHER and column.x0 > date_x]
        if unnamed:
            unnamed[0].role = DESCRIPTION
    seen: set[str] = set()
    for column in columns:  # a second column with the same role (e.g. two dates) is extra info
        if (column.role in seen and column.role != DESCRIPTION) or column.role in (DETAIL, *_STAND_IN_DATES):
            column.role = OTHER  # two description columns (PKO's "Typ" and "Opis") are read as one text
        seen.add(column.role)
    return columns if unlabelled is None else [*columns, unlabelled]


def _resolve_net_amount(columns: Sequence[Column]) -> None:
    """With both a fee and a net column, the net column is the amount and the gross amount and
    the fee are details; else a net or fee label names nothing the parser reads (``OTHER``)."""
    fee_and_net = {FEE, NET} <= {column.role for column in columns}
    for column in columns:
        if column.role == AMOUNT and fee_and_net:
            column.role = DETAIL  # the gross amount
        elif column.role == NET:
            column.role = AMOUNT if fee_and_net else OTHER
        elif column.role == FEE:
            column.role = DETAIL if fee_and_net else OTHER


def _unlabelled_amounts(columns: Sequence[Column], below: Sequence[Line]) -> Column | None:
    """The amount column a header without money labels heads: where the dated lines under it
    (the next :data:`_UNLABELLED_LOOKAHEAD`) end in an amount with decimals right of every label,
    with a side suffix or not ("54,21 S"), right-aligned; ``None`` unless enough of them do."""
    date_column = next(column for column in columns if column.role == DATE)
    labels_end = max(column.x1 for column in columns)
    spans: list[tuple[float, float, float]] = []  # x0, x1, word height of each line's amount
    for line in below[:_UNLABELLED_LOOKAHEAD]:
        words = line.words
        cell = " ".join(w.text for w in words if date_column.overlap(w) > 0)
        if (read_date_cell(cell) if date_column.labelled else read_date(cell)) is None:
            continue
        end = len(words) - 1
        if end > 0 and _trails_amount(words[end - 1], words[end]):
            end -= 1  # a suffix after the number: "S", "CR", "EUR"
        figure = words[end]
        if figure.x0 > labels_end and is_amount(figure.text) and has_decimal_part(figure.text):
            spans.append((figure.x0, words[-1].x1, figure.bottom - figure.top))
    if len(spans) < _UNLABELLED_MIN_ROWS:
        return None
    rights = [x1 for _, x1, _ in spans]
    if max(rights) - min(rights) > min(height for *_, height in spans):
        return None
    return Column(AMOUNT, min(x0 for x0, *_ in spans), max(rights))


def headerless_columns(lines: Sequence[Line]) -> list[Column] | None:
    """The columns of a table printed without a header row (a card bill's list of "18 DEZ  Uber
    *Trip  23,47"), if ``lines`` start with one, else ``None``.

    Its first :data:`_HEADERLESS_MIN_ROWS` lines must each start with a date at the same left
    edge, print words with letters after it, and end in an amount with decimals, right-aligned
    within a word height of each other: a date column, a description, and one amount column.
    The description is left-aligned: it starts where the furthest right first word after the
    date starts on the dated lines of that shape (up to :data:`_UNLABELLED_LOOKAHEAD`); words
    printed between the date and it on some rows (a card's last digits) are a column of their own.
    """
    spans: list[tuple[float, float, float, float, float, float]] = []
    for line in lines[:_UNLABELLED_LOOKAHEAD]:
        span = _headerless_row(line)
        if span is None:
            if len(spans) < _HEADERLESS_MIN_ROWS:
                return None
            continue
        spans.append(span)
    if len(spans) < _HEADERLESS_MIN_ROWS:
        return None
    height = min(span[5] for span in spans)
    lefts, rights = [span[0] for span in spans], [span[4] for span in spans]
    if max(lefts) - min(lefts) > height or max(rights) - min(rights) > height:
        return None
    date_end, amount_start = max(span[1] for span in spans), min(span[3] for span in spans)
    text_start = max(span[2] for span in spans)
    columns = [Column(DATE, min(lefts), date_end), Column(DESCRIPTION, text_start, amount_start - height)]
    if text_start - date_end > height:
        columns.append(Column(OTHER, date_end + height / 2, text_start - height / 2))
    return [*columns, Column(AMOUNT, amount_start, max(rights))]


def _headerless_row(line: Line) -> tuple[float, float, float, float, float, float] | None:
    """Where a line of a header-less table prints its date (x0, x1), description (x0) and amount
    (x0, x1), and its word height; ``None`` unless it starts with a date, prints a word with
    letters after it and ends in the only amount with decimals it prints."""
    words = line.words
    found = leading_date_words(line)
    figure, between = words[-1], words[found:-1]
    if not (found and _words_then_amount(between, figure)):
        return None
    return words[0].x0, words[found - 1].x1, between[0].x0, figure.x0, figure.x1, figure.bottom - figure.top


def day_headed_columns(lines: Sequence[Line]) -> list[Column] | None:
    """The columns of a table whose rows print no date, grouped under headings of their day
    ("Tuesday 2 January 2024" over "Albert Heijn 1432 Amsterdam  -€23.85", bunq), if ``lines``
    start with such a heading, else ``None``.

    Among the next :data:`_UNLABELLED_LOOKAHEAD` lines, another day's heading must be printed
    (a statement date alone over a summary's figures is no day heading) and at least
    :data:`_HEADERLESS_MIN_ROWS` others must print words with letters, no date first,
    and end in their only amount with decimals, their words starting and their amounts ending
    within a word height of the first such line's: a left-aligned description and a
    right-aligned amount column. Each heading dates the rows under it (``TableReader``).
    """
    if not lines or read_day_heading(lines[0].text) is None:
        return None
    following = lines[1 : _UNLABELLED_LOOKAHEAD + 1]
    headed = [line for line in following if read_day_heading(line.text) is not None]
    spans = [span for line in following if line not in headed and (span := _undated_row(line)) is not None]
    if not headed or not spans:  # one date alone over figures is as likely a summary under its date
        return None
    left, _, right, height = spans[0]
    aligned = [span for span in spans if abs(span[0] - left) <= height and abs(span[2] - right) <= height]
    if len(aligned) < _HEADERLESS_MIN_ROWS:
        return None
    amount_start = min(span[1] for span in aligned)
    return [
        Column(DESCRIPTION, min(span[0] for span in aligned), amount_start - height),
        Column(AMOUNT, amount_start, max(span[2] for span in aligned)),
    ]


def _undated_row(line: Line) -> tuple[float, float, float, float] | None:
    """Where a line of a table without dates prints its description (x0) and amount (x0, x1), and
    its word height; ``None`` unless it prints a word with letters, no date first, and ends in the
    only amount with decimals it prints."""
    figure, before = line.words[-1], line.words[:-1]
    if leading_date_words(line) or not _words_then_amount(before, figure):
        return None
    return before[0].x0, figure.x0, figure.x1, figure.bottom - figure.top


def _words_then_amount(before: Sequence[Word], figure: Word) -> bool:
    """Whether a row's words ``before`` its last, ``figure``, print letters and no amount with
    decimals, and ``figure`` is one: a description, then the row's only amount."""
    return (
        bool(before) and any(char.isalpha() for word in before for char in word.text)
        and is_amount(figure.text) and has_decimal_part(figure.text)
        and not any(is_amount(word.text) and has_decimal_part(word.text) for word in before)
    )


def leading_date_words(line: Line) -> int:
    """How many words (up to :data:`_DATE_WORDS`, one at least left after them) start ``line``
    with a date; 0 if it does not start with one."""
    return next(
        (
            count
            for count in range(min(_DATE_WORDS, len(line.words) - 1), 0, -1)
            if read_date(" ".join(word.text for word in line.words[:count])) is not None
        ),
        0,
    )


def _dates_below(columns: list[Column], row: Line) -> list[Column]:
    """``columns`` with a date column where ``row`` (the first line under them) prints its date.

    Only if ``row`` starts with a date (:func:`leading_date_words`) and prints an amount after
    it; else ``columns`` unchanged. The labels the date lies under head the dates (Amex's
    "Detail" over "01/05/24* ONLINE PAYMENT"): they give way to the date column, and a
    description label among them moves right of it (to the first unnamed label there, as in
    :func:`detect_header`, or to the date column's right edge).
    """
    found = leading_date_words(row)
    if not found or not any(is_amount(word.text) for word in row.words[found:]):
        return columns
    x0, x1 = row.words[0].x0, row.words[found - 1].x1
    dates = Column(DATE, x0, x1)
    kept = [column for column in columns if column.role in MONEY_ROLES or column.x1 <= x0 or column.x0 >= x1]
    unnamed_right = any(column.role == OTHER and column.x0 >= x1 for column in kept)
    if not any(column.role == DESCRIPTION for column in kept) and not unnamed_right:
        kept.append(Column(DESCRIPTION, x1, x1))
    return sorted([*kept, dates], key=lambda column: column.x0)


def _dates_under_rows(columns: list[Column], below: Sequence[Line]) -> list[Column]:
    """``columns`` with a date column printed under the description, if the first line under
    them prints an amount and no date, and the line after it starts with a date where that
    row's words start and prints nothing as far right as the money columns (Wise's "27 January
    2024  Transaction: CARD-…" in small type under "Cash withdrawal … -100.00  2,945.25");
    else ``columns`` unchanged. Each row then takes its date from its next line
    (``TableReader``); the rest of that line is the row's detail, not its description.
    """
    if len(below) < 2:
        return columns
    row, dated = below[0], below[1]
    found = leading_date_words(dated)
    money_x0 = min((column.x0 for column in columns if column.role in MONEY_ROLES), default=float("inf"))
    height = row.words[0].bottom - row.words[0].top
    if (
        not found or leading_date_words(row)
        or not any(is_amount(word.text) and word.x1 > money_x0 for word in row.words)
        or abs(dated.words[0].x0 - row.words[0].x0) > height
        or max(word.x1 for word in dated.words) >= money_x0
    ):
        return columns
    dates = Column(DATE, dated.words[0].x0, dated.words[found - 1].x1, under_description=True)
    return [dates, *columns]


def _balance_after_sides(columns: list[Column]) -> None:
    """Money in and money out columns hold each row's amount: an amount column labelled with
    no side printed right of both, where no balance column is labelled, is the running balance
    (Wise's "Incoming  Outgoing  Amount"); reconciliation then checks it like any other."""
    roles = [column.role for column in columns]
    if BALANCE in roles or roles.count(AMOUNT) != 1 or DEBIT not in roles or CREDIT not in roles:
        return
    amount = columns[roles.index(AMOUNT)]
    if all(amount.x0 > column.x1 for column in columns if column.role in (DEBIT, CREDIT)):
        amount.role = BALANCE


def _labelled_columns(line: Line) -> list[Column]:
    """The header labels of ``line`` as columns, each with the role its label names."""
    words = [piece for word in line.words for piece in _leader_pieces(word)]
    runs = word_runs(Line(tuple(words), line.top, line.bottom, line.page), _LABEL_GAP)
    return _merge_neighbours([_run_column(run) for run in runs])


def _run_column(run: Sequence[Word]) -> Column:
    """The column a header label heads, with the role it names; a label read as none whose top
    line and the rest each name one on their own is two labels stacked over one column ("Data
    operacji" over "Data waluty", PKO BP: the operation date, its value date printed under it in
    each row), headed by the top one."""
    role = classify_label(run_text(run))
    column = Column(role, min(w.x0 for w in run), max(w.x1 for w in run), labelled=True)
    top = min(word.top for word in run)
    upper = [word for word in run if word.top < top + (word.bottom - word.top) / 2]
    if column.role == OTHER and len(upper) < len(run):
        upper_role = classify_label(run_text(upper))
        lower_role = classify_label(run_text([word for word in run if word not in upper]))
        if OTHER not in (upper_role, lower_role):
            column.role = upper_role
            column.dates_stacked = upper_role == DATE and lower_role in (DATE, *_STAND_IN_DATES)
    return column


def _is_grid(roles: Sequence[str]) -> bool:
    """Only date and money labels, each repeated side by side: "DATE AMOUNT DATE AMOUNT DATE
    AMOUNT", a grid of daily balances (Chase's DAILY ENDING BALANCE), no transactions (TD's
    "DATE DATE ACTIVITY DESCRIPTION AMOUNT" names more)."""
    money = sum(role in MONEY_ROLES for role in roles)
    return roles.count(DATE) > 1 and money > 1 and roles.count(DATE) + money == len(roles)


def is_balance_grid_header(line: Line) -> bool:
    """Whether ``line`` heads a grid of daily balances (see :func:`_is_grid`): it ends the table above."""
    return _is_grid([column.role for column in _labelled_columns(line)])


def _guess_sides(columns: list[Column]) -> None:
    """Two amount columns and no debit or credit one: money out left, money in right, as guessed.

    Such a header ("EUR" over both columns) does not say which side is which; the left-to-right
    order is the usual one (Paid out | Paid in), and reconciliation swaps it when only the
    other order adds up (``assemble``).
    """
    amounts = [column for column in columns if column.role == AMOUNT]
    if len(amounts) != 2 or any(column.role in (DEBIT, CREDIT) for column in columns):
        return
    for column, role in zip(amounts, (DEBIT, CREDIT), strict=True):
        column.role, column.side_guessed = role, True


def _merge_neighbours(columns: list[Column]) -> list[Column]:
    """Adjacent text columns of the same role as one column."""
    merged: list[Column] = []
    for column in columns:
        previous = merged[-1] if merged else None
        if previous is not None and previous.role == column.role == DESCRIPTION:
            merged[-1] = Column(DESCRIPTION, previous.x0, column.x1)
        else:
            merged.append(column)
    return merged


def _without_asides(words: Sequence[Word]) -> list[Word]:
    """A line's description words (left to right) without the runs printed beside the
    description in a smaller type (:data:`_ASIDE_SIZE`): a note of the row, such as Discover's
    merchant category ("Supermarkets") right of each purchase, not part of its description."""
    runs = word_runs(Line(tuple(words), 0.0, 0.0, 0), _RUN_ON_GAP) if words else []
    if len(runs) < 2:
        return list(words)
    size = min(word.bottom - word.top for word in runs[0])
    return [
        word for run in runs
        if run is runs[0] or max(w.bottom - w.top for w in run) >= size * _ASIDE_SIZE
        for word in run
    ]  # fmt: skip


@dataclass
class Cells:
    """A line split by column: ``texts`` per role, and every role a word fell in (``landed``)."""

    texts: dict[str, list[str]] = field(default_factory=dict)
    landed: set[str] = field(default_factory=set)
    heights: list[float] = field(default_factory=list)  # of the words in cells (type size)
    top: float = float("inf")  # of the highest word in cells (margin text left out)
    # Where the description's words start and end on the line (x), for a line printed beside it.
    text_x0: float = float("inf")
    text_x1: float = float("-inf")
    spanned: bool = False  # a word was drawn across columns (a rule, a footer): it landed as OTHER
    other_x0: float = float("inf")  # where the words in columns of no role start


class ColumnLayout:
    """The columns of one table on one page, and the assignment of words to them."""

    def __init__(self, columns: Sequence[Column]) -> None:
        # A date column printed under the description is no column of a row's own line.
        self.dates_under_description = any(column.under_description for column in columns)
        self.columns = sorted((c for c in columns if not c.under_description), key=lambda c: c.x0)
        self.has_description = any(c.role == DESCRIPTION for c in self.columns)
        self._dates_labelled = any(c.role == DATE and c.labelled for c in self.columns)

    def read_date(self, text: str) -> RawDate | None:
        """The date a cell of the date column prints: under a header's date label as any such
        cell (``read_date_cell``: "01 02" too), in a column found from the rows as free text."""
        return read_date_cell(text) if self._dates_labelled else read_date(text)

    def has_role(self, role: str) -> bool:
        """Whether a column of the table has ``role``."""
        return any(column.role == role for column in self.columns)

    def learn(self, lines: Sequence[Line]) -> None:
        """Widen columns to what is printed under them, never into the neighbouring headers.

        Right-aligned numbers often stick out of their header: a number that overlaps exactly
        one money header widens that column, and so does one followed by a currency or CR/DR
        that overlaps it ("230.11 CHF" under "Soll"). Descriptions often start left of theirs: a word
        that overlaps only the description header, on a line with a date under the date
        header (a row, not a footer), moves the column's left edge to it. A column of no role
        ("Type") printing on every such row nothing but side markers (D, C, DR, CR) is the amounts'
        side, as one headed "Dr/Cr" is (:meth:`split`).
        """
        date_column = next((c for c in self.columns if c.role == DATE), None)
        marks: dict[int, list[bool]] = {}
        for line in lines:
            dated = date_column is not None and (
                self.read_date(" ".join(w.text for w in line.words if date_column.overlap(w) > 0)) is not None
            )
            for position, word in enumerate(line.words):
                previous = line.words[position - 1]
                hits = [c for c in self.columns if c.header_x1 > word.x0 and c.header_x0 < word.x1]
                if len(hits) != 1:
                    continue
                column = hits[0]
                index = self.columns.index(column)
                low = self.columns[index - 1].header_x1 if index else float("-inf")
                high = self.columns[index + 1].header_x0 if index + 1 < len(self.columns) else float("inf")
                if column.role in MONEY_ROLES and is_amount(word.text):
                    column.x0 = max(min(column.x0, word.x0), low)
                    column.x1 = min(max(column.x1, word.x1), high)
                elif column.role in MONEY_ROLES and position and _trails_amount(previous, word):
                    column.x0 = max(min(column.x0, previous.x0), low)
                elif column.role == DESCRIPTION and dated:
                    column.x0 = max(min(column.x0, word.x0), low)
                elif column.role == OTHER and dated:
                    marks.setdefault(index, []).append(side_marker(word.text) is not None)
        for index, marked in marks.items():
            if len(marked) >= _SIDE_MIN_ROWS and all(marked) and self._side_target(self.columns[index]):
                self.columns[index].role = SIDE

    def _side_target(self, side: Column) -> Column | None:
        """The money column whose amounts the side markers of ``side`` sign: the nearest on its
        left (Kotak's "Amount  Dr/Cr"; "Balance  Dr/Cr", a balance's side), else on its right."""
        money = [column for column in self.columns if column.role in MONEY_ROLES]
        left = [column for column in money if column.x1 <= side.x0]
        right = [column for column in money if column.x0 >= side.x1]
        if left:
            return max(left, key=lambda column: column.x1)
        return min(right, key=lambda column: column.x0) if right else None

    def _column_for(self, word: Word) -> Column | None:
        """The column ``word`` belongs to; ``None`` for a rule or footer drawn across the table."""
        # Column.overlap inlined, one pass: this runs for every word of every table line.
        x0, x1 = word.x0, word.x1
        best, best_overlap, overlapped = None, 0.0, 0
        for column in self.columns:
            overlap = (column.x1 if column.x1 < x1 else x1) - (column.x0 if column.x0 > x0 else x0)
            if overlap > 0:
                overlapped += 1
                if best is None or overlap > best_overlap:
                    best, best_overlap = column, overlap
        if overlapped >= _SPANNED_COLUMNS:
            return None
        if best is not None:
            return best
        if looks_like_amount_piece(word.text) and not any(ch.isdigit() for ch in word.text):
            if _LEADING_PIECE.match(word.text):  # "- 125,80", "+ 2.780,70", "EUR 12.00"
                reach = word.x1 + (word.bottom - word.top) * _SIGN_REACH
                right = [c for c in self.columns if c.role in MONEY_ROLES and word.x1 <= c.x0 <= reach]
                if right:
                    return min(right, key=lambda c: c.x0)
            left = [c for c in self.columns if c.role in MONEY_ROLES and c.x1 <= word.x0]
            before = max(left, key=lambda c: c.x1) if left else None
            # a lone "CR", "-" or currency code belongs to the number before it, unless a text
            # column starts between them (PKO's description right of its amounts: "PGE", "Z")
            if before is not None and not any(
                c.role not in MONEY_ROLES and before.x1 <= c.x0 <= word.x0 for c in self.columns
            ):
                return before
        # Text is left-aligned under its header: prefer the nearest text column starting on the left.
        text_columns = [c for c in self.columns if c.role not in MONEY_ROLES] or self.columns
        left = [c for c in text_columns if c.x0 <= word.x0]
        return max(left, key=lambda c: c.x0) if left else min(text_columns, key=lambda c: c.gap(word))

    def _in_margin(self, word: Word) -> bool:
        """Whether ``word`` lies well outside the table: margin text, a vertical reference code.

        Only left of the first column, or right of a last column holding numbers (text
        columns overflow to the right).
        """
        slack = (word.bottom - word.top) * _MARGIN_SLACK
        first, last = self.columns[0], self.columns[-1]
        return word.x1 < first.x0 - slack or (last.role in MONEY_ROLES and word.x0 > last.x1 + slack)

    def _run_on(self, words: Sequence[Word]) -> list[Word]:
        """The words right of the table that carry on the text of a cell: each a word space
        from the word before it, the first after a word of the table that is no amount.

        A description printed as one long line runs on under the money columns and past the
        last one (a ledger's particulars, clipped on the page, whole in its text); margin text
        stands apart (a vertical reference code, several word heights off the figures).
        """
        if not self.has_description:
            return []
        run_on: list[Word] = []
        for previous, word in pairwise(words):
            if not self._in_margin(word) or word.x1 < self.columns[0].x0:
                continue
            carried = previous in run_on or not (
                self._in_margin(previous) or looks_like_amount_piece(previous.text)
            )
            if carried and 0 <= word.x0 - previous.x1 <= (word.bottom - word.top) * _RUN_ON_GAP:
                run_on.append(word)
        return run_on

    def split(self, line: Line) -> Cells:
        """The texts of ``line`` per column role, left to right.

        Words that cannot be part of an amount but fall in a money column (a description
        overflowing its cell) go to the description, and so do words running on past the last
        column (:meth:`_run_on`); other margin text is left out.
        """
        cells = Cells()
        run_on = self._run_on(line.words)
        pending = [word for word in reversed(line.words) if word in run_on or not self._in_margin(word)]
        description = next((column for column in self.columns if column.role == DESCRIPTION), None)
        described: list[Word] = []
        sides: dict[str, str] = {}
        while pending:
            word = pending.pop()
            column = description if word in run_on else self._column_for(word)
            if column is None:
                cells.landed.add(OTHER)  # not a cell: keeps the line from continuing a row
                cells.spanned = True
                continue
            role = column.role
            if role == SIDE:
                marker, target = side_marker(word.text), self._side_target(column)
                if marker is not None and target is not None:
                    sides[target.role] = marker
                    continue
                role = OTHER
            cells.landed.add(role)
            cells.heights.append(word.bottom - word.top)
            cells.top = min(cells.top, word.top)
            if role in MONEY_ROLES and not looks_like_amount_piece(word.text):
                if word.pieces:  # numbers printed touching: read them one by one
                    pending.extend(reversed(word.pieces))
                    continue
                if self.has_description:
                    role = DESCRIPTION
            if role == DESCRIPTION:
                described.append(word)
                continue
            if role == OTHER:
                cells.other_x0 = min(cells.other_x0, word.x0)
            cells.texts.setdefault(role, []).append(word.text)
        for role, suffix in sides.items():  # after the amount, as a suffix: "486.00 DR"
            if role in cells.texts:
                cells.texts[role].append(suffix)
        kept = _without_asides(described)
        if kept:
            cells.texts[DESCRIPTION] = [word.text for word in kept]
            cells.text_x0, cells.text_x1 = min(w.x0 for w in kept), max(w.x1 for w in kept)
        return cells
