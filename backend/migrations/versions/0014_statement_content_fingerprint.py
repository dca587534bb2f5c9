"""Statements record a fingerprint of their content; a user imports each statement once.

The same statement downloaded twice from the bank is two files (the PDF's creation date and
ids differ), so the file hash let both in and every report counted its transactions twice.
Each statement now records ``content_sha256`` (account, period, balances and its ordered
transactions: ``statement_store.content_fingerprint``), unique per user.

Statements imported before get theirs from their saved rows, which hold everything the
fingerprint covers (one read of every transaction, 500 statements a query), so a re-download
of a statement imported last month is recognised too. A user who already imported one
statement twice keeps both rows; only the oldest gets the fingerprint (the key is unique),
the others keep NULL, which matches nothing.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_KEY = "uq_statements_user_id_content_sha256"
_CHUNK = 500

_statements = sa.table(
    "statements",
    sa.column("id", sa.BigInteger), sa.column("user_id", sa.Integer),
    sa.column("account_last4", sa.String), sa.column("period_start", sa.Date),
    sa.column("period_end", sa.Date), sa.column("opening_balance", sa.Numeric(18, 2)),
    sa.column("closing_balance", sa.Numeric(18, 2)), sa.column("content_sha256", sa.String),
)
_transactions = sa.table(
    "transactions",
    sa.column("statement_id", sa.BigInteger), sa.column("position", sa.Integer),
    sa.column("date", sa.Date), sa.column("description", sa.Text),
    sa.column("amount", sa.Numeric(18, 2)),
)


def _backfill(conn: sa.Connection) -> None:
    """Each existing statement's fingerprint from its saved rows; the oldest of a user's
    duplicates gets it, the others keep NULL."""
    # The application's own definition: the statements saved from now on are compared with these.
    from backend.services.statement_store import content_fingerprint
    from backend.services.statements.models import ParsedStatement, ParsedTransaction

    seen: set[tuple[int, str]] = set()
    last = 0
    while True:
        rows = conn.execute(
            sa.select(_statements).where(_statements.c.id > last).order_by(_statements.c.id).limit(_CHUNK)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        lines: dict[int, list[ParsedTransaction]] = defaultdict(list)
        for line in conn.execute(
            sa.select(_transactions)
            .where(_transactions.c.statement_id.in_([row.id for row in rows]))
            .order_by(_transactions.c.statement_id, _transactions.c.position)
        ):
            lines[line.statement_id].append(
                ParsedTransaction(line.date, line.description, line.amount, None)
            )
        for row in rows:
            fingerprint = content_fingerprint(ParsedStatement(
                bank_source=None, account_last4=row.account_last4, period_start=row.period_start,
                period_end=row.period_end, opening_balance=row.opening_balance,
                closing_balance=row.closing_balance, balance_check="unavailable",
                balance_mismatch_rows=0, page_count=0, transactions=tuple(lines[row.id]),
            ))
            if fingerprint is None or (row.user_id, fingerprint) in seen:
                continue
            seen.add((row.user_id, fingerprint))
            conn.execute(
                sa.update(_statements).where(_statements.c.id == row.id).values(content_sha256=fingerprint)
            )


def upgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("content_sha256", sa.String(64), nullable=True))
    _backfill(op.get_bind())
    with op.batch_alter_table("statements") as batch:
        batch.create_unique_constraint(_KEY, ["user_id", "content_sha256"])


def downgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.drop_constraint(_KEY, type_="unique")
        batch.drop_column("content_sha256")
