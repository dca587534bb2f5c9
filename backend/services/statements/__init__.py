"""Bank and credit-card statement PDF parsing (pure domain logic).

The table is found from its header words and their x-positions, so statements of banks we
have never seen can be read; see :func:`parse_statement`.
"""

from .models import ParsedStatement, ParsedTransaction
from .parser import parse_statement

__all__ = ["ParsedStatement", "ParsedTransaction", "parse_statement"]
