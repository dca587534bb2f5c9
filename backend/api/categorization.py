"""Categorization rules (CRUD) and bulk categorization of transactions."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.api.deps import CurrentUser, OwnedRule, RuleId, SessionDep, WriteSessionDep, owned
from backend.api.errors import error_responses
from backend.api.routing import OneHopRoute
from backend.api.schemas import (
    BulkCategorizeIn,
    RuleIn,
    RuleOut,
    RulePage,
    RulePreviewOut,
    TaskSubmitted,
)
from backend.api.submitting import SubmitterDep
from backend.models import CategoryRule, Statement, User
from backend.services import transaction_queries
from backend.services.categorization import MAX_RULES, Rule
from backend.tasks.kinds import CATEGORIZE

router = APIRouter(tags=["categorization"], route_class=OneHopRoute)


@router.post("/rules", status_code=status.HTTP_201_CREATED, response_model=RuleOut)
def create_rule(body: RuleIn, user: CurrentUser, session: WriteSessionDep) -> CategoryRule:
    """Save a rule; 422 for an invalid one (a bad regex, min above max...) or past MAX_RULES."""
    # Two saves at once must not both pass the count: they wait on the user's row (as
    # POST /schedules does; SQLite's write transaction serializes them anyway). FOR NO KEY
    # UPDATE: the user's other inserts (their foreign keys' KEY SHARE) need not wait.
    session.execute(select(User.id).where(User.id == user.id).with_for_update(key_share=True))
    saved = _count_rules(session, user)
    if saved >= MAX_RULES:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=f"You have {saved} rules, the most one user can keep is {MAX_RULES}: "
            "delete or merge some before adding more",
        )
    rule = CategoryRule(user_id=user.id, **body.model_dump())
    session.add(rule)
    session.commit()
    return rule


@router.post("/rules/preview", response_model=RulePreviewOut)
def preview_rule(body: RuleIn, user: CurrentUser, session: SessionDep) -> RulePreviewOut:
    """Which of the user's transactions this rule would match (count and the newest five),
    without saving it or changing anything; 422 for an invalid rule."""
    preview = transaction_queries.preview_rule(session, user.id, Rule(**body.model_dump()))
    out = RulePreviewOut.model_validate(preview, from_attributes=True)
    codes = transaction_queries.statement_currencies(session, (row.statement_id for row in preview.examples))
    for item, row in zip(out.examples, preview.examples, strict=True):
        item.currency = codes.get(row.statement_id)
    return out


@router.get("/rules", response_model=RulePage)
def list_rules(user: CurrentUser, session: SessionDep) -> RulePage:
    """The user's rules, highest priority first."""
    rules = session.scalars(
        select(CategoryRule)
        .where(CategoryRule.user_id == user.id)
        .order_by(CategoryRule.priority.desc(), CategoryRule.id)
    ).all()
    return RulePage(items=[RuleOut.model_validate(rule) for rule in rules], total=len(rules))


@router.get("/rules/{rule_id}", response_model=RuleOut)
def get_rule(rule: OwnedRule) -> CategoryRule:
    return rule


@router.put("/rules/{rule_id}", response_model=RuleOut)
def replace_rule(
    rule_id: RuleId, body: RuleIn, user: CurrentUser, session: WriteSessionDep
) -> CategoryRule:
    """Replace every field of a rule."""
    # Not OwnedRule: its 404 would come before the 422 of an invalid body.
    rule = owned(session, CategoryRule, user, rule_id, "Rule", for_update=True)
    for name, value in body.model_dump().items():
        setattr(rule, name, value)
    session.commit()
    return rule


@router.delete("/rules/{rule_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_rule(rule_id: RuleId, user: CurrentUser, session: WriteSessionDep) -> Response:
    # Not OwnedRule: the row is read in the write session that deletes it.
    session.delete(owned(session, CategoryRule, user, rule_id, "Rule", for_update=True))
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/bulk_categorize_async", status_code=status.HTTP_202_ACCEPTED, response_model=TaskSubmitted,
    responses=error_responses(404),  # a statement_id that is not the user's
)
def bulk_categorize(
    body: BulkCategorizeIn, user: CurrentUser, session: SessionDep, submitter: SubmitterDep
) -> TaskSubmitted:
    """Queue categorization of the user's (or one statement's) transactions.

    Uses the rules in the body, else the user's saved rules; without ``overwrite``
    transactions that already have a category are left alone, without
    ``include_manual`` those whose category was set or cleared by hand.
    """
    if body.statement_id is not None:
        owned(session, Statement, user, body.statement_id, "Statement")
    if body.rules is None and not _count_rules(session, user):
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail="No rules to apply: send 'rules' or save some with POST /rules",
        )
    request = body.model_dump(mode="json")
    return submitter.submit(
        CATEGORIZE, {"user_id": user.id, **request}, request=request
    )


def _count_rules(session: Session, user: User) -> int:
    """How many rules the user has saved."""
    count = select(func.count()).select_from(CategoryRule).where(CategoryRule.user_id == user.id)
    return session.scalar(count) or 0
