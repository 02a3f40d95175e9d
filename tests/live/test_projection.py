"""The state tables are a projection of the log: replaying the log rebuilds them exactly."""

from __future__ import annotations

from sqlalchemy import select

from facilitation.models import Answer, Comment, Note, Participant, Reaction, WorkshopSession
from facilitation.workshop import operations, payloads
from facilitation.workshop.aggregates import stage_results
from facilitation.workshop.projection import replay
from facilitation.workshop.timer import aware
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
            session.tables,
            session.breakdown,
        ),
        # Facilitator controls: screen mode and the stage's countdown (workshop/timer.py).
        "controls": (
            session.screen_mode,
            aware(session.timer_ends_at),
            session.timer_remaining_ms,
            session.timer_auto_close,
        ),
        "answers": sorted(
            db.execute(select(Answer.stage_key, Answer.participant_id, Answer.value, Answer.seq))
        ),
        "comments": sorted(
            db.execute(
                select(
                    Comment.id,
                    Comment.text,
                    Comment.hidden,
                    Comment.agree,
                    Comment.disagree,
                    Comment.highlighted,
                    Comment.passes,  # "pass" votes: see test_points_grid_words_statements.py
                )
            )
        ),
        "reactions": sorted(
            db.execute(select(Reaction.comment_id, Reaction.participant_id, Reaction.value))
        ),
        # Note-takers' notes (workshop/notes.py).
        "notes": sorted(
            db.execute(
                select(Note.id, Note.stage_key, Note.table_key, Note.author, Note.text, Note.shown)
            )
        ),
        "participants": sorted(
            db.execute(
                select(
                    Participant.id,
                    Participant.sector,
                    Participant.withdrawn_at,
                    Participant.table_key,
                )
            )
        ),
    }


def run_a_session(workshop) -> None:
    sid = workshop.session_id
    people = [workshop.join(sector) for sector in ("Health", "Housing", "Welfare", "Health")]
    with workshop.db() as db:
        operations.set_tables(db, sid, ["Table 1", "Table 2"])
        operations.move_participant(db, sid, people[0].pseudonym, "Table 2")
        operations.move_participant(db, sid, people[2].pseudonym, "Table 1")
        operations.set_breakdown(db, sid, "sector")
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
        heard = operations.post_note(
            db, sid, "Scribe", payloads.NotePayload(client_id(), "They want consent", None, None)
        )
        operations.post_note(
            db, sid, None, payloads.NotePayload(client_id(), "Noted", "welcome", "Table 1")
        )
        operations.show_note(db, sid, heard.note_id)
        operations.highlight_comment(db, sid, comment.comment_id)
        operations.start_timer(db, sid, 120, auto_close=True)
        operations.set_screen_mode(db, sid, "wall")
        operations.reveal_results(db, sid)
        operations.pause_session(db, sid)
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
