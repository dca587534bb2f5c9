"""Rules CRUD and bulk categorization through the API and a real worker."""

from __future__ import annotations

import pytest

from tests.support import is_final
from tests.support.seed import seed_statement
from tests.support.statement_pdfs import LAYOUTS


def me(client, headers) -> int:
    return client.get("/auth/me", headers=headers).json()["id"]


RULE = {"pattern": "coffee", "match_type": "contains", "category": "Eating out", "priority": 1}


def test_rules_can_be_created_listed_replaced_and_deleted(client, auth_headers):
    created = client.post("/rules", json=RULE, headers=auth_headers)
    assert created.status_code == 201
    rule = created.json()
    assert rule["pattern"] == "coffee" and rule["direction"] is None

    listing = client.get("/rules", headers=auth_headers).json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == rule["id"]

    replaced = client.put(
        f"/rules/{rule['id']}",
        json={**RULE, "category": "Coffee", "amount_max": "20.00", "direction": "debit"},
        headers=auth_headers,
    )
    assert replaced.status_code == 200
    assert replaced.json()["category"] == "Coffee" and replaced.json()["amount_max"] == "20.00"

    assert client.delete(f"/rules/{rule['id']}", headers=auth_headers).status_code == 204
    assert client.get("/rules", headers=auth_headers).json() == {"items": [], "total": 0}


@pytest.mark.parametrize(
    "body, words",
    [
        ({**RULE, "pattern": "ab(", "match_type": "regex"}, "regex"),
        ({**RULE, "match_type": "fuzzy"}, "match_type"),
        ({**RULE, "direction": "sideways"}, "direction"),
        ({**RULE, "amount_min": "50", "amount_max": "10"}, "amount"),
        ({**RULE, "pattern": ""}, "pattern"),
        ({"pattern": "x"}, "category"),
    ],
)
def test_invalid_rules_are_422_and_not_saved(client, auth_headers, body, words):
    response = client.post("/rules", json=body, headers=auth_headers)
    assert response.status_code == 422
    assert words in str(response.json()["detail"]).lower()
    assert client.get("/rules", headers=auth_headers).json()["total"] == 0


def test_reversed_amount_bounds_are_said_in_words(client, auth_headers):
    """The message names the bounds as the rule form does, not as amount_min/amount_max."""
    response = client.post("/rules", json={**RULE, "amount_min": "500", "amount_max": "100"},
                           headers=auth_headers)
    assert response.status_code == 422
    assert [error["msg"] for error in response.json()["errors"]] == [
        "Value error, The minimum amount (500) must not be greater than the maximum amount (100)"]


def test_another_users_rule_is_404(client, register):
    alice, bob = register(), register()
    rule_id = client.post("/rules", json=RULE, headers=alice).json()["id"]
    assert client.put(f"/rules/{rule_id}", json=RULE, headers=bob).status_code == 404
    assert client.delete(f"/rules/{rule_id}", headers=bob).status_code == 404
    assert client.get("/rules", headers=bob).json()["total"] == 0


def test_bulk_categorization_applies_the_highest_priority_matching_rule(
    client, auth_headers, worker, wait_for
):
    statement_id = seed_statement(me(client, auth_headers), [
        ("2024-03-01", "COFFEE HOUSE LONDON", "-3.20"),
        ("2024-03-02", "Coffee beans wholesale", "-250.00"),
        ("2024-03-03", "SALARY ACME LTD", "2500.00"),
        ("2024-03-04", "MYSTERY SHOP", "-9.99"),
    ])
    rules = [
        {"pattern": "coffee", "category": "Eating out", "priority": 1},
        {"pattern": "coffee", "category": "Wholesale", "priority": 5, "amount_min": "100"},
        {"pattern": "^salary", "match_type": "regex", "category": "Income", "direction": "credit"},
    ]
    submitted = client.post("/bulk_categorize_async", json={"statement_id": statement_id, "rules": rules},
                            headers=auth_headers)
    assert submitted.status_code == 202 and submitted.json()["status"] == "submitted"
    task_id = submitted.json()["task_id"]
    assert wait_for(task_id, auth_headers, is_final)["status"] == "SUCCESS"

    result = client.get(f"/tasks/{task_id}/result", headers=auth_headers).json()["result"]
    assert result == {
        "categorized": 3, "uncategorized": 1,
        "by_category": {"Eating out": 1, "Wholesale": 1, "Income": 1}, "written": 3,
        "manual_kept": 0,
    }
    items = client.get(f"/statements/{statement_id}/transactions", headers=auth_headers).json()["items"]
    assert [t["category"] for t in items] == ["Eating out", "Wholesale", "Income", None]


def test_saved_rules_are_used_and_categorized_rows_kept_without_overwrite(
    client, auth_headers, worker, wait_for
):
    statement_id = seed_statement(me(client, auth_headers), [("2024-03-01", "COFFEE", "-3.20")])
    client.post("/rules", json=RULE, headers=auth_headers)
    first = client.post("/bulk_categorize_async", json={}, headers=auth_headers).json()["task_id"]
    wait_for(first, auth_headers, is_final)

    client.put(f"/rules/{client.get('/rules', headers=auth_headers).json()['items'][0]['id']}",
               json={**RULE, "category": "Coffee"}, headers=auth_headers)
    kept = client.post("/bulk_categorize_async", json={}, headers=auth_headers).json()["task_id"]
    wait_for(kept, auth_headers, is_final)
    items = client.get(f"/statements/{statement_id}/transactions", headers=auth_headers).json()["items"]
    assert items[0]["category"] == "Eating out"

    overwritten = client.post("/bulk_categorize_async", json={"overwrite": True}, headers=auth_headers)
    wait_for(overwritten.json()["task_id"], auth_headers, is_final)
    items = client.get(f"/statements/{statement_id}/transactions", headers=auth_headers).json()["items"]
    assert items[0]["category"] == "Coffee"


def test_bulk_categorization_input_errors(client, register):
    alice, bob = register(), register()
    statement_id = seed_statement(me(client, alice), [("2024-03-01", "COFFEE", "-3.20")])

    no_rules = client.post("/bulk_categorize_async", json={}, headers=bob)
    assert no_rules.status_code == 422 and "No rules" in no_rules.json()["detail"]
    foreign = client.post("/bulk_categorize_async", json={"statement_id": statement_id, "rules": [RULE]},
                          headers=bob)
    assert foreign.status_code == 404
    bad_rule = client.post("/bulk_categorize_async",
                           json={"rules": [{**RULE, "pattern": "(", "match_type": "regex"}]}, headers=bob)
    assert bad_rule.status_code == 422
    empty_rules = client.post("/bulk_categorize_async", json={"rules": []}, headers=bob)
    assert empty_rules.status_code == 422


@pytest.mark.parametrize(
    "pattern, feature",
    [
        ("tesco(?= stores)", "look-ahead"),
        ("(?<!direct )debit", "look-behind"),
        (r"(\w)\1", "backreferences"),
        (r"\d++", "possessive quantifiers"),
    ],
)
def test_regexes_re2_cannot_run_are_422_saying_why(client, auth_headers, pattern, feature):
    body = {**RULE, "pattern": pattern, "match_type": "regex"}
    created = client.post("/rules", json=body, headers=auth_headers)
    assert created.status_code == 422
    assert f"Patterns with {feature} are not supported" in str(created.json()["detail"])

    rule_id = client.post("/rules", json=RULE, headers=auth_headers).json()["id"]
    replaced = client.put(f"/rules/{rule_id}", json=body, headers=auth_headers)
    assert replaced.status_code == 422 and feature in str(replaced.json()["detail"])
    assert client.get(f"/rules/{rule_id}", headers=auth_headers).json()["pattern"] == "coffee"

    inline = client.post("/bulk_categorize_async", json={"rules": [body]}, headers=auth_headers)
    assert inline.status_code == 422 and feature in str(inline.json()["detail"])


def test_a_pattern_catastrophic_for_backtracking_categorizes_promptly(
    client, auth_headers, worker, wait_for
):
    """``^(\\w+\\s?)+$`` on 55 characters ran for minutes on Python's re; RE2 is linear."""
    words = "CARD PAYMENT TO THE CORNER SHOP LONDON GB 1234 REF 789"
    statement_id = seed_statement(me(client, auth_headers), [
        ("2024-03-01", words + "!", "-3.20"),  # 55 characters, no match: the slow case
        ("2024-03-02", words, "-4.00"),
    ])
    rule = {"pattern": r"^(\w+\s?)+$", "match_type": "regex", "category": "Words only"}
    task_id = client.post("/bulk_categorize_async", json={"rules": [rule]},
                          headers=auth_headers).json()["task_id"]
    # A guard against super-linear matching (minutes), not a benchmark.
    assert wait_for(task_id, auth_headers, is_final, timeout=60)["status"] == "SUCCESS"
    listing = client.get(f"/statements/{statement_id}/transactions", headers=auth_headers)
    assert [t["category"] for t in listing.json()["items"]] == [None, "Words only"]


def test_a_user_keeps_at_most_max_rules(client, auth_headers):
    from sqlalchemy import insert

    from backend.db import get_engine
    from backend.models import CategoryRule
    from backend.services.categorization import MAX_RULES

    user_id = me(client, auth_headers)
    with get_engine().begin() as conn:
        conn.execute(insert(CategoryRule), [
            {"user_id": user_id, "pattern": f"shop {n}", "match_type": "contains", "category": "C"}
            for n in range(MAX_RULES - 1)
        ])
    assert client.post("/rules", json=RULE, headers=auth_headers).status_code == 201
    refused = client.post("/rules", json=RULE, headers=auth_headers)
    assert refused.status_code == 422
    assert f"the most one user can keep is {MAX_RULES}" in refused.json()["detail"]
    assert client.get("/rules", headers=auth_headers).json()["total"] == MAX_RULES


def test_an_uploaded_statement_is_categorized_by_the_saved_rules_as_it_is_imported(
    client, auth_headers, worker, wait_for, tmp_path
):
    """The parse task saves each transaction with its category: no bulk task runs."""
    for rule in ({"pattern": ".", "match_type": "regex", "category": "Money out",
                  "direction": "debit"},
                 {"pattern": ".", "match_type": "regex", "category": "Big money in",
                  "direction": "credit", "amount_min": "800"}):
        assert client.post("/rules", json=rule, headers=auth_headers).status_code == 201
    path = tmp_path / "statement.pdf"
    truth = LAYOUTS["northgate_uk"](path)
    task_id = client.post("/upload_pdf_async", headers=auth_headers,
                          files={"file": ("s.pdf", path.read_bytes(), "application/pdf")}
                          ).json()["task_id"]
    assert wait_for(task_id, auth_headers, is_final)["status"] == "SUCCESS"
    statement_id = client.get(f"/tasks/{task_id}/result", headers=auth_headers).json()[
        "result"]["statement_id"]

    items = client.get(f"/statements/{statement_id}/transactions?limit=500",
                       headers=auth_headers).json()["items"]
    expected = [
        "Money out" if t.amount < 0 else "Big money in" if t.amount >= 800 else None
        for t in truth.transactions
    ]
    assert [t["category"] for t in items] == expected
    assert {"Money out", "Big money in", None} <= set(expected)
    assert [t["category_source"] for t in items] == [c and "rule" for c in expected]
    tasks = client.get("/tasks", headers=auth_headers).json()["items"]
    assert [task["task_id"] for task in tasks] == [task_id]  # no categorization task ran


def run_categorization(client, headers, wait_for, body: dict) -> dict:
    """POST /bulk_categorize_async with ``body``, wait for the worker, return its result."""
    submitted = client.post("/bulk_categorize_async", json=body, headers=headers)
    assert submitted.status_code == 202, submitted.text
    task_id = submitted.json()["task_id"]
    assert wait_for(task_id, headers, is_final)["status"] == "SUCCESS"
    return client.get(f"/tasks/{task_id}/result", headers=headers).json()["result"]


def test_re_applying_edited_rules_keeps_the_categories_picked_by_hand(
    client, auth_headers, worker, wait_for
):
    """The QA report: a user picks categories by hand, edits a rule, re-applies the rules
    with overwrite; the picks must survive (and the result say how many were kept)."""
    statement_id = seed_statement(me(client, auth_headers), [
        ("2024-03-01", "COFFEE HOUSE LONDON", "-3.20"),
        ("2024-03-02", "COFFEE BEANS GIFT BOX", "-25.00"),
        ("2024-03-03", "TESCO STORES", "-40.00"),
        ("2024-03-04", "MYSTERY SHOP", "-9.99"),
    ])
    coffee = client.post("/rules", json=RULE, headers=auth_headers).json()
    client.post("/rules", json={"pattern": "tesco", "category": "Groceries"}, headers=auth_headers)
    run_categorization(client, auth_headers, wait_for, {})
    items = client.get(f"/statements/{statement_id}/transactions", headers=auth_headers).json()["items"]
    assert [(t["category"], t["category_source"]) for t in items] == [
        ("Eating out", "rule"), ("Eating out", "rule"), ("Groceries", "rule"), (None, None),
    ]

    gift, tesco = items[1]["id"], items[2]["id"]
    picked = client.patch(f"/transactions/{gift}", json={"category": "Gifts"}, headers=auth_headers)
    assert picked.status_code == 200
    assert picked.json()["category"] == "Gifts" and picked.json()["category_source"] == "manual"
    cleared = client.patch(f"/transactions/{tesco}", json={"category": None}, headers=auth_headers)
    assert (cleared.json()["category"], cleared.json()["category_source"]) == (None, "manual")

    client.put(f"/rules/{coffee['id']}", json={**RULE, "category": "Coffee"}, headers=auth_headers)
    result = run_categorization(client, auth_headers, wait_for, {"overwrite": True})
    assert result == {
        "categorized": 1, "uncategorized": 1, "by_category": {"Coffee": 1}, "written": 1,
        "manual_kept": 2,
    }
    items = client.get(f"/statements/{statement_id}/transactions", headers=auth_headers).json()["items"]
    assert [(t["category"], t["category_source"]) for t in items] == [
        ("Coffee", "rule"), ("Gifts", "manual"), (None, "manual"), (None, None),
    ]
    # The list and its filters show the same.
    listed = client.get("/transactions?category=Gifts", headers=auth_headers).json()["items"]
    assert [t["category_source"] for t in listed] == ["manual"]

    # Asked for explicitly, the rules take the picks over (and they become the rules').
    result = run_categorization(
        client, auth_headers, wait_for, {"overwrite": True, "include_manual": True}
    )
    assert (result["written"], result["manual_kept"]) == (2, 0)
    items = client.get(f"/statements/{statement_id}/transactions", headers=auth_headers).json()["items"]
    assert [(t["category"], t["category_source"]) for t in items] == [
        ("Coffee", "rule"), ("Coffee", "rule"), ("Groceries", "rule"), (None, None),
    ]


def test_a_transaction_can_be_handed_back_to_the_rules(client, auth_headers, worker, wait_for):
    statement_id = seed_statement(me(client, auth_headers), [("2024-03-01", "COFFEE", "-3.20")])
    transaction_id = client.get(
        f"/statements/{statement_id}/transactions", headers=auth_headers
    ).json()["items"][0]["id"]
    client.patch(f"/transactions/{transaction_id}", json={"category": None}, headers=auth_headers)
    client.post("/rules", json=RULE, headers=auth_headers)
    assert run_categorization(client, auth_headers, wait_for, {})["manual_kept"] == 1

    handed_back = client.patch(f"/transactions/{transaction_id}",
                               json={"category": None, "category_source": None}, headers=auth_headers)
    assert handed_back.status_code == 200
    assert (handed_back.json()["category"], handed_back.json()["category_source"]) == (None, None)
    result = run_categorization(client, auth_headers, wait_for, {})
    assert (result["written"], result["manual_kept"]) == (1, 0)
    item = client.get(f"/statements/{statement_id}/transactions", headers=auth_headers).json()["items"][0]
    assert (item["category"], item["category_source"]) == ("Eating out", "rule")


@pytest.mark.parametrize(
    "body, words",
    [
        ({"category": "Gifts", "category_source": None}, "category_source null only goes"),
        ({"category": "Gifts", "category_source": "rule"}, "category_source"),
        ({"category": "Gifts", "catgory_source": None}, "catgory_source"),
    ],
)
def test_a_category_patch_that_cannot_be_meant_is_422(client, auth_headers, body, words):
    statement_id = seed_statement(me(client, auth_headers), [("2024-03-01", "COFFEE", "-3.20")])
    item = client.get(f"/statements/{statement_id}/transactions", headers=auth_headers).json()["items"][0]
    response = client.patch(f"/transactions/{item['id']}", json=body, headers=auth_headers)
    assert response.status_code == 422
    assert words in str(response.json()["detail"])
    after = client.get(f"/statements/{statement_id}/transactions", headers=auth_headers).json()["items"][0]
    assert after == item


def test_include_manual_is_a_known_key_and_typos_are_refused(client, auth_headers):
    client.post("/rules", json=RULE, headers=auth_headers)
    typo = client.post("/bulk_categorize_async", json={"overwrite": True, "include_manuals": True},
                       headers=auth_headers)
    assert typo.status_code == 422 and "include_manuals" in str(typo.json()["detail"])
    wrong = client.post("/bulk_categorize_async", json={"include_manual": "maybe"},
                        headers=auth_headers)
    assert wrong.status_code == 422
