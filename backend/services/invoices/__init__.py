"""Invoice metadata extraction from PDFs (pure domain logic: no HTTP, Celery or database)."""

from backend.services.document_text.dates import parse_date
from backend.services.document_text.money import parse_money
from backend.services.invoices.extract import extract_invoice_metadata
from backend.services.invoices.model import InvoiceMetadata

__all__ = ["InvoiceMetadata", "extract_invoice_metadata", "parse_date", "parse_money"]
