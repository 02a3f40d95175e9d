"""The group commit of answers: several answers in one transaction, each judged on its own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from facilitation.errors import Refused
from facilitation.live.answer_writer import AnswerWriter, _Pending
from facilitation.models import Answer, Event
from facilitation.workshop import operations, payloads
from tests.factories import client_id

STAGE = "purposeful"


def lights(value: str) -> dict:
    return {"lights": {STAGE: value}}


def answer(value: str = "met", stage: str = STAGE, cid: str | None = None):
    return payloads.AnswerPayload(stage, cid or client_id(), lights(value))


@pytest.fixture
def open_stage(workshop):
    with workshop.db() as db:
        operations.go_to_stage(db, workshop.session_id, workshop.stage_index(STAGE))
        operations.open_input(db, workshop.session_id)
    return workshop


def stored(workshop) -> dict[int, str]:
    with workshop.db() as db:
        rows = db.execute(
            select(Answer.participant_id, Answer.value).where(
                Answer.session_id == workshop.session_id, Answer.stage_key == STAGE
            )
        )
        return dict(rows.all())


def answer_events(workshop) -> list[Event]:
    """The answer events to STAGE (a join also logs one to the sector stage)."""
    with workshop.db() as db:
        return list(
            db.scalars(
                select(Event)
                .where(
                    Event.session_id == workshop.session_id,
                    Event.type == "answer.submitted",
                    Event.stage_key == STAGE,
                )
                .order_by(Event.seq)
            )
        )


def test_a_batch_stores_each_answer_and_refuses_only_the_bad_one(open_stage):
    workshop = open_stage
    people = [workshop.join() for _ in range(3)]
    retried = answer("partly")
    submissions = [
        (people[0].id, answer("met")),
        (people[1].id, retried),
        (people[2].id, answer("met", stage="proportionate")),  # not the open stage
        (people[1].id, retried),  # the same client id again, in the same batch
        (people[2].id, payloads.AnswerPayload(STAGE, client_id(), lights("sometimes"))),
    ]
    with workshop.db() as db:
        outcomes = operations.record_answers(db, workshop.session_id, submissions)

    first, second, wrong_stage, again, bad_value = outcomes
    assert isinstance(first, operations.Done) and isinstance(second, operations.Done)
    assert second.seq == first.seq + 1
    assert isinstance(wrong_stage, Refused) and "moved on" in wrong_stage.message
    assert again == operations.Done(second.seq, duplicate=True)
    assert isinstance(bad_value, Refused)
    assert set(stored(workshop)) == {people[0].id, people[1].id}
    assert [event.seq for event in answer_events(workshop)] == [first.seq, second.seq]
    assert workshop.session().last_seq == second.seq


def test_a_participant_answering_twice_in_one_batch_keeps_the_last(open_stage):
    workshop = open_stage
    person = workshop.join()
    with workshop.db() as db:
        operations.record_answers(
            db, workshop.session_id, [(person.id, answer("met")), (person.id, answer("not_met"))]
        )
    assert '"not_met"' in stored(workshop)[person.id]
    assert len(answer_events(workshop)) == 2  # both are in the log, in order


def test_a_batch_of_only_refusals_stores_nothing(open_stage):
    workshop = open_stage
    person = workshop.join()
    with workshop.db() as db:
        operations.close_input(db, workshop.session_id)
        before = workshop.session().last_seq
        outcomes = operations.record_answers(db, workshop.session_id, [(person.id, answer())])
    assert isinstance(outcomes[0], Refused)
    assert workshop.session().last_seq == before
    assert stored(workshop) == {}


def test_the_writer_settles_every_answer_of_every_session(open_stage, app):
    workshop = open_stage
    people = [workshop.join() for _ in range(4)]
    writer = AnswerWriter()
    writer.init_app(app)
    batch = [_Pending(workshop.session_id, person.id, answer()) for person in people]
    batch.append(_Pending(workshop.session_id, people[0].id, answer(stage="proportionate")))
    batch.append(_Pending(10_000, people[0].id, answer()))  # no such session
    writer.write(batch)

    seqs = [pending.result().seq for pending in batch[:4]]
    assert seqs == sorted(seqs) and len(set(seqs)) == 4
    for refused in batch[4:]:
        with pytest.raises(Refused):
            refused.result()
    assert set(stored(workshop)) == {person.id for person in people}


def test_an_unforeseen_failure_falls_back_to_one_by_one(open_stage, app, monkeypatch):
    workshop = open_stage
    people = [workshop.join() for _ in range(3)]
    real = operations.record_answers

    def breaks_on_batches(db, session_id, submissions):
        if len(submissions) > 1:
            raise ValueError("something no check foresaw")
        return real(db, session_id, submissions)

    monkeypatch.setattr(operations, "record_answers", breaks_on_batches)
    writer = AnswerWriter()
    writer.init_app(app)
    batch = [_Pending(workshop.session_id, person.id, answer()) for person in people]
    writer.write(batch)

    assert all(isinstance(pending.result(), operations.Done) for pending in batch)
    with workshop.db() as db:
        count = db.scalar(select(func.count()).select_from(Answer).where(Answer.stage_key == STAGE))
    assert count == 3
