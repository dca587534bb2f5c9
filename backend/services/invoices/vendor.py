"""Find the vendor (issuer) name of an invoice.

The vendor is the party that issues the invoice, never the one it is addressed to. The
first page is read as *runs*: the words of a line up to a column gap, so a right-hand
column's text printed on the same baseline as the left's ("Linear Orbit, Inc."  "Bill to")
is never read as one name. Runs in a *recipient block* are set aside first: the block a
recipient label opens ("Bill to", "Invoice to", "Customer:", "Ship to", a utility bill's
"Service For:", "Rechnungsempfänger", "Client :", "Kunde:", "Spett.le", a buyer's heading:
"Nabywca", "Tomador de serviços", "Odběratel"..., a salutation: "Exmo(s). Sr(s).", "Sayın"), and
the block holding an attention line ("Attn:",
"z. Hd.", "t.a.v."), which only a recipient's address prints. A block is the run and the runs
under it in the same column, down to a blank line's gap.

Then, in order of evidence: a "Vendor:"-style label; else the name heading the block under a
seller's heading ("Sprzedawca", "Prestador de serviços", "Dodavatel"); else the first company name carrying a
legal form ("QualityHosting AG", "Amazon Web Services, Inc.", "Sharma Textiles Pvt. Ltd.")
outside recipient blocks; else a run spelling the vendor's printed website ("Azure Interior"
for www.azure-interior.com); else, when a recipient label names the customer, the first
name-like run printed above it (a freelancer's or a shop's name at the top, left or right).
Nothing found -> ``None``.

A name may open with a word invoices print as a label or a title: "Invoice Ninja Ltd" keeps its
first word (:func:`_title_opens_name`), "Net Craft Joinery" in a letterhead is a name, not a
subtotal's label (:func:`_label_opens_letterhead`); a bare capitals form inside a capitals phrase
("PAYMENT AS AGREED") is no legal form (:func:`_phrase_goes_on`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from backend.services.document_text.layout import Line, Word
from backend.services.document_text.money import find_money
from backend.services.document_text.names import LEGAL_FORM_OPENERS, LEGAL_FORMS
from backend.services.invoices.labels import Field, LabelHit, find_hits

# Words that end a company name when reading backwards from its legal form: a document's title
# ("Invoice Acme Ltd" after a gap too narrow for a column) or what introduces the issuer ("Rechnung
# von"). A title word opening the run in the name's own case is the name's first word instead
# ("Invoice Ninja Ltd"): :func:`_title_opens_name`.
_TITLE_WORDS = frozenset({"invoice", "rechnung", "factuur", "facture"})
_FROM_WORDS = frozenset({"from", "von", "van"})
# Legal-form openers compared in any case ("Pvt. Ltd.", "PVT. LTD.", "SA DE C.V.").
_FORM_OPENERS = frozenset(opener.lower() for opener in LEGAL_FORM_OPENERS)
# Runs made only of these words are a document's title, not a party ("Tax Invoice").
_DOCUMENT_TITLES = frozenset(
    {"invoice", "tax", "vat", "gst", "commercial", "proforma", "pro-forma", "receipt", "bill",
     "rechnung", "factuur", "facture", "fattura", "factura", "fatura", "faktura", "original", "copy",
     "duplicate", "de", "servicios", "serviços", "servicos"}
)  # fmt: skip
_SEPARATORS = frozenset({"-", "–", "|", "•", "·"})
_MAX_NAME_WORDS = 5
# Words further apart than this many times the left word's height are in different columns.
_COLUMN_GAP = 1.5
# A run belongs to the block above it when the gap between them is under this many times
# the smaller one's height: a blank line's gap ends a block.
_BLOCK_GAP = 1.0
# A run starts in a block's column when its left edge is this close to or right of the block's.
_COLUMN_SLACK = 2.0
_LETTER = re.compile(r"[^\W\d_]")
_NOT_ALPHANUMERIC = re.compile(r"[\W_]")
_WEBSITE_RE = re.compile(r"(?:https?://(?:www\.)?|(?<![\w@.])www\.)([a-z0-9-]+)\.[a-z]{2,}", re.IGNORECASE)
# A run opening with one of these labels (alone, or before a colon) introduces the recipient:
# "Customer:" does, "Customer number: 10023" does not.
_RECIPIENT_LABEL = re.compile(
    r"^(?:(?:bill(?:ed)?|invoice[sd]?|sold|ship(?:ped)?|deliver(?:ed|y)?|issued)\s+to|service\s+(?:for|to)|"
    r"customer|recipient|"
    r"client|cliente|klant|kunde|destinataire|factur[ée]\s+[àa]|rechnungsempfänger|empfänger|"
    r"rechnungsadresse|lieferadresse|factuuradres|spett\.?\s?le|spettabile|nabywca|odbiorca|"
    r"tomador(?:\s+d[eo]s?\s+servi[çc]os?)?|destinat[áa]rio|kund|"
    r"odběratel|příjemce|"
    # A salutation addressing the customer: Portuguese "Exmo(s). Sr(s).", Turkish "Sayın".
    r"exm[oa]s?(?:\(s\))?\.?\s*sr[as]?(?:\(s\))?\.?|sayın|sayin)"
    r"(?:\s+(?:address|adresse|details))?\s*(?::|$)",
    re.IGNORECASE,
)
# A run that is only one of these is a seller's heading: the issuer's name opens its block.
_ISSUER_HEADING = re.compile(
    r"^(?:seller|supplier|sprzedawca|prestador(?:\s+d[eo]s?\s+servi[çc]os?)?|emitente|vendedor|"
    r"leverantör|verkäufer|dodavatel)\s*:?$",
    re.IGNORECASE,
)
# A tax id as sellers print theirs: its label, then a value holding digits.
_TAX_ID = re.compile(
    r"\b(?:VAT|USt|UStId|USt-IdNr|Steuer-?nr|Steuernummer|MwSt|Tax\s+(?:ID|No|Reg)|TIN|EIN|GSTIN|GST\s+No|"
    r"ABN|BTW|TVA|P\.?\s?IVA|Partita\s+IVA|NIF|CIF|Registration\s+No|TRN)\b[^\d\n]{0,20}\d",
    re.IGNORECASE,
)
# A run opening with one of these is the recipient's attention line ("Attn: Accounts Payable").
_ATTENTION = re.compile(
    r"^(?:attn\b|attention\b|z\.\s?hd\.?|zu\s+händen|t\.\s?a\.\s?v\.|c/o\b|à\s+l'attention|a\.?\s?c\.?\s+di\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Run:
    """The words of one line up to a column gap, with the line's index among the page's."""

    words: tuple[Word, ...]
    line: int

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def top(self) -> float:
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> float:
        return max(word.bottom for word in self.words)

    @property
    def height(self) -> float:
        return self.bottom - self.top


def find_vendor(lines: Sequence[Line], hits: Sequence[LabelHit]) -> str | None:
    """The vendor's name, or ``None`` when the document gives no evidence of it."""
    first_page = [line for line in lines if line.page == 0]
    runs = [run for index, line in enumerate(first_page) for run in _runs(line, index)]
    recipients = _recipient_runs(runs)
    parties = [run for run in runs if run not in recipients]
    return (
        _labelled_vendor(hits)
        or _headed_vendor(runs, recipients)
        or _issuer_entity(parties, runs, first_page)
        or _website_name(first_page, parties)
        or _name_above_recipient(runs, recipients)
    )


def _runs(line: Line, index: int) -> list[_Run]:
    """``line``'s words split where a gap wider than a column gap separates them."""
    runs: list[list[Word]] = []
    for word in line.words:
        previous = runs[-1][-1] if runs else None
        if previous is None or word.x0 - previous.x1 > _COLUMN_GAP * (previous.bottom - previous.top):
            runs.append([word])
        else:
            runs[-1].append(word)
    return [_Run(tuple(words), index) for words in runs]


def _recipient_runs(runs: Sequence[_Run]) -> set[_Run]:
    """Every run in a recipient block: under a recipient label, or around an attention line."""
    recipients: set[_Run] = set()
    for run in runs:
        if _RECIPIENT_LABEL.match(run.text):
            recipients |= _block(run, runs, upwards=False)
        elif _ATTENTION.match(run.text):
            recipients |= _block(run, runs, upwards=True)
    return recipients


def _block(start: _Run, runs: Sequence[_Run], *, upwards: bool) -> set[_Run]:
    """``start`` and the runs in its column below it (and above, if ``upwards``) with no blank line between.

    The column runs from ``start``'s left edge to the next run on its line (the page's edge
    when there is none).
    """
    beside = [run.x0 for run in runs if run.line == start.line and run.x0 > start.x0]
    left, right = start.x0 - _COLUMN_SLACK, min(beside, default=math.inf)
    column = sorted((run for run in runs if left <= run.x0 < right), key=lambda run: (run.top, run.x0))
    position = column.index(start)
    block = {start}
    for step in ((1, -1) if upwards else (1,)):
        current, index = start, position + step
        while 0 <= index < len(column):  # the next run of the column, past other columns' lines
            below, above = (column[index], current) if step == 1 else (current, column[index])
            if below.top - above.bottom >= _BLOCK_GAP * min(below.height, above.height):
                break
            current = column[index]
            block.add(current)
            index += step
    return block


def _labelled_vendor(hits: Sequence[LabelHit]) -> str | None:
    """The text after the first "Vendor:"-style label that has any."""
    values = (hit.segment.strip(" :") for hit in hits if hit.spec.field is Field.VENDOR)
    return next((value for value in values if _LETTER.search(value)), None)


def _headed_vendor(runs: Sequence[_Run], recipients: set[_Run]) -> str | None:
    """The run right under a seller's heading, in its block, when it reads as a name (no digits,
    no field label): a heading names its party on the line below it."""
    for heading in (run for run in runs if _ISSUER_HEADING.match(run.text) and run not in recipients):
        block = sorted(_block(heading, runs, upwards=False) - {heading}, key=lambda run: (run.top, run.x0))
        if block and _names_party(block[0]):
            return block[0].text
    return None


def _issuer_entity(parties: Sequence[_Run], runs: Sequence[_Run], lines: Sequence[Line]) -> str | None:
    """The issuer's company name (:func:`_legal_entity`), unless it is printed only in the
    footer's small print under a letterhead: a company there is the operator behind the name the
    issuer goes by (a hotel's "Hotelbetriebs GmbH" under "Hotel Marienhof Berlin"), and the
    letterhead, printed larger than the body at the top, names the issuer as it presents itself."""
    entity = _legal_entity(parties, runs)
    if entity is None:
        return None
    run, name = entity
    body = _body_height(runs)
    last_amount = max((line.bottom for line in lines if find_money(line.text)), default=-math.inf)
    small_print = [other for other in parties if other.height < body and other.top > last_amount]
    named_above = any(name in other.text for other in parties if other not in small_print)
    if run in small_print and not named_above:
        return _letterhead(parties, body) or name
    return name


def _body_height(runs: Sequence[_Run]) -> float:
    """The height of the type most of the page's words are printed in."""
    heights = Counter(round(word.bottom - word.top, 1) for run in runs for word in run.words)
    return heights.most_common(1)[0][0]


def _letterhead(parties: Sequence[_Run], body: float) -> str | None:
    """The page's first run printed larger than its body (after a title such as "INVOICE"),
    when it reads as a name."""
    large = sorted((run for run in parties if run.height > body), key=lambda run: (run.top, run.x0))
    first = next((run for run in large if not _is_title(run)), None)
    return first.text if first is not None and _name_like(first, body) else None


def _legal_entity(parties: Sequence[_Run], runs: Sequence[_Run]) -> tuple[_Run, str] | None:
    """The first "<Name> <legal form>" outside recipient blocks, with its run: the seller's if it shows.

    The seller prints its tax id (VAT, USt-IdNr., GSTIN, P.IVA...) in its own block or
    after its name; among several unlabelled companies, the first that does wins, else the
    first in reading order.
    """
    entities = [(run, name) for run in parties for name in _names_in(run)]
    if not entities:
        return None
    recipients = set(runs) - set(parties)
    for run, name in entities:
        block = _block(run, [other for other in runs if other not in recipients], upwards=False)
        if any(_TAX_ID.search(member.text) for member in block):
            return run, name
    return entities[0]


def _names_in(run: _Run) -> Iterator[str]:
    """Each "<Name> <legal form>" in ``run``, the name within the run; a legal form is read to
    its end ("S.A. de C.V.", "GmbH & Co. KG"), never cut at the form its first word is; two forms in a row
    ("LTD. ŞTİ.") are one."""
    words = [word.text for word in run.words]
    for position, word in enumerate(words):
        after = words[position + 1 :]
        if word.rstrip(",;") in LEGAL_FORMS and not _form_goes_on(after) and not _phrase_goes_on(word, after):
            name = _name_before(words[: position + 1])
            if name:
                yield " ".join(name)


def _form_goes_on(after: Sequence[str]) -> bool:
    """Whether the words after a legal form continue it: joining words if any, then another legal form."""
    rest = [word.rstrip(",;") for word in after]
    joined = next((index for index, word in enumerate(rest) if word.lower() not in _FORM_OPENERS), len(rest))
    return joined < len(rest) and rest[joined] in LEGAL_FORMS


def _phrase_goes_on(form: str, after: Sequence[str]) -> bool:
    """Whether a legal form printed in bare capitals ("AS", "SA", "LTD") is a word of a phrase in
    capitals rather than a form: a word in capitals follows it ("PAYMENT AS AGREED", "SERVICES AS
    LISTED BELOW"). A form ends its name, so only more of a form, a document title or a tax id may
    follow it in capitals ("SERVICIOS DIGITALES SA DE C.V.", "FJORDLYS AS FAKTURA", "ACME LTD VAT NO
    GB 123 4567 89")."""
    if not (form.isalpha() and form.isupper() and after):
        return False
    following = after[0].rstrip(".,;:!")
    return (
        following.isalpha()
        and following.isupper()
        and following.lower() not in _DOCUMENT_TITLES | _FORM_OPENERS
        and following not in LEGAL_FORMS
        and not _TAX_ID.match(" ".join(after))
    )


def _name_before(words: Sequence[str]) -> list[str]:
    """The company name ending in the legal form ``words[-1]`` (empty if no name precedes it).

    The legal form may open with more words ("Pvt. Ltd.", "Co., Ltd."), and the name's last
    word may end with the comma printed before it ("Linear Orbit, Inc.").
    """
    form = [words[-1].rstrip(",;")]
    rest = list(words[:-1])
    while rest and (rest[-1].rstrip(",").lower() in _FORM_OPENERS or rest[-1].rstrip(",") in LEGAL_FORMS):
        form.insert(0, rest.pop())
    name: list[str] = []
    for position in range(len(rest) - 1, -1, -1):
        word = rest[position]
        before_form_comma = not name and word.endswith(",") and len(word) > 1  # "Orbit, Inc."
        ends_phrase = word[-1] in ".:;," and not before_form_comma
        if (
            ends_phrase
            or word in _SEPARATORS
            or word.lower() in _FROM_WORDS
            or (word.lower() in _TITLE_WORDS and not _title_opens_name(rest[:position], word, name))
            or any(char.isdigit() for char in word)
            or len(name) == _MAX_NAME_WORDS
        ):
            break
        name.insert(0, word)
    return [*name, *form] if name else []


def _title_opens_name(before: Sequence[str], title: str, name: Sequence[str]) -> bool:
    """Whether a title word is the first word of the ``name`` after it: it opens the run or follows
    what introduces the issuer ("From: Invoice Ninja Ltd"), and is printed in title case before a
    capitalised word, as a name's words are ("Invoice Ninja Ltd"). In capitals it is a heading
    ("INVOICE Acme Ltd", "INVOICE ACME LTD"), as it is after another word ("Tax Invoice Acme Ltd")."""
    last = before[-1] if before else ""
    opens = not last or last[-1] in ".:;," or last in _SEPARATORS or last.lower() in _FROM_WORDS
    following = name[0] if name else ""
    return opens and title.istitle() and following[:1].isupper()


def _website_name(lines: Sequence[Line], runs: Sequence[_Run]) -> str | None:
    """A run of words (outside recipient blocks) that spells a printed website's name."""
    names = {_squash(match[1]) for line in lines for match in _WEBSITE_RE.finditer(line.text)}
    if not names:
        return None
    for run in runs:
        for start in range(len(run.words)):
            spelt = _run_spelling(run.words[start:], names)
            if spelt:
                return spelt
    return None


def _run_spelling(words: Sequence[Word], names: set[str]) -> str | None:
    """The shortest run of ``words`` (from the first) whose letters spell one of ``names``."""
    letters = ""
    for end, word in enumerate(words, start=1):
        letters += _squash(word.text)
        if not letters:  # a run never starts with punctuation
            return None
        if letters in names:
            return " ".join(w.text for w in words[:end])
        if not any(name.startswith(letters) for name in names):
            return None
    return None


def _name_above_recipient(runs: Sequence[_Run], recipients: set[_Run]) -> str | None:
    """The first name-like run above the first recipient label, if a label names a recipient.

    With the customer labelled, the unlabelled party printed above it is the issuer; without
    a label, two unlabelled names cannot be told apart, and none is guessed.
    """
    labels = [run for run in runs if _RECIPIENT_LABEL.match(run.text)]
    if not labels:
        return None
    first_label = min(labels, key=lambda run: run.top)
    above = sorted((run for run in runs if run.bottom <= first_label.top), key=lambda run: (run.top, run.x0))
    body = _body_height(runs)
    return next((run.text for run in above if run not in recipients and _name_like(run, body)), None)


def _names_party(run: _Run) -> bool:
    """A run that can be a party's name however long: letters, no digits, no field label."""
    if any(char.isdigit() or char in ":#@/" for char in run.text) or not _LETTER.search(run.text):
        return False
    return not find_hits([Line.of_words(run.words)])


def _name_like(run: _Run, body: float) -> bool:
    """A run that can be a party's name: words of letters; no digits, field label or title only.

    A label word opens a name only in a letterhead (:func:`_label_opens_letterhead`)."""
    texts = [word.text for word in run.words]
    if len(texts) > _MAX_NAME_WORDS or any(char.isdigit() or char in ":#@/" for char in run.text):
        return False
    hits = find_hits([Line.of_words(run.words)])
    if hits and not _label_opens_letterhead(run, hits, body):
        return False  # "Total", "Date", "Due date": a field's label
    if _is_title(run):
        return False
    return all(_LETTER.search(text) or text in {"&", "-", "+"} for text in texts)


def _label_opens_letterhead(run: _Run, hits: Sequence[LabelHit], body: float) -> bool:
    """Whether the field label a run opens with is the first word of a name printed as a letterhead
    ("Net Craft Joinery", "Due North Studio", "Date Palm Catering"): the run is in type larger than
    the body's, the label is its only one, and capitalised words follow it, none a label of its own
    ("Total Amount Due" is labels only). A label is followed by its value, and a value by no
    capitals; a document title word ("Tax Point", "Invoice Summary") opens no name here."""
    label_words = len(run.text[: len(run.text) - len(hits[0].segment)].split())
    name = run.words[label_words:]
    return (
        run.height > body
        and len(hits) == 1
        and hits[0].x0 == run.x0
        and run.words[0].text.lower() not in _DOCUMENT_TITLES
        and bool(name)
        and all(word.text[0].isupper() or word.text in {"&", "-", "+"} for word in name)
        and not find_hits([Line.of_words(name)])
    )


def _is_title(run: _Run) -> bool:
    """A run of a document's title words only ("Tax Invoice", "INVOICE / RECHNUNG")."""
    return all(word.text.lower().strip(".") in _DOCUMENT_TITLES | _SEPARATORS | {"/"} for word in run.words)


def _squash(text: str) -> str:
    """Lower-case letters and digits only: "Azure Interior" -> "azureinterior"."""
    return _NOT_ALPHANUMERIC.sub("", text).lower()
