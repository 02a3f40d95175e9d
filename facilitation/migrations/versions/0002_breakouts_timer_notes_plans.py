"""breakout tables, projector breakdown and mode, stage timer, highlights and passes,
notes, plans stored in the app

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:39:30.008217
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New NOT NULL columns carry a server default so sessions already stored keep working.
    op.create_table(
        "stored_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["facilitator.id"],
            name=op.f("fk_stored_plan_created_by_id_facilitator"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_plan")),
        sa.UniqueConstraint("slug", name=op.f("uq_stored_plan_slug")),
    )
    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("stage_key", sa.String(length=80), nullable=True),
        sa.Column("table_key", sa.String(length=80), nullable=True),
        sa.Column("author", sa.String(length=60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("shown", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["workshop_session.id"],
            name=op.f("fk_note_session_id_workshop_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note")),
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index("ix_note_session_stage", ["session_id", "stage_key"], unique=False)

    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("highlighted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("passes", sa.Integer(), nullable=False, server_default="0"))

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("table_key", sa.String(length=80), nullable=True))

    with op.batch_alter_table("workshop_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tables", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("breakdown", sa.String(length=16), nullable=False, server_default="room")
        )
        batch_op.add_column(
            sa.Column("screen_mode", sa.String(length=16), nullable=False, server_default="auto")
        )
        batch_op.add_column(sa.Column("timer_ends_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("timer_remaining_ms", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("timer_auto_close", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("workshop_session", schema=None) as batch_op:
        batch_op.drop_column("timer_auto_close")
        batch_op.drop_column("timer_remaining_ms")
        batch_op.drop_column("timer_ends_at")
        batch_op.drop_column("screen_mode")
        batch_op.drop_column("breakdown")
        batch_op.drop_column("tables")

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("table_key")

    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_column("passes")
        batch_op.drop_column("highlighted")

    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index("ix_note_session_stage")

    op.drop_table("note")
    op.drop_table("stored_plan")
