"""Wording that gives a row or a heading its meaning: balances, totals, sections."""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

from ..document_text.dates import DATE_IN_TEXT
from ..document_text.memo import remembered
from ..document_text.tables import CURRENCY_CODES, CURRENCY_NAMES, alternation


class RowKind(Enum):
    """What a table row is, judged from its description."""

    TRANSACTION = "transaction"
    OPENING = "opening"  # opening / previous balance: starts a running-balance chain
    BROUGHT_FORWARD = "brought_forward"  # continues the chain from the previous page
    CARRIED_FORWARD = "carried_forward"  # checkpoint at the bottom of a page
    CLOSING = "closing"  # closing / new balance, total amount due
    BALANCE = "balance"  # "balance at <date>": opening before the rows, closing after them
    TOTAL = "total"  # totals and subtotals: not transactions


_PUNCTUATION = re.compile(r"[^\w/&']+")


@remembered
def _normalise(text: str) -> str:
    """Lower case, no accents, punctuation as spaces: ``Solde précédent :`` -> ``solde precedent``."""
    plain = text.lower()
    if not plain.isascii():  # most lines are: skip the per-character pass
        plain = plain.replace("ı", "i")  # Turkish dotless i ("AÇIKLAMA" lowers to "açiklama", "Açıklama" not)
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_PUNCTUATION.sub(" ", plain).split())


_ROW_KINDS: tuple[tuple[RowKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            RowKind.BROUGHT_FORWARD,
            (
                r"^(?:balance |bal )?(?:brought forward|b/f|b/fwd|bfwd|brought fwd)\b"
                r"|^balance forward\b"
                r"|^ubertrag (?:von|aus)\b|^solde reporte\b|^suma anterior\b|^saldo van vorige\b"
                r"|^(?:saldo )?riportato\b|^riporto\b"
            ),
        ),
        (
            RowKind.CARRIED_FORWARD,
            r"^(?:balance |bal )?(?:carried forward|c/f|c/fwd|cfwd|carried fwd)\b"
            r"|^ubertrag auf\b|^solde a reporter\b|^suma y sigue\b|^saldo naar volgende\b"
            r"|^(?:saldo )?a riportare\b"
            r"|^nakli yekun\b",
        ),
        (
            RowKind.OPENING,
            (
                r"^(?:opening|previous|prior|beginning|starting|start|initial|last month's|"
                r"last statement|previous statement) (?:statement |monthly )?(?:balance|bal)\b"
                r"|^balance (?:from |on )?(?:previous|last|prior) statement\b"
                r"|^(?:alter|vorheriger) (?:kontostand|saldo)\b|^saldovortrag\b|^anfangssaldo\b"
                r"|^(?:ancien|precedent) solde\b|^solde (?:precedent|initial|anterieur)\b"
                r"|^solde (?:d ?'? ?|a l ?'? ?)ouverture\b"  # "d'ouverture", "d’ouverture" (Quebec)
                r"|^saldo (?:anterior|inicial|iniziale|precedente|vorig)\b|^(?:begin|vorig) ?saldo\b"
                r"|^saldo primo\b|^saldo poczatkowe\b"
                r"|^(?:devir|acilis) bakiyesi\b|^onceki bakiye\b"
                r"|^inn?gaende saldo\b"  # Swedish, Norwegian ("Ingående saldo 2024-02-01")
                r"|^saldo awal\b"  # Indonesian
                r"|^(?:opening|beginning|starting) cash\b"  # a brokerage account's cash
                r"|^fatura anterior\b"  # a Brazilian card bill's last bill
                r"|^nyito egyenleg\b"  # Hungarian
                r"|^alkusaldo\b"  # Finnish
                r"|^pocatecni zustatek\b"  # Czech
                r"|^saldo fra (?:forrige )?kontoutskrift\b"  # Norwegian: the last statement's balance
            ),
        ),
        (
            RowKind.CLOSING,
            (
                r"^(?:total )?(?:closing|new|ending|end|final|current|statement) (?:balance|bal)\b"
                r"|^total (?:amount |balance )?(?:due|outstanding|payable)\b"
                r"|^balance (?:due|this statement)\b"
                r"|^(?:neuer|aktueller) (?:kontostand|saldo)\b|^endsaldo\b|^(?:nouveau|dernier) solde\b"
                r"|^solde (?:final|de cloture|nouveau)\b|^saldo (?:final|actual|finale)\b"
                r"|^solde (?:de|a la) fermeture\b"  # Quebec (Desjardins)
                r"|^(?:eind|nieuw) ?saldo\b|^schluss ?saldo\b|^saldo koncowe\b"
                r"|^saldo ultimo\b"
                r"|^son bakiye\b"
                r"|^utgaende saldo\b|^saldo akhir\b"
                r"|^(?:closing|ending) cash\b"
                r"|^total a pagar\b"  # a Brazilian card bill's amount due
                r"|^total balance$"  # a card's balance after the period (Apple Card)
                r"|^zaro egyenleg\b|^loppusaldo\b"  # Hungarian, Finnish
                r"|^(?:konecny|zaverecny) zustatek\b"  # Czech
                r"|^saldo i (?:deres|din|dykkar) fav[oø]r$"  # Norwegian: the balance in the holder's favour
            ),
        ),
        (
            RowKind.BALANCE,
            r"^balance (?:as )?(?:at|on|of)\b|^solde (?:crediteur|debiteur|au)\b|^kontostand (?:am|vom|per)\b"
            r"|^saldo (?:al|am|per|a)\b",
        ),
        (
            RowKind.TOTAL,
            # "Totals at end of page" (ANZ): a page's sums of its two columns
            r"^(?:sub ?|sub-|grand )?totals?\b|^net (?:amount|activity|change)\b"
            r"|^sous ?total\b|^zwischensumme\b|^subtotale\b"  # a page's subtotal (French, German, Italian)
            r"|^(?:summe )?(?:zahlungs)?(?:ausgange|eingange)$|^umsatz ?(?:total|summe)\b"
            r"|^toplam\b"
            r"|^(?:sub)?totaal\b"  # Dutch ("Totaal debet", "Totaal credit")
            r"|\bosszesen$"  # Hungarian ("Jóváírások összesen": credits in total)
            # a cardholder's subtotal after their name ("JOHN DOE #5678: Total Transactions")
            r"|^transactions? totals?$"  # the sums of a table's debit and credit columns (Axis)
            r"|\btotal (?:new )?(?:transactions|charges|purchases|payments|credits|fees|interest)"
            r"(?: for this (?:period|statement))?$",
        ),
    )
)

# The channel a section's money moved through, before its kind ("ATM & Debit Card Withdrawals";
# PNC's "Banking/Debit Card Withdrawals and Purchases", "Online and Electronic Banking Deductions").
_CHANNEL = r"(?:atm|debit card|card|online|electronic|banking|other|pos|ach)"
# A kind of money out a section lists ("Other withdrawals, debits and service charges", Truist;
# "Checks, withdrawals and fees"): kinds joined by commas (spaces once normalised), "and", "&" or
# "/", a bounded number of them.
_OUT_KIND = (
    r"(?:withdrawals?|debits?|deductions|subtractions|checks|cheques|purchases"
    r"|(?:service |bank |monthly )?(?:charges|fees))"
)
# Between kinds: a comma (a space once normalised), "and", "&" or a slash, spaced or not.
_JOIN = r"(?: and | & | ?/ ?| )"
# A section heading may end in how many rows it lists and what they total ("Withdrawals / Debits
# - 5 items totaling $1,568.58", Fifth Third; "Deposits (2 items)"), normalised to figures.
_SECTION_COUNT = re.compile(r" \d+ items?(?: (?:totall?ing|total|for)\b[\d ]*)?$")
_SECTIONS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (
        1,
        re.compile(
            r"^(?:deposits?|credits?|money in|paid in|receipts|incoming(?: payments)?|"
            r"(?:payments?|deposits?)(?: and | / |/)(?:other )?(?:credits|additions)|other credits|"
            r"payments received)$"
        ),
    ),
    (
        -1,
        re.compile(
            rf"^(?:{_CHANNEL}(?:(?: and | & |/| ){_CHANNEL}){{0,3}} )?"
            r"(?:withdrawals?|debits?|deductions)(?: and purchases)?$|"
            r"^(?:withdrawals?|debits?|money out|paid out|outgoing(?: payments)?|purchases|"
            r"withdrawals? and (?:other )?(?:debits|subtractions)|other debits|checks(?: paid)?|"
            r"cheques(?: paid)?|card (?:transactions|purchases)|purchases and (?:adjustments|advances)|"
            r"fees(?: charged)?|interest charged)$|"
            rf"^(?:other )?{_OUT_KIND}{_JOIN}{_OUT_KIND}(?:{_JOIN}{_OUT_KIND}){{0,3}}$"
        ),
    ),
)
# The heading of a table of rows not yet settled ("Pending Transactions", Chime; "Vorgemerkte
# Umsätze"): they are not in the period's balance, so not the statement's rows. A heading of
# posted rows ("Transactions", "Posted Transactions"), like a section heading, ends it.
_PENDING = re.compile(
    r"^(?:pending|unposted|uncleared)(?: (?:card )?(?:transactions|activity|items|charges|debits|credits"
    r"|payments|authori[sz]ations))?$"
    r"|^(?:authori[sz]ations|transactions|charges|payments) (?:pending|not yet posted|awaiting settlement)$"
    r"|^vorgemerkte (?:umsatze|buchungen|transaktionen)$|^vormerkungen$|^noch nicht gebuchte umsatze$"
    r"|^(?:operations|transactions) (?:en cours|en attente|a venir|non comptabilisees)$"
    r"|^(?:movimientos|operaciones|transacciones) pendientes$"
    r"|^(?:movimenti|operazioni) (?:in attesa|non contabilizzati|da contabilizzare)$"
)
_POSTED = re.compile(
    r"^(?:(?:posted|cleared|settled|booked|completed) )?(?:transactions|activity)$"
    r"|^(?:transactions|activity) (?:posted|cleared|settled)$"
    r"|^gebuchte (?:umsatze|buchungen|transaktionen)$|^umsatze$"
    r"|^operations (?:comptabilisees|passees)$"
    r"|^(?:movimientos|operaciones) (?:contabilizad[oa]s|realizad[oa]s)$"
    r"|^(?:movimenti|operazioni) contabilizzat[ie]$"
)
# A card number printed in full or masked ("4111 1111 1111 1234", "XXXX XXXX 1234", "****1234").
# The mask is runs of 2+ mask characters with a *mandatory* separator between runs, and starts
# only where a run starts: an optional separator between runs (the old ``(?:X{2,}[ -]?){1,3}``)
# lets a run of n X's split in O(n^3) ways, 11 s for 300 X's.
# Its first digits may show too ("4871 78XX XXXX 1234", Commerzbank).
CARD_NUMBER = re.compile(
    r"\b\d{4}[ \-](?:[\dXx*•]{4}[ \-]){2}\d{4}\b"
    r"|(?<![Xx*•])[Xx*•]{2,}(?:[ \-][Xx*•]{2,}){0,2}[ \-]?\d{4}\b"
)
# The heading of one card's section on a statement of several cards ("Card ending 1234 - J SMITH",
# "J SMITH 4111-1111-1111-1234"): bounded runs between the words and the digits keep it linear.
_CARD_SECTION = re.compile(
    r"\bcard\s{1,3}(?:ending(?:\s{1,3}in)?|no\.?|number|nr\.?|#)[\s:#.]{0,3}[Xx*•\s\-]{0,24}\d{4}(?!\d)",
    re.IGNORECASE,
)
# A line under a card purchase naming only the card it was paid with ("Card xx1234", CommBank;
# "Card ending 1234"), maybe after when it was used ("2024-01-02T18:14:05 Karte Nr. 4871 78XX XXXX
# 1234", Commerzbank): a detail of that row, neither description nor a card section's heading.
_USED_AT = r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?\s{1,3}"
_CARD_NOTE = re.compile(
    rf"^(?:{_USED_AT})?(?:card|karte|carte|tarjeta)"
    r"(?:\s{1,3}(?:ending(?:\s{1,3}in)?|no\.?|number|nr\.?|#))?[\s:#.]{0,3}"
    rf"(?:{CARD_NUMBER.pattern}|(?<=[\s:#.])\d{{4}})$",
    re.IGNORECASE,
)
_CODES = alternation(CURRENCY_CODES)
# The pieces of a foreign-currency line: a currency (code or name), a rate's label or sign, and
# figures (the foreign amount, the rate, the date it was converted on).
_CURRENCY_WORD = rf"(?:{_CODES}|{alternation(CURRENCY_NAMES)})"
_RATE_WORD = (
    r"(?:(?:exchange|exchg|conversion|fx) )?rate|(?:wechsel|umrechnungs)?kurs?|taux(?: de change)?|cours"
    r"|(?:tipo de )?cambio|tasso(?: di cambio)?|(?:wissel)?koers|[=@]"
)
_FIGURE = r"[-+]?\d[\d.,'\u2019/]*"
# A label: one to three words and a colon ("Reference:", "Ticket Number:", "Omschrijving:").
# French typography spaces the colon ("Réf. : 000123456789").
_LABEL = r"[^\W\d][\w.'-]*(?: [^\W\d][\w.'-]*){0,2} ?:"
# The rate's label may be in brackets, and the foreign amount times the rate ("50.00 x 1.0922
# (exchg rate)"), a middle dot between the two ("USD 59.99 · 1 EUR = 1.0968 USD", bunq): neither
# alone makes a note, the lookahead below still asks for a currency or rate.
_NOTE_PIECE = rf"(?:{_CURRENCY_WORD}|{_RATE_WORD}|\((?:{_RATE_WORD})\)|[x×·]|{_FIGURE})"
# A line under a card transaction giving its foreign amount or exchange rate: not description.
# Either after a label ("FOREIGN CURRENCY 22.54 USD"), or only the pieces above, one a currency
# or rate and one a figure with a separator, in any order ("45.00 Euro", "01/02/24 EURO",
# "1.09222 exchange rate", "USD 56,99 1 EURO = 1,1035 USD", "EUR 89.90 Kurs 0.9612"); "EURO
# 2024" is no note. The pieces may follow a label of any wording ("Oryginalna kwota operacji: 5,99 EUR").
_FOREIGN_CURRENCY_NOTE = re.compile(
    r"^(?:foreign (?:currency|amount|transaction)|original (?:currency|amount)"
    r"|(?:exchange|conversion|fx) rate|@ ?(?:exchange |conversion |fx )?rate)\b"
    rf"|^(?:{_LABEL}\s*)?(?=.*\d[.,'\u2019/]\d)(?=.*?(?<!\w)(?:{_CURRENCY_WORD}|{_RATE_WORD})(?!\w))"
    rf"{_NOTE_PIECE}(?:\s+{_NOTE_PIECE})*$",
    re.IGNORECASE,
)
# A line under a row giving only its value date ("Wertstellung 03.01.2024", N26) or the date a
# card purchase was made ("EFFECTIVE DATE 16/12/2023", ANZ): the row's date is its booking date,
# so the line is neither description nor a row of its own.
_VALUE_DATE_NOTE = re.compile(
    r"^(?:wertstellung|valuta|value date|val date|valeur|date de valeur|fecha valor|data valuta|rentedatum"
    r"|effective date|eff date)"
    rf"\s*:?\s*(?:{DATE_IN_TEXT.pattern}|\d{{1,2}}[./-]\d{{1,2}}\.?)$",
    re.IGNORECASE,
)
_LABELLED = re.compile(rf"^{_LABEL}(?:\s|$)")
# A line under a row printing only labelled references, each a label, then a code with a digit
# ("Reference: 320240090123456789", "Ticket Number: 00612345678901", "Arrival Date: 01/12/24
# Departure Date: 01/14/24", Amex): details of the row, not its description. After the first, a
# reference may be labelled by an abbreviation alone ("Réf. : 000123456789 ICS FR12ZZZ123456",
# Crédit Agricole: ICS, the creditor's identifier), an identifier of six characters or more:
# BCA's "TGL: 0401 QR 014" (a QR payment's terminal) is description, as the bank prints it.
_CODE = r"[^\s\d]*\d\S*"
_REFERENCE_NOTE = re.compile(rf"^{_LABEL} ?{_CODE}(?: (?:{_LABEL} ?|[A-Z]{{2,5}} (?=\S{{6}})){_CODE})*$")
# A balance printed as words where an account has none yet ("SOLDE NUL"): an opening balance of 0.
_ZERO_BALANCE = re.compile(r"^(?:solde nul|nil balance|zero balance|saldo null|saldo cero)$")
# A statement's date and its previous statement's, each after its label ("STATEMENT DATE: August
# 15, 2014", "PREVIOUS STATEMENT: July 14, 2014"): where no period is printed, they bound it.
STATEMENT_DATES = re.compile(
    r"\b(?:(?P<previous>(?:previous|last|prior) statement(?: (?:closing )?date)?)"
    r"|(?P<current>(?:statement (?:closing )?|closing )date|date of (?:this )?statement))"
    rf"\s*(?::\s*)?(?P<date>{DATE_IN_TEXT.pattern})",
    re.IGNORECASE,
)
_CONTINUED = re.compile(r"(?<!\s)\s*\(?(?:continued|cont'd|cont)\)?$")  # (?<!\s): one try per run


# "Your" before a balance label ("Dein neuer Kontostand", N26; "Your new balance"): the label follows.
_POSSESSIVE = re.compile(r"^(?:your|dein|deine|ihr|ihre|votre|uw|su|tu|il tuo|il suo) ")


@remembered
def row_kind(description: str) -> RowKind:
    """Classify a table row from its description (``"Balance brought forward"``...)."""
    text = _POSSESSIVE.sub("", _normalise(description))
    for kind, pattern in _ROW_KINDS:
        if pattern.search(text):
            return kind
    return RowKind.TRANSACTION


def section_sign(line_text: str) -> int | None:
    """+1 / -1 if ``line_text`` is a section heading such as "Deposits" or "Money out", else None."""
    text = _SECTION_COUNT.sub("", _CONTINUED.sub("", _normalise(line_text)))
    for sign, pattern in _SECTIONS:
        if pattern.match(text):
            return sign
    return None


def is_pending_heading(line_text: str) -> bool:
    """Whether a line heads rows not yet settled ("Pending Transactions", "Vorgemerkte Umsätze")."""
    return bool(_PENDING.match(_CONTINUED.sub("", _normalise(line_text))))


def is_posted_heading(line_text: str) -> bool:
    """Whether a line heads settled rows ("Transactions", "Posted Transactions"): after pending
    ones, the statement's rows again."""
    return bool(_POSTED.match(_CONTINUED.sub("", _normalise(line_text))))


def is_foreign_currency_note(line_text: str) -> bool:
    """Whether a line under a row only gives its foreign amount or exchange rate."""
    return bool(_FOREIGN_CURRENCY_NOTE.match(line_text.strip()))


def is_value_date_note(line_text: str) -> bool:
    """Whether a line under a row only gives its value date ("Wertstellung 03.01.2024")."""
    return bool(_VALUE_DATE_NOTE.match(line_text.strip()))


def is_card_note(line_text: str) -> bool:
    """Whether a line under a row only names the card it was paid with ("Card xx1234")."""
    return bool(_CARD_NOTE.match(line_text.strip()))


def is_reference_note(line_text: str) -> bool:
    """Whether a line under a row only gives labelled references ("Reference: 3202400901")."""
    return bool(_REFERENCE_NOTE.match(" ".join(line_text.split())))


def starts_with_label(line_text: str) -> bool:
    """Whether a line starts with a label and a colon ("Omschrijving: Huur maart")."""
    return bool(_LABELLED.match(" ".join(line_text.split())))


def is_zero_balance(line_text: str) -> bool:
    """Whether a line says, in words, that the balance is nil ("SOLDE NUL")."""
    return bool(_ZERO_BALANCE.match(_normalise(line_text)))


def is_card_section_heading(line_text: str) -> bool:
    """Whether a line (printing no date or amount) heads one card's transactions.

    Such a heading starts a new section: the payments section's sign stops there, and the
    line is neither a transaction nor part of one's description.
    """
    return bool(_CARD_SECTION.search(line_text) or CARD_NUMBER.search(line_text))
