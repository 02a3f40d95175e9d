"""self-paced runs: a session's pace, its opening window and settings; each person's stage;
comments waiting for approval; single-use invitation codes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 04:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# SQLite's batch mode copies a table to change it: keep its ids never reused (0004).
AUTOINCREMENT = {"sqlite_autoincrement": True}  # ignored by PostgreSQL


def upgrade() -> None:
    with op.batch_alter_table(
        "workshop_session", schema=None, table_kwargs=AUTOINCREMENT
    ) as batch_op:
        batch_op.add_column(
            sa.Column("pace", sa.String(length=8), nullable=False, server_default="live")
        )
        batch_op.add_column(sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("run_settings", sa.JSON(), nullable=True))
    with op.batch_alter_table("participant", schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.add_column(
            sa.Column("stage_index", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("furthest_index", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("comment", schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.add_column(
            sa.Column("awaiting", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["workshop_session.id"],
            name=op.f("fk_invitation_session_id_workshop_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("code", name=op.f("uq_invitation_code")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("invitation", schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitation_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("invitation", schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_session_id"))
    op.drop_table("invitation")
    with op.batch_alter_table("comment", schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.drop_column("awaiting")
    with op.batch_alter_table("participant", schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.drop_column("furthest_index")
        batch_op.drop_column("stage_index")
    with op.batch_alter_table(
        "workshop_session", schema=None, table_kwargs=AUTOINCREMENT
    ) as batch_op:
        for column in ("run_settings", "closes_at", "opens_at", "pace"):
            batch_op.drop_column(column)
