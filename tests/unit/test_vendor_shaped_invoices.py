"""Invoices shaped like real vendors' and countries' (``tests.support.vendor_shaped_invoices``), extracted.

Each layout was written from what public invoices of that vendor or country look like, without
reading the extractor's label lists or vendor rules, so they test it on shapes its authors did not
choose: AWS (the due date inside ``TOTAL AMOUNT DUE ON <date>``, a service table, remit-to bank
lines), Stripe (``Date of issue`` / ``Date due`` / ``Amount due``, the vendor above a ``Bill to``
column), Google Workspace (``Subtotal in EUR`` / ``VAT (19%)``, the issuer under ``Details`` below
the customer), a German Rechnung (``zzgl. USt. 19 %``, ``bis zum 29.03.2024``, a Leistungsdatum),
a French facture (``N° de facture``, ``Total HT`` / ``TVA 20 %`` / ``Total TTC``, ``1 234,56 €``),
a Dutch factuur (``15-03-2024``, KvK / BTW / IBAN furniture), an Indian GST invoice (CGST + SGST,
a round-off line, ``₹1,23,456.00``), a UK VAT invoice (a tax point beside the invoice date, ``Net
30`` only), an Italian fattura (number and date on one line, no currency printed), a Japanese-style
invoice (``2024/03/15``, ``¥123,456``), a freelancer template (vendor top right, ``Bill To`` left,
ISO dates) and a Shopify order invoice (discount and shipping lines, ``$174.00 AUD``, GST included).

Every field of :class:`InvoiceMetadata` is compared exactly with the truth the writer returns (the
rules are in the support module's docstring). A layout the extractor does not read exactly yet is
a strict xfail naming the concrete cause: which fields come out wrong, and as what.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from backend.services.errors import InvalidInputError
from backend.services.invoices import InvoiceMetadata, extract_invoice_metadata
from tests.support import vendor_shaped_invoices as invoices

WRITERS: dict[str, Callable[[Path], InvoiceMetadata]] = {
    "aws": invoices.write_aws,
    "stripe": invoices.write_stripe,
    "google_workspace": invoices.write_google_workspace,
    "german_rechnung": invoices.write_german_rechnung,
    "french_facture": invoices.write_french_facture,
    "dutch_factuur": invoices.write_dutch_factuur,
    "indian_gst": invoices.write_indian_gst,
    "uk_vat": invoices.write_uk_vat,
    "italian_fattura": invoices.write_italian_fattura,
    "japanese": invoices.write_japanese,
    "freelancer": invoices.write_freelancer,
    "shopify": invoices.write_shopify,
}

# name -> why the extractor does not read it exactly yet (each a strict xfail).
NOT_YET_EXACT: dict[str, str] = {}


def differences(truth: InvoiceMetadata, path: Path) -> list[str]:
    """What the extractor read differently from the truth, one readable line per field."""
    try:
        read = extract_invoice_metadata(path)
    except InvalidInputError as error:
        return [f"raised InvalidInputError: {error}"]
    want, got = truth.to_json(), read.to_json()
    return [f"{name}: want {want[name]!r} got {got[name]!r}" for name in want if want[name] != got[name]]


def _case(name: str) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=NOT_YET_EXACT[name])] if name in NOT_YET_EXACT else []
    return pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", [_case(name) for name in WRITERS])
def test_vendor_shaped_invoice_is_read_exactly(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.pdf"
    truth = WRITERS[name](path)
    assert differences(truth, path) == []
