"""The state tables are a projection of the log: replaying the log rebuilds them exactly."""

from __future__ import annotations

from sqlalchemy import select

from facilitation.live import operations, payloads
from facilitation.live.aggregates import stage_results
from facilitation.live.projection import replay
from facilitation.models import Answer, Comment, Participant, Reaction, WorkshopSession
from tests.factories import client_id


def snapshot(db, session_id: int) -> dict:
    session = db.get(WorkshopSession, session_id)
    return {
        "session": (
            session.stage_index,
            session.input_open,
            session.revealed,
            session.status,
            session.scenario_key,
        ),
        "answers": sorted(
            db.execute(select(Answer.stage_key, Answer.participant_id, Answer.value, Answer.seq))
        ),
        "comments": sorted(
            db.execute(
                select(Comment.id, Comment.text, Comment.hidden, Comment.agree, Comment.disagree)
            )
        ),
        "reactions": sorted(
            db.execute(select(Reaction.comment_id, Reaction.participant_id, Reaction.value))
        ),
        "participants": sorted(
            db.execute(select(Participant.id, Participant.sector, Participant.withdrawn_at))
        ),
    }


def run_a_session(workshop) -> None:
    sid = workshop.session_id
    people = [workshop.join(sector) for sector in ("Health", "Housing", "Welfare", "Health")]
    with workshop.db() as db:
        operations.go_to_stage(db, sid, workshop.stage_index("purposeful"))
        operations.open_input(db, sid)
        for person, value in zip(people, ["met", "partly", "not_met", "met"], strict=True):
            answer = payloads.AnswerPayload(
                "purposeful", client_id(), {"lights": {"purposeful": value}}
            )
            operations.record_answer(db, sid, person.id, answer)
        comment = operations.post_comment(
            db, sid, people[0].id, payloads.CommentPayload("purposeful", client_id(), "Why?")
        )
        other = operations.post_comment(
            db, sid, people[1].id, payloads.CommentPayload("purposeful", client_id(), "Because")
        )
        for person, reaction in zip(people[1:], (1, -1, 1), strict=True):
            operations.react(
                db,
                sid,
                person.id,
                payloads.ReactionPayload(comment.comment_id, client_id(), reaction),
            )
        operations.react(
            db, sid, people[0].id, payloads.ReactionPayload(other.comment_id, client_id(), 1)
        )
        operations.hide_comment(db, sid, other.comment_id)
        operations.reveal_results(db, sid)
        operations.withdraw(db, sid, people[2].id)


def test_replaying_the_log_rebuilds_every_state_table(workshop):
    run_a_session(workshop)
    with workshop.db() as db:
        live = snapshot(db, workshop.session_id)
        replay(db, db.get(WorkshopSession, workshop.session_id))
        db.commit()
        assert snapshot(db, workshop.session_id) == live


def test_aggregates_after_withdrawal(workshop):
    run_a_session(workshop)
    with workshop.db() as db:
        session = db.get(WorkshopSession, workshop.session_id)
        results = stage_results(db, session, workshop.plan.stage("purposeful"))
    item = results["items"][0]
    assert (item["met"], item["partly"], item["not_met"], item["n"]) == (2, 1, 0, 3)
    assert results["answered"] == 3
