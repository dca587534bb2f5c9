"""Bank and credit-card statement PDF parsing (pure domain logic).

The table is found from its header words and their x-positions, so statements of banks we
have never seen can be read; see :func:`parse_statement`.

The names below are loaded on first use (PEP 562): importing a light submodule such as
``hints`` (the API's upload fields) must not load the parser and with it pdfplumber,
pdfminer and PDFium, ~25 MB per API process (docs/performance.md, "Worker memory").
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import ParsedStatement, ParsedTransaction
    from .parser import parse_statement

__all__ = ["ParsedStatement", "ParsedTransaction", "parse_statement"]

# Each public name and the submodule that defines it.
_HOMES = {"ParsedStatement": ".models", "ParsedTransaction": ".models", "parse_statement": ".parser"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home, __name__), name)
