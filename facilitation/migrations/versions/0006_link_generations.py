"""the projector link and the note-taker link of a session have a generation: revoking a
link moves it on, and keys of an older generation open nothing

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 11:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = ("screen_key_version", "notes_key_version")


def upgrade() -> None:
    # Stored sessions start at generation 0, which is what the links already handed out
    # (signed before generations existed) are read as: they keep working until revoked.
    with op.batch_alter_table("workshop_session", schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("workshop_session", schema=None) as batch_op:
        for column in reversed(COLUMNS):
            batch_op.drop_column(column)
