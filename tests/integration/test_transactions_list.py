"""GET /transactions (search, filters, sorting, pages), the charts' summary, the category
list and a rule's preview: the user's own transactions only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.support.seed import seed_statement

ROWS = [
    ("2024-01-03", "TESCO STORES 2041", "-25.50"),
    ("2024-01-05", "ACME PAYROLL", "2000.00"),
    ("2024-01-20", "Coffee 50% off_day", "-3.20"),
    ("2024-02-02", "tesco express", "-12.00"),
    ("2024-02-14", "RENT FEBRUARY", "-900.00"),
    ("2024-02-28", "REFUND TESCO", "5.00"),
]


@pytest.fixture
def mine(client, register, auth_headers) -> dict:
    user_id = client.get("/auth/me", headers=auth_headers).json()["id"]
    statement_id = seed_statement(user_id, ROWS)
    # Someone else's transactions, which must never show.
    other = client.get("/auth/me", headers=register()).json()["id"]
    seed_statement(other, [("2024-01-04", "TESCO ELSEWHERE", "-1.00")])
    return {"headers": auth_headers, "statement_id": statement_id}


def _list(client, mine, **params) -> dict:
    answer = client.get("/transactions", params=params, headers=mine["headers"])
    assert answer.status_code == 200, answer.text
    return answer.json()


def _categorize(client, mine, item: dict, category: str):
    return client.patch(
        f"/transactions/{item['id']}", json={"category": category}, headers=mine["headers"]
    )


def _descriptions(page: dict) -> list[str]:
    return [item["description"] for item in page["items"]]


def test_newest_first_by_default_and_only_mine(client, mine) -> None:
    page = _list(client, mine)
    assert page["total"] == len(ROWS)
    assert _descriptions(page) == [row[1] for row in reversed(ROWS)]


def test_search_is_case_insensitive_and_literal(client, mine) -> None:
    assert _descriptions(_list(client, mine, q="tesco", sort="date")) == [
        "TESCO STORES 2041", "tesco express", "REFUND TESCO",
    ]
    assert _descriptions(_list(client, mine, q="50%")) == ["Coffee 50% off_day"]
    assert _list(client, mine, q="5_%")["total"] == 0  # wildcards mean themselves
    assert _descriptions(_list(client, mine, q="off_day")) == ["Coffee 50% off_day"]


def test_search_is_blind_to_the_unicode_normalization_form(client, mine) -> None:
    # A PDF that draws an accent as its own glyph gives decomposed (NFD) text, stored as
    # read; a user types composed (NFC) text, or the other way round. Either finds either,
    # as categorization rules do; a letter without its accent is still another letter.
    decomposed, composed = "Cafe\u0301 Central", "Cr\u00e8me Bru\u0302le\u0301e SARL"
    seed_statement(client.get("/auth/me", headers=mine["headers"]).json()["id"], [
        ("2024-03-01", decomposed, "-4.10"), ("2024-03-02", "Cr\u00e8me Br\u00fbl\u00e9e", "-6.00"),
    ])
    seed_statement(client.get("/auth/me", headers=mine["headers"]).json()["id"], [
        ("2024-03-03", composed, "-7.00"),
    ])
    for q in ("Caf\u00e9", "caf\u00e9 c", "Cafe\u0301", "\u00e9 Central"):
        page = _list(client, mine, q=q)
        assert _descriptions(page) == [decomposed], q  # the row as stored, not recomposed
        assert page["total"] == 1, q
    assert _list(client, mine, q="cafe")["total"] == 0  # no accent: another letter
    assert _list(client, mine, q="Cafe ")["total"] == 0
    # "Brûlée" composed in the query, half decomposed in the row, and the other way round.
    assert _descriptions(_list(client, mine, q="Br\u00fbl\u00e9e SARL")) == [composed]
    assert _descriptions(_list(client, mine, q="cre\u0300me bru\u0302le\u0301e", sort="date")) == [
        "Cr\u00e8me Br\u00fbl\u00e9e", composed,
    ]
    # The summary reads the same filter.
    summary = client.get("/transactions/summary", params={"q": "CAF\u00e9"}, headers=mine["headers"])
    assert summary.status_code == 200, summary.text
    assert [row["count"] for row in summary.json()["months"]] == [1]


def test_search_ignores_case_beyond_ascii_on_both_back_ends(client, mine) -> None:
    # Statements print in capitals ("MÜLLER BÄCKEREI", "CAFÉ DE FLORE"); users type lower case,
    # and the other way round. SQLite's own lower() folds ASCII letters alone.
    seed_statement(client.get("/auth/me", headers=mine["headers"]).json()["id"], [
        ("2024-03-01", "M\u00dcLLER B\u00c4CKEREI", "-4.10"), ("2024-03-02", "CAF\u00c9 DE FLORE", "-6.00"),
        ("2024-03-03", "\u00e9cole \u00e9l\u00e9mentaire", "-7.00"),
    ])
    assert _descriptions(_list(client, mine, q="m\u00fcller")) == ["M\u00dcLLER B\u00c4CKEREI"]
    assert _descriptions(_list(client, mine, q="B\u00e4ckerei")) == ["M\u00dcLLER B\u00c4CKEREI"]
    assert _descriptions(_list(client, mine, q="caf\u00e9 de")) == ["CAF\u00c9 DE FLORE"]
    assert _descriptions(_list(client, mine, q="\u00c9COLE")) == ["\u00e9cole \u00e9l\u00e9mentaire"]
    assert _list(client, mine, q="muller")["total"] == 0  # no umlaut: another letter


def test_filters_combine(client, mine) -> None:
    page = _list(client, mine, date_from="2024-02-01", date_to="2024-02-20", direction="debit")
    assert _descriptions(page) == ["RENT FEBRUARY", "tesco express"]
    credits = _list(client, mine, direction="credit", sort="amount")
    assert _descriptions(credits) == ["REFUND TESCO", "ACME PAYROLL"]
    assert _list(client, mine, statement_id=mine["statement_id"])["total"] == len(ROWS)
    assert _list(client, mine, statement_id=mine["statement_id"] + 1)["total"] == 0


def test_sorting_and_pages(client, mine) -> None:
    amounts = [Decimal(item["amount"]) for item in _list(client, mine, sort="-amount")["items"]]
    assert amounts == sorted(amounts, reverse=True)
    first = _list(client, mine, sort="description", limit=4)
    second = _list(client, mine, sort="description", limit=4, offset=4)
    assert first["total"] == second["total"] == len(ROWS)
    names = _descriptions(first) + _descriptions(second)
    assert names == sorted((row[1] for row in ROWS), key=lambda text: text)  # binary order on both back ends


def test_category_filters_and_the_category_list(client, mine) -> None:
    items = _list(client, mine, q="tesco")["items"]
    for item in items:
        assert _categorize(client, mine, item, "Groceries").status_code == 200
    assert _list(client, mine, category="Groceries")["total"] == 3
    assert _list(client, mine, uncategorized="true")["total"] == len(ROWS) - 3
    assert client.get("/transactions/categories", headers=mine["headers"]).json() == ["Groceries"]


def test_the_picks_by_hand_can_be_listed(client, mine) -> None:
    """category_source=manual lists what the user set or cleared by hand (what runs keep)."""
    items = _list(client, mine, q="tesco", sort="date")["items"]
    _categorize(client, mine, items[0], "Groceries")
    client.patch(f"/transactions/{items[1]['id']}", json={"category": None}, headers=mine["headers"])
    picks = _list(client, mine, category_source="manual", sort="date")
    assert _descriptions(picks) == ["TESCO STORES 2041", "tesco express"]
    assert [item["category_source"] for item in picks["items"]] == ["manual", "manual"]
    assert _list(client, mine, category_source="rule")["total"] == 0  # no rule ran
    assert _list(client, mine, category_source="manual", uncategorized="true")["total"] == 1


@pytest.mark.parametrize("params", [
    {"date_from": "2024-02-01", "date_to": "2024-01-01"},
    {"sort": "balance"},
    {"direction": "sideways"},
    {"limit": 0},
    {"limit": 501},
    {"q": "a\x00b"},
    {"category": "Groceries", "uncategorized": "true"},
    {"category": " "},
    {"category_source": "robot"},
])
def test_bad_queries_are_422(client, mine, params) -> None:
    answer = client.get("/transactions", params=params, headers=mine["headers"])
    assert answer.status_code == 422
    assert answer.json()["detail"]


def test_a_reversed_date_range_is_said_in_words(client, mine) -> None:
    """The detail is shown as it is (the web app's filters): no field names in it."""
    for path in ("/transactions", "/transactions/summary"):
        answer = client.get(path, params={"date_from": "2024-02-01", "date_to": "2024-01-01"},
                            headers=mine["headers"])
        assert answer.status_code == 422
        assert answer.json()["detail"] == (
            "The start date (2024-02-01) must not be after the end date (2024-01-01)"
        )


def test_needs_a_user(client) -> None:
    for path in ("/transactions", "/transactions/summary", "/transactions/categories"):
        assert client.get(path).status_code == 401


def test_summary_totals_by_category_and_month(client, mine) -> None:
    items = _list(client, mine, q="tesco")["items"]
    for item in items:
        _categorize(client, mine, item, "Groceries")
    summary = client.get("/transactions/summary", headers=mine["headers"]).json()
    spending = {row["category"]: (Decimal(row["amount"]), row["count"]) for row in summary["spending"]}
    # REFUND TESCO is money in: not spending.
    assert spending == {None: (Decimal("903.20"), 2), "Groceries": (Decimal("37.50"), 2)}
    assert summary["spending"][0]["category"] is None  # largest first
    months = {
        row["month"]: (Decimal(row["money_in"]), Decimal(row["money_out"])) for row in summary["months"]
    }
    assert months == {
        "2024-01": (Decimal("2000.00"), Decimal("28.70")),
        "2024-02": (Decimal("5.00"), Decimal("912.00")),
    }
    february = client.get(
        "/transactions/summary", params={"date_from": "2024-02-01"}, headers=mine["headers"]
    ).json()
    assert [row["month"] for row in february["months"]] == ["2024-02"]


def test_rule_preview_counts_matches_without_saving(client, mine) -> None:
    headers = mine["headers"]
    first = _list(client, mine, q="TESCO STORES")["items"][0]
    client.patch(f"/transactions/{first['id']}", json={"category": "Shopping"}, headers=headers)
    rule = {"pattern": "tesco", "category": "Groceries", "direction": "debit"}
    answer = client.post("/rules/preview", json=rule, headers=headers)
    assert answer.status_code == 200, answer.text
    preview = answer.json()
    assert preview["matched"] == 2 and preview["already_categorized"] == 1
    assert preview["set_by_hand"] == 1  # the PATCH above: a run keeps it
    assert preview["scanned"] == len(ROWS)  # someone else's TESCO is not looked at
    assert [item["description"] for item in preview["examples"]] == ["tesco express", "TESCO STORES 2041"]
    regex_rule = {"pattern": "^(rent|acme)", "match_type": "regex", "category": "X"}
    regex = client.post("/rules/preview", json=regex_rule, headers=headers)
    assert regex.json()["matched"] == 2
    assert client.get("/rules", headers=headers).json()["total"] == 0
    assert _list(client, mine, category="Groceries")["total"] == 0


def test_rule_preview_refuses_an_invalid_rule(client, mine) -> None:
    look_ahead = {"pattern": "(?=x)", "match_type": "regex", "category": "X"}
    answer = client.post("/rules/preview", json=look_ahead, headers=mine["headers"])
    assert answer.status_code == 422
    assert answer.json()["detail"]
    assert client.post("/rules/preview", json={"pattern": "x", "category": "X"}).status_code == 401


def test_summary_never_adds_currencies_together(client, mine) -> None:
    """Each figure is one currency's (the statement's); unknown currency is a group of its own."""
    user_id = client.get("/auth/me", headers=mine["headers"]).json()["id"]
    statement_id = seed_statement(user_id, [("2024-01-10", "CAFE PARIS", "-7.00")], currency="EUR")
    seed_statement(user_id, [("2024-01-11", "TIM HORTONS", "-4.00"), ("2024-01-12", "PAY", "10.00")], "CAD")
    summary = client.get("/transactions/summary", headers=mine["headers"]).json()
    assert summary["currencies"] == ["CAD", "EUR", None]
    spending = [(row["currency"], row["category"], Decimal(row["amount"])) for row in summary["spending"]]
    assert spending == [
        ("CAD", None, Decimal("4.00")), ("EUR", None, Decimal("7.00")), (None, None, Decimal("940.70")),
    ]
    months = [(row["currency"], row["month"], Decimal(row["money_in"]), Decimal(row["money_out"]))
              for row in summary["months"]]
    assert months == [
        ("CAD", "2024-01", Decimal("10.00"), Decimal("4.00")),
        ("EUR", "2024-01", Decimal(0), Decimal("7.00")),
        (None, "2024-01", Decimal("2000.00"), Decimal("28.70")),
        (None, "2024-02", Decimal("5.00"), Decimal("912.00")),
    ]
    statement = client.get(f"/statements/{statement_id}", headers=mine["headers"]).json()
    assert statement["currency"] == "EUR"


def test_each_transaction_says_its_statements_currency(client, mine) -> None:
    """The listing joins each row's statement (one query): ``currency`` its ISO code, null
    when the statement does not show it; the statement's list, a category change and a
    rule's preview say it too."""
    headers = mine["headers"]
    user_id = client.get("/auth/me", headers=headers).json()["id"]
    euros = seed_statement(user_id, [("2024-03-01", "CAFE PARIS", "-7.00")], currency="EUR")
    seed_statement(user_id, [("2024-03-02", "TIM HORTONS", "-4.00")], currency="CAD")
    page = _list(client, mine, sort="-date", limit=3)
    assert [(item["description"], item["currency"]) for item in page["items"]] == [
        ("TIM HORTONS", "CAD"), ("CAFE PARIS", "EUR"), ("REFUND TESCO", None),
    ]
    assert page["total"] == len(ROWS) + 2
    listed = client.get(f"/statements/{euros}/transactions", headers=headers).json()["items"]
    assert [item["currency"] for item in listed] == ["EUR"]
    patched = _categorize(client, mine, listed[0], "Coffee")
    assert patched.status_code == 200 and patched.json()["currency"] == "EUR"
    preview = client.post("/rules/preview", json={"pattern": "tim", "category": "Coffee"}, headers=headers)
    assert [item["currency"] for item in preview.json()["examples"]] == ["CAD"]
    summary = client.get("/transactions/summary", headers=headers).json()
    counts = {(row["currency"], row["month"]): row["count"] for row in summary["months"]}
    assert counts == {
        ("CAD", "2024-03"): 1, ("EUR", "2024-03"): 1, (None, "2024-01"): 3, (None, "2024-02"): 3,
    }
