"""The text readers that remember their answers (``document_text.memo``, issue 9 item 3).

Remembering is safe only for pure readers whose answers cannot be changed by whoever gets them,
and affordable only while bounded: both are checked here.
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

import pytest

from backend.services.document_text import memo
from backend.services.document_text.dates import read_date
from backend.services.document_text.money import parse_amount
from backend.services.statements import keywords
from backend.services.statements.columns import classify_label

READERS: list[tuple[Any, list[str]]] = [
    (parse_amount, ["1,234.56", "(12.00)", "- 125,80", "45.00 CR", "Tesco", ""]),
    (read_date, ["01/02/2024", "12 Mar", "31.12.", "Card payment", ""]),
    (keywords.row_kind, ["Balance brought forward", "Closing balance", "TESCO STORES 3217", ""]),
    (keywords._normalise, ["Solde précédent :", "AÇIKLAMA", ""]),
    (classify_label, ["Money out (£)", "Vr.Date", "Débit euros", "Description", ""]),
]


def _immutable(answer: object) -> bool:
    if answer is None or isinstance(answer, str | int | Enum):
        return True
    return dataclasses.is_dataclass(answer) and type(answer).__dataclass_params__.frozen  # type: ignore[attr-defined]


@pytest.mark.parametrize(("reader", "texts"), READERS, ids=lambda value: getattr(value, "__name__", ""))
def test_remembered_readers_give_answers_nobody_can_change(reader: Any, texts: list[str]) -> None:
    for text in texts:
        answer = reader(text)
        assert _immutable(answer), (reader.__name__, text, answer)
        assert reader(text) is answer  # the remembered answer itself: hence it must be immutable


def test_a_reader_remembers_a_bounded_number_of_texts() -> None:
    memo.forget_all()
    for number in range(10_000):
        parse_amount(f"{number}.{number % 100:02d}")
    info = parse_amount.cache_info()  # type: ignore[attr-defined]
    assert info.currsize == info.maxsize == 4096
    memo.forget_all()
    assert parse_amount.cache_info().currsize == 0  # type: ignore[attr-defined]
