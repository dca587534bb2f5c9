"""Invoice metadata extraction from PDFs (pure domain logic: no HTTP, Celery or database)."""

from backend.services.invoices.extract import extract_invoice_metadata
from backend.services.invoices.model import InvoiceMetadata
from backend.services.invoices.parsing import parse_date, parse_money

__all__ = ["InvoiceMetadata", "extract_invoice_metadata", "parse_date", "parse_money"]
