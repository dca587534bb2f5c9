"""One home for reading document text: words and lines, money, dates.

Statement parsing (``services/statements``) and invoice extraction (``services/invoices``)
both read PDFs through :mod:`.layout`, amounts through :mod:`.money` and dates through
:mod:`.dates`; the per-language tables (month names, currency symbols, separators) live once,
in :mod:`.tables` and :mod:`.dates`; organisation names (legal forms, bank words) in :mod:`.names`.
"""
