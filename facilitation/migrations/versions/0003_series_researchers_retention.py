"""series of sessions, researchers with granted access, retention and purge, consent to
export a display name

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 10:18:23.335213
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New NOT NULL columns carry a server default so stored rows keep working.
    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["facilitator.id"], name=op.f("fk_series_created_by_id_facilitator")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series")),
    )
    op.create_table(
        "access_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("researcher_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["researcher_id"],
            ["facilitator.id"],
            name=op.f("fk_access_grant_researcher_id_facilitator"),
        ),
        sa.ForeignKeyConstraint(
            ["series_id"], ["series.id"], name=op.f("fk_access_grant_series_id_series")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["workshop_session.id"],
            name=op.f("fk_access_grant_session_id_workshop_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_grant")),
    )
    with op.batch_alter_table("access_grant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_access_grant_researcher_id"), ["researcher_id"], unique=False
        )

    op.create_table(
        "kept_aggregate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("stage_key", sa.String(length=80), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["workshop_session.id"],
            name=op.f("fk_kept_aggregate_session_id_workshop_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_aggregate")),
        sa.UniqueConstraint("session_id", "stage_key", name=op.f("uq_kept_aggregate_session_id")),
    )
    with op.batch_alter_table("facilitator", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("role", sa.String(length=16), nullable=False, server_default="facilitator")
        )

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_consent", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table("workshop_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("place", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("held_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("retention_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_workshop_session_series_id"), ["series_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_workshop_session_series_id_series"), "series", ["series_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("workshop_session", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_workshop_session_series_id_series"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_workshop_session_series_id"))
        batch_op.drop_column("purged_at")
        batch_op.drop_column("retention_days")
        batch_op.drop_column("held_on")
        batch_op.drop_column("place")
        batch_op.drop_column("series_id")

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("name_consent")

    with op.batch_alter_table("facilitator", schema=None) as batch_op:
        batch_op.drop_column("role")

    op.drop_table("kept_aggregate")
    with op.batch_alter_table("access_grant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_grant_researcher_id"))

    op.drop_table("access_grant")
    op.drop_table("series")
