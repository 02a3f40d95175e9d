"""No id is ever given to a second row: after a withdrawal or a purge deletes the rows with
the highest ids, new comments, notes, participants and events get ids never seen before, so
what the log still says about the old ids (a comment.highlighted event) cannot land on
someone else's. On SQLite (AUTOINCREMENT) and PostgreSQL (sequences): the ``on`` fixture."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from facilitation.auth import create_facilitator, delete_account
from facilitation.extensions import socketio
from facilitation.models import Answer, Comment, Event, Note, Participant, WorkshopSession
from facilitation.privacy.retention import purge_session
from facilitation.workshop import operations, payloads
from facilitation.workshop.projection import replay
from tests.conftest import BUILTIN_PLAN
from tests.factories import Workshop, client_id

STAGE = "purposeful"


def open_stage(workshop: Workshop) -> None:
    with workshop.db() as db:
        operations.go_to_stage(db, workshop.session_id, workshop.stage_index(STAGE))
        operations.open_input(db, workshop.session_id)


def comment(workshop: Workshop, person: Participant, text: str) -> int:
    with workshop.db() as db:
        done = operations.post_comment(
            db, workshop.session_id, person.id, payloads.CommentPayload(STAGE, client_id(), text)
        )
    return done.comment_id


def note(workshop: Workshop, text: str) -> int:
    with workshop.db() as db:
        done = operations.post_note(
            db, workshop.session_id, "Scribe", payloads.NotePayload(client_id(), text, None, None)
        )
    return done.note_id


def highest_ids(workshop: Workshop) -> dict[str, int]:
    with workshop.db() as db:
        return {
            model.__tablename__: db.scalar(select(func.max(model.id)))
            for model in (Participant, Event, Answer, Comment, Note)
        }


def test_a_comment_after_a_withdrawal_never_takes_the_withdrawn_comments_id(on):
    open_stage(on)
    bob, ann, carol = on.join(), on.join(), on.join()
    comment(on, bob, "Bob's")
    anns = comment(on, ann, "Ann's, the newest")
    with on.db() as db:
        operations.highlight_comment(db, on.session_id, anns)
        operations.withdraw(db, on.session_id, ann.id)  # the comment.highlighted event stays

    carols = comment(on, carol, "Carol's")

    assert carols > anns
    # Replaying the log must not pin Carol's comment with the event about Ann's.
    with on.db() as db:
        replay(db, db.get(WorkshopSession, on.session_id))
        db.commit()
        assert db.get(Comment, anns) is None
        assert db.get(Comment, carols).highlighted is False


def test_rows_after_a_purge_never_take_the_purged_rows_ids(on):
    later = Workshop(on.app, socketio, BUILTIN_PLAN)  # the session that carries on
    open_stage(later)
    open_stage(on)
    ann = on.join()
    comment(on, ann, "Ann's")
    note(on, "Heard at table A")
    with on.db() as db:
        operations.record_answer(
            db,
            on.session_id,
            ann.id,
            payloads.AnswerPayload(STAGE, client_id(), {"lights": {STAGE: "met"}}),
        )
        operations.end_session(db, on.session_id)
    purged = highest_ids(on)  # all of them the purged session's
    with on.db() as db:
        purge_session(db, db.get(WorkshopSession, on.session_id), now=datetime.now(UTC))
        assert db.scalar(select(func.count()).select_from(Participant).filter_by(id=ann.id)) == 0

    bob = later.join()
    comment(later, bob, "Bob's")
    note(later, "Heard at table B")
    with later.db() as db:
        operations.record_answer(
            db,
            later.session_id,
            bob.id,
            payloads.AnswerPayload(STAGE, client_id(), {"lights": {STAGE: "partly"}}),
        )

    fresh = highest_ids(later)
    assert all(fresh[table] > purged[table] for table in purged), (purged, fresh)
    later.close()


def test_an_account_made_after_one_is_deleted_never_takes_its_id(on):
    """A deleted account's id must not pass to the next account: a login cookie, a grant or
    a log line that still names it would then name someone else."""
    with on.app.app_context(), on.db() as db:
        create_facilitator(db, "first@example.org", "a-long-password")
        newest = create_facilitator(db, "newest@example.org", "a-long-password")
        deleted_id = newest.id
        delete_account(db, newest)

        again = create_facilitator(db, "next@example.org", "a-long-password")

    assert again.id > deleted_id
