"""record_answers on SQLite and PostgreSQL (the ``on`` fixture, tests/live/conftest.py): a
batch's events go in with one INSERT and its answers with one upsert, and the result is what
answering one by one would give."""

from __future__ import annotations

from sqlalchemy import select

from facilitation.errors import Refused
from facilitation.models import Answer, Event, Participant, WorkshopSession
from facilitation.workshop import operations, payloads
from facilitation.workshop.projection import replay
from tests.factories import Workshop, client_id

STAGE = "purposeful"


def open_stage(workshop: Workshop, key: str = STAGE) -> Workshop:
    with workshop.db() as db:
        operations.go_to_stage(db, workshop.session_id, workshop.stage_index(key))
        operations.open_input(db, workshop.session_id)
    return workshop


def lights(value: str, cid: str | None = None, stage: str = STAGE) -> payloads.AnswerPayload:
    return payloads.AnswerPayload(stage, cid or client_id(), {"lights": {STAGE: value}})


def sector(name: str) -> payloads.AnswerPayload:
    return payloads.AnswerPayload("sector", client_id(), {"sector": name})


def record(workshop: Workshop, submissions) -> list:
    with workshop.db() as db:
        return operations.record_answers(db, workshop.session_id, submissions)


def answers(workshop: Workshop, stage: str = STAGE) -> dict[int, tuple[str, int]]:
    """participant id -> (stored value, seq) for ``stage``."""
    with workshop.db() as db:
        rows = db.execute(
            select(Answer.participant_id, Answer.value, Answer.seq).where(
                Answer.session_id == workshop.session_id, Answer.stage_key == stage
            )
        )
        return {pid: (value, seq) for pid, value, seq in rows}


def logged(workshop: Workshop, stage: str = STAGE) -> list[tuple[int, int, str, dict]]:
    """The answer events to ``stage`` in the log: (seq, participant id, client id, payload).
    (A join also logs an answer to the sector stage: the sector chosen on the join form.)"""
    with workshop.db() as db:
        rows = db.execute(
            select(Event.seq, Event.participant_id, Event.client_id, Event.payload)
            .where(
                Event.session_id == workshop.session_id,
                Event.type == "answer.submitted",
                Event.stage_key == stage,
            )
            .order_by(Event.seq)
        )
        return [tuple(row) for row in rows]


def test_duplicates_in_the_batch_and_already_stored_ack_the_stored_seq(on):
    workshop = open_stage(on)
    ann, bob = workshop.join(), workshop.join()
    earlier = lights("met")
    [first] = record(workshop, [(ann.id, earlier)])

    retried = lights("partly")
    outcomes = record(
        workshop,
        [
            (ann.id, earlier),  # stored by an earlier batch
            (bob.id, retried),
            (bob.id, retried),  # the same client id again inside this batch
            (ann.id, earlier),
        ],
    )

    stored = outcomes[1]
    assert outcomes == [
        operations.Done(first.seq, duplicate=True),
        operations.Done(first.seq + 1),
        operations.Done(first.seq + 1, duplicate=True),
        operations.Done(first.seq, duplicate=True),
    ]
    assert [(seq, pid, cid) for seq, pid, cid, _ in logged(workshop)] == [
        (first.seq, ann.id, earlier.client_id),
        (stored.seq, bob.id, retried.client_id),
    ]
    assert workshop.session().last_seq == stored.seq
    assert answers(workshop) == {
        ann.id: ('{"lights":{"purposeful":"met"}}', first.seq),
        bob.id: ('{"lights":{"purposeful":"partly"}}', stored.seq),
    }


def test_another_phone_reusing_a_client_id_is_stored_as_its_own_in_any_batch(on):
    """A client id names a submission of one sender: a second phone sending it (a copied
    client, a hostile script) is not a retry and must not be dropped as one."""
    workshop = open_stage(on)
    ann, bob, cat = workshop.join(), workshop.join(), workshop.join()
    shared = client_id()
    [first] = record(workshop, [(ann.id, lights("met", shared))])

    outcomes = record(
        workshop,
        [
            (bob.id, lights("partly", shared)),  # Ann's client id, stored by an earlier batch
            (ann.id, lights("met", shared)),  # Ann's retry
            (cat.id, lights("not_met", shared)),
            (cat.id, lights("not_met", shared)),  # Cat's retry, inside this batch
        ],
    )

    assert outcomes == [
        operations.Done(first.seq + 1),
        operations.Done(first.seq, duplicate=True),
        operations.Done(first.seq + 2),
        operations.Done(first.seq + 2, duplicate=True),
    ]
    assert answers(workshop) == {
        ann.id: ('{"lights":{"purposeful":"met"}}', first.seq),
        bob.id: ('{"lights":{"purposeful":"partly"}}', first.seq + 1),
        cat.id: ('{"lights":{"purposeful":"not_met"}}', first.seq + 2),
    }
    assert [(pid, cid) for _, pid, cid, _ in logged(workshop) if cid == shared] == [
        (ann.id, shared),
        (bob.id, shared),
        (cat.id, shared),
    ]


def test_one_participant_answering_twice_in_a_batch_keeps_the_later_answer(on):
    workshop = open_stage(on)
    ann, bob = workshop.join(), workshop.join()
    record(workshop, [(ann.id, lights("partly"))])  # an answer already in the table

    outcomes = record(
        workshop,
        [
            (ann.id, lights("met")),
            (bob.id, lights("met")),
            (ann.id, lights("not_met")),
            (bob.id, lights("partly")),
            (ann.id, lights("met")),
        ],
    )

    seqs = [done.seq for done in outcomes]
    assert seqs == list(range(seqs[0], seqs[0] + 5))
    assert answers(workshop) == {
        ann.id: ('{"lights":{"purposeful":"met"}}', seqs[4]),
        bob.id: ('{"lights":{"purposeful":"partly"}}', seqs[3]),
    }
    # Every answer stays in the log, in order, though only the last counts.
    assert [payload["value"]["lights"][STAGE] for *_, payload in logged(workshop)] == [
        "partly",
        "met",
        "met",
        "not_met",
        "partly",
        "met",
    ]


def test_refused_answers_take_no_seq_and_the_rest_are_stored_in_order(on):
    workshop = open_stage(on)
    ann, bob, gone = workshop.join(), workshop.join(), workshop.join()
    with workshop.db() as db:
        operations.withdraw(db, workshop.session_id, gone.id)
    before = workshop.session().last_seq

    outcomes = record(
        workshop,
        [
            (ann.id, lights("met")),
            (bob.id, lights("met", stage="proportionate")),  # not the open stage
            (gone.id, lights("met")),  # withdrawn
            (10_000, lights("met")),  # nobody
            (bob.id, lights("sometimes")),  # not a value this stage takes
            (bob.id, lights("partly")),
        ],
    )

    accepted, wrong_stage, withdrawn, stranger, bad_value, later = outcomes
    assert (accepted, later) == (operations.Done(before + 1), operations.Done(before + 2))
    assert "moved on" in wrong_stage.message
    assert "withdrawn" in withdrawn.message
    assert "not part of this session" in stranger.message
    assert isinstance(bad_value, Refused)
    assert workshop.session().last_seq == before + 2
    assert [(seq, pid) for seq, pid, *_ in logged(workshop)] == [
        (before + 1, ann.id),
        (before + 2, bob.id),
    ]
    assert set(answers(workshop)) == {ann.id, bob.id}


def test_a_sector_answer_sets_the_participants_sector_the_last_one_counting(on):
    workshop = open_stage(on, "sector")
    ann, bob = workshop.join(sector=None), workshop.join(sector="Health")

    outcomes = record(
        workshop,
        [(ann.id, sector("Housing")), (bob.id, sector("Welfare")), (ann.id, sector("Health"))],
    )

    assert all(isinstance(done, operations.Done) for done in outcomes)
    with workshop.db() as db:
        sectors = dict(
            db.execute(
                select(Participant.id, Participant.sector).where(
                    Participant.id.in_((ann.id, bob.id))
                )
            ).all()
        )
    assert sectors == {ann.id: "Health", bob.id: "Welfare"}
    assert answers(workshop, "sector") == {
        ann.id: ('{"sector":"Health"}', outcomes[2].seq),
        bob.id: ('{"sector":"Welfare"}', outcomes[1].seq),
    }


def test_replaying_the_log_gives_what_the_batches_stored(on):
    workshop = open_stage(on, "sector")
    people = [workshop.join(sector=None) for _ in range(3)]
    record(workshop, [(people[0].id, sector("Housing")), (people[0].id, sector("Welfare"))])
    open_stage(workshop)
    record(workshop, [(person.id, lights("met")) for person in people])
    record(workshop, [(people[1].id, lights("partly")), (people[1].id, lights("not_met"))])

    def state():
        with workshop.db() as db:
            stored = db.execute(
                select(Answer.stage_key, Answer.participant_id, Answer.value, Answer.seq)
            ).all()
            sectors = db.execute(select(Participant.id, Participant.sector)).all()
            return sorted(stored), sorted(sectors)

    live = state()
    assert ("purposeful", people[1].id, '{"lights":{"purposeful":"not_met"}}') in [
        row[:3] for row in live[0]
    ]
    assert (people[0].id, "Welfare") in live[1]
    with workshop.db() as db:
        for person in people:  # state replay must put right
            db.get(Participant, person.id).sector = "Something else"
        db.execute(Answer.__table__.delete())
        replay(db, db.get(WorkshopSession, workshop.session_id))
        db.commit()
    assert state() == live
