"""slide decks: rendered pages, the decks a stored plan or a session names, and the page a
slides stage is on

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 11:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# SQLite's batch mode copies a table to change it: keep its ids never reused (0004).
AUTOINCREMENT = {"sqlite_autoincrement": True}  # ignored by PostgreSQL


def upgrade() -> None:
    with op.batch_alter_table(
        "workshop_session", schema=None, table_kwargs=AUTOINCREMENT
    ) as batch_op:
        batch_op.add_column(
            sa.Column("page_index", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "deck",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deck")),
        sa.UniqueConstraint("sha256", name=op.f("uq_deck_sha256")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "deck_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deck_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("projector", sa.LargeBinary(), nullable=False),
        sa.Column("projector_width", sa.Integer(), nullable=False),
        sa.Column("projector_height", sa.Integer(), nullable=False),
        sa.Column("phone", sa.LargeBinary(), nullable=False),
        sa.Column("phone_width", sa.Integer(), nullable=False),
        sa.Column("phone_height", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["deck_id"], ["deck.id"], name=op.f("fk_deck_page_deck_id_deck")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deck_page")),
        sa.UniqueConstraint("deck_id", "number", name=op.f("uq_deck_page_deck_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("deck_page", schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.create_index(batch_op.f("ix_deck_page_deck_id"), ["deck_id"], unique=False)
    op.create_table(
        "plan_deck",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("deck_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["deck_id"], ["deck.id"], name=op.f("fk_plan_deck_deck_id_deck")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_deck")),
        sa.UniqueConstraint("plan_slug", "name", name=op.f("uq_plan_deck_plan_slug")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("plan_deck", schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_deck_plan_slug"), ["plan_slug"], unique=False)
    op.create_table(
        "session_deck",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("deck_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["workshop_session.id"],
            name=op.f("fk_session_deck_session_id_workshop_session"),
        ),
        sa.ForeignKeyConstraint(
            ["deck_id"], ["deck.id"], name=op.f("fk_session_deck_deck_id_deck")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_deck")),
        sa.UniqueConstraint("session_id", "name", name=op.f("uq_session_deck_session_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("session_deck", schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_deck_session_id"), ["session_id"], unique=False
        )


def downgrade() -> None:
    for table, index in (
        ("session_deck", "ix_session_deck_session_id"),
        ("plan_deck", "ix_plan_deck_plan_slug"),
        ("deck_page", "ix_deck_page_deck_id"),
    ):
        with op.batch_alter_table(table, schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
            batch_op.drop_index(batch_op.f(index))
        op.drop_table(table)
    op.drop_table("deck")
    with op.batch_alter_table(
        "workshop_session", schema=None, table_kwargs=AUTOINCREMENT
    ) as batch_op:
        batch_op.drop_column("page_index")
