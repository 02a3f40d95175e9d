"""ids are never reused (AUTOINCREMENT on SQLite); a retried submission is recognised by
its sender and client id, not by the client id alone

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Every table with a single integer id. Without AUTOINCREMENT SQLite hands out max(id) + 1,
# so deleting the row with the highest id (a withdrawal, a purge, a deleted account) gives
# its id to the next row, and whatever still names the old id (comment.hidden events in the
# log, a login cookie) then names someone else's. PostgreSQL's SERIAL sequences never go
# back, so there this is a no-op.
TABLES = (
    "facilitator",
    "series",
    "workshop_session",
    "participant",
    "event",
    "answer",
    "comment",
    "note",
    "stored_plan",
    "access_grant",
    "kept_aggregate",
)

# Ids the log may still name after their row was deleted (a withdrawal deletes a comment
# but not the comment.hidden / highlighted events about it): the counter starts above them.
NAMED_IN_LOG = {"comment": "comment_id", "note": "note_id"}

AUTOINCREMENT = {"sqlite_autoincrement": True}  # ignored by PostgreSQL


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for table in TABLES:
            # Rows are copied with their ids, which starts the table's sqlite_sequence at
            # its current max(id). env.py turns foreign keys off for the copy and checks
            # every reference afterwards.
            with op.batch_alter_table(table, recreate="always", table_kwargs=AUTOINCREMENT):
                pass
        for table, key in NAMED_IN_LOG.items():
            _start_above_the_log(table, key)
    # (On SQLite this rebuilds the event table again: it keeps AUTOINCREMENT.)
    with op.batch_alter_table("event", table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.drop_constraint("uq_event_session_client", type_="unique")
        # The sender is the actor: a participant's pseudonym (unique in its session),
        # "facilitator", or "notetaker:<label>". participant_id cannot be the key: it is
        # NULL for notes, and NULLs never collide in a unique constraint.
        batch_op.create_unique_constraint(
            "uq_event_sender_client", ["session_id", "actor", "client_id"]
        )


def _start_above_the_log(table: str, key: str) -> None:
    bind = op.get_bind()
    named = bind.execute(
        sa.text(
            f"SELECT max(CAST(json_extract(payload, '$.{key}') AS INTEGER)) FROM event "
            f"WHERE json_extract(payload, '$.{key}') IS NOT NULL"
        )
    ).scalar()
    if named is None:
        return
    current = bind.execute(
        sa.text("SELECT seq FROM sqlite_sequence WHERE name = :name"), {"name": table}
    ).scalar()
    if current is None:
        bind.execute(
            sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :seq)"),
            {"name": table, "seq": named},
        )
    elif named > current:
        bind.execute(
            sa.text("UPDATE sqlite_sequence SET seq = :seq WHERE name = :name"),
            {"name": table, "seq": named},
        )


def downgrade() -> None:
    with op.batch_alter_table("event", table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.drop_constraint("uq_event_sender_client", type_="unique")
        batch_op.create_unique_constraint("uq_event_session_client", ["session_id", "client_id"])
    # AUTOINCREMENT stays: going back must not start reusing ids.
