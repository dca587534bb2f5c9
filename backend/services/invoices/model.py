"""The metadata extracted from an invoice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class InvoiceMetadata:
    """Invoice fields as printed; a field the document does not print is ``None``."""

    invoice_number: str | None
    invoice_date: date | None
    due_date: date | None
    vendor: str | None
    currency: str | None  # ISO 4217 code, e.g. "USD", "EUR"
    subtotal: Decimal | None  # amount before tax
    tax: Decimal | None
    total: Decimal | None

    def to_json(self) -> dict[str, str | None]:
        """JSON-ready dict: dates as ``YYYY-MM-DD``, money as strings like ``"42.00"``."""
        return {
            "invoice_number": self.invoice_number,
            "invoice_date": _iso(self.invoice_date),
            "due_date": _iso(self.due_date),
            "vendor": self.vendor,
            "currency": self.currency,
            "subtotal": _money(self.subtotal),
            "tax": _money(self.tax),
            "total": _money(self.total),
        }


def _iso(value: date | None) -> str | None:
    """``date`` -> ``"YYYY-MM-DD"``; ``None`` stays ``None``."""
    return None if value is None else value.isoformat()


def _money(value: Decimal | None) -> str | None:
    """``Decimal`` -> string with two decimals (``"42.00"``); ``None`` stays ``None``."""
    return None if value is None else f"{value:.2f}"
