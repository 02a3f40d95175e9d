"""A retried submission is recognised by its sender and its client id: the same phone
sending the same client id again gets a duplicate ack with the original seq, while another
phone (or note-taker) sending that client id has its own submission stored. On SQLite and
PostgreSQL (the ``on`` fixture)."""

from __future__ import annotations

from sqlalchemy import func, select

from facilitation.live.answer_writer import AnswerWriter, _Pending
from facilitation.models import Answer, Comment, Event, Note
from facilitation.workshop import operations, payloads
from tests.live.test_notes import notetaker

STAGE = "purposeful"
SHARED = "shared-client-id-0001"  # what a careless or hostile phone copies from another


def open_stage(workshop, key: str = STAGE) -> None:
    with workshop.db() as db:
        operations.go_to_stage(db, workshop.session_id, workshop.stage_index(key))
        operations.open_input(db, workshop.session_id)


def light(value: str, cid: str = SHARED) -> dict:
    return {"stage": STAGE, "client_id": cid, "value": {"lights": {STAGE: value}}}


def stored_once(ack: dict) -> bool:
    return ack["ok"] and not ack.get("duplicate")


def events_with(workshop, cid: str = SHARED) -> int:
    with workshop.db() as db:
        return db.scalar(
            select(func.count()).where(
                Event.session_id == workshop.session_id, Event.client_id == cid
            )
        )


def test_two_phones_with_the_same_client_id_each_have_their_answer_stored(on):
    open_stage(on)
    ann, bob = on.phone(), on.phone()

    first, second = ann.emit("answer", light("met")), bob.emit("answer", light("partly"))

    assert stored_once(first) and stored_once(second), (first, second)
    assert second["seq"] > first["seq"]
    # Each phone's own retry is still a retry: acked with its original seq, stored once.
    assert ann.emit("answer", light("met")) == {"ok": True, "seq": first["seq"], "duplicate": True}
    assert bob.emit("answer", light("partly")) == {
        "ok": True,
        "seq": second["seq"],
        "duplicate": True,
    }
    with on.db() as db:
        answers = dict(
            db.execute(
                select(Answer.participant_id, Answer.value).where(
                    Answer.session_id == on.session_id, Answer.stage_key == STAGE
                )
            ).all()
        )
    assert answers == {
        ann.participant.id: '{"lights":{"purposeful":"met"}}',
        bob.participant.id: '{"lights":{"purposeful":"partly"}}',
    }
    assert events_with(on) == 2


def test_two_phones_with_the_same_client_id_each_have_their_comment_stored(on):
    open_stage(on)
    ann, bob = on.phone(), on.phone()

    def comment(text: str) -> dict:
        return {"stage": STAGE, "client_id": SHARED, "text": text}

    first, second = (
        ann.emit("comment", comment("Ann's point")),
        bob.emit("comment", comment("Bob's point")),
    )

    assert stored_once(first) and stored_once(second), (first, second)
    assert first["comment_id"] != second["comment_id"]
    again = bob.emit("comment", comment("Bob's point"))
    assert again["duplicate"] and (again["seq"], again["comment_id"]) == (
        second["seq"],
        second["comment_id"],
    )
    with on.db() as db:
        texts = dict(
            db.execute(
                select(Comment.id, Comment.text).where(Comment.session_id == on.session_id)
            ).all()
        )
    assert texts == {first["comment_id"]: "Ann's point", second["comment_id"]: "Bob's point"}


def test_two_phones_with_the_same_client_id_each_have_their_reaction_stored(on):
    open_stage(on)
    author, ann, bob = on.phone(), on.phone(), on.phone()
    posted = author.emit("comment", {"stage": STAGE, "client_id": "a-comment-01", "text": "Hi"})
    agree = {"comment_id": posted["comment_id"], "reaction": "agree", "client_id": SHARED}

    first, second = ann.emit("react", agree), bob.emit("react", agree)

    assert stored_once(first) and stored_once(second), (first, second)
    assert ann.emit("react", agree) == {"ok": True, "seq": first["seq"], "duplicate": True}
    with on.db() as db:
        assert db.get(Comment, posted["comment_id"]).agree == 2


def test_note_takers_and_the_facilitator_with_the_same_client_id_each_have_their_note(on):
    scribe_a, scribe_b = notetaker(on, "Table A scribe"), notetaker(on, "Table B scribe")

    def note(text: str) -> dict:
        return {"client_id": SHARED, "text": text}

    acks = [
        scribe_a.emit("note", note("A heard this")),
        scribe_b.emit("note", note("B heard that")),
    ]
    with on.db() as db:  # what the console's "note" event calls (author None: a facilitator)
        by_facilitator = operations.post_note(
            db, on.session_id, None, payloads.NotePayload(SHARED, "The room agreed", None, None)
        )

    assert all(stored_once(ack) for ack in acks), acks
    assert not by_facilitator.duplicate
    assert len({acks[0]["note_id"], acks[1]["note_id"], by_facilitator.note_id}) == 3
    again = scribe_b.emit("note", note("B heard that"))
    assert again["duplicate"] and (again["seq"], again["note_id"]) == (
        acks[1]["seq"],
        acks[1]["note_id"],
    )
    with on.db() as db:
        authors = db.scalars(
            select(Note.author).where(Note.session_id == on.session_id).order_by(Note.id)
        ).all()
    assert authors == ["Table A scribe", "Table B scribe", "Facilitator"]


def test_the_answer_writer_tells_a_retry_from_another_phone_in_one_batch(on):
    """The group commit (live/answer_writer.py) judges each answer of a batch the same way."""
    open_stage(on)
    ann, bob = on.join(), on.join()
    writer = AnswerWriter()
    writer.init_app(on.app)

    def pending(person, value: str) -> _Pending:
        answer = payloads.AnswerPayload(STAGE, SHARED, {"lights": {STAGE: value}})
        return _Pending(on.session_id, person.id, answer)

    batch = [pending(ann, "met"), pending(bob, "partly"), pending(ann, "met")]
    writer.write(batch)
    first, second, retried = (item.result() for item in batch)

    assert (first.duplicate, second.duplicate) == (False, False)
    assert second.seq == first.seq + 1
    assert retried == operations.Done(first.seq, duplicate=True)
    assert events_with(on) == 2
