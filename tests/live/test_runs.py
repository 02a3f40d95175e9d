"""Self-paced runs over Socket.IO: each person's own stage, Back and Next, answers only
where they have reached, results after answering, comments awaiting approval, the run's
window, invitations, and nothing pushed to a run's phones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from facilitation import clock
from facilitation.errors import Refused
from facilitation.extensions import socketio
from facilitation.models import Comment, Invitation, Participant, WorkshopSession
from facilitation.workshop import run_operations
from facilitation.workshop.projection import replay
from tests.conftest import BUILTIN_PLAN
from tests.factories import Run, client_id


@pytest.fixture
def run(app):
    made = Run(app, socketio, BUILTIN_PLAN)
    yield made
    made.close()


def make_run(app, request, **settings):
    made = Run(app, socketio, BUILTIN_PLAN, **settings)
    request.addfinalizer(made.close)
    return made


def answer(phone, stage, value):
    return phone.emit("answer", {"stage": stage, "value": value, "client_id": client_id()})


def test_a_phone_syncs_to_its_own_first_stage_with_its_progress(run):
    phone = run.phone()
    reply = phone.emit("sync")
    state = reply["state"]
    assert state["stage"]["key"] == "welcome"
    assert state["input_open"] is True
    assert state["pace"] == {
        **state["pace"],
        "index": 0,
        "count": len(run.plan.stages),
        "furthest": 0,
        "closed": None,
    }
    # A card asks nothing: nothing to wait for before its "results" (there are none).
    assert state["revealed"] is True


def test_next_and_back_move_one_person_only(run):
    first, second = run.phone(), run.phone()
    moved = first.emit("pace", {"index": 1})
    assert moved["ok"] is True
    assert moved["state"]["stage"]["key"] == "sector"
    assert moved["state"]["pace"]["furthest"] == 1
    assert second.emit("sync")["state"]["stage"]["key"] == "welcome"
    back = first.emit("pace", {"index": 0})
    assert back["state"]["stage"]["key"] == "welcome"
    assert back["state"]["pace"]["furthest"] == 1  # the furthest reached stays


def test_nobody_skips_ahead_or_leaves_the_plan(run):
    phone = run.phone()
    skipped = phone.emit("pace", {"index": 3})
    assert skipped["ok"] is False and "in order" in skipped["error"]
    beyond = phone.emit("pace", {"index": len(run.plan.stages)})
    assert beyond["ok"] is False
    for bad in ({"index": -1}, {"index": "2"}, {}, None, {"index": 1.5}):
        assert phone.emit("pace", bad)["ok"] is False


def test_answers_only_to_stages_reached_and_results_after_answering(run):
    phone = run.phone()
    early = answer(phone, "purposeful", {"lights": {"purposeful": "met"}})
    assert early["ok"] is False and "in order" in early["error"]
    index = run.stage_index("purposeful")
    for step in range(1, index + 1):
        reply = phone.emit("pace", {"index": step})
    assert reply["state"]["stage"]["key"] == "purposeful"
    assert reply["state"]["revealed"] is False
    assert "results" not in reply["results"]
    assert answer(phone, "purposeful", {"lights": {"purposeful": "met"}})["ok"] is True
    refreshed = phone.emit("pace", {"index": index})
    assert refreshed["state"]["revealed"] is True
    assert refreshed["results"]["answered"] == 1
    assert "figure" not in refreshed["results"]  # phones draw their own bars
    # Going back to an earlier stage and changing the answer is allowed.
    phone.emit("pace", {"index": index - 1})
    assert answer(phone, "purposeful", {"lights": {"purposeful": "partly"}})["ok"] is True


def test_a_run_without_results_never_shows_them(app, request):
    run = make_run(app, request, results=False)
    phone = run.phone()
    index = run.stage_index("purposeful")
    for step in range(1, index + 1):
        phone.emit("pace", {"index": step})
    answer(phone, "purposeful", {"lights": {"purposeful": "met"}})
    reply = phone.emit("pace", {"index": index})
    assert reply["state"]["revealed"] is False and "results" not in reply["results"]


def _to_stage_with_comments(run, phone):
    index = next(i for i, s in enumerate(run.plan.stages) if s.takes_comments)
    for step in range(1, index + 1):
        phone.emit("pace", {"index": step})
    return run.plan.stages[index].key


def test_comments_wait_for_approval_and_only_the_author_sees_them_meanwhile(run):
    author, other = run.phone(), run.phone()
    stage = _to_stage_with_comments(run, author)
    _to_stage_with_comments(run, other)
    text = "Needs a sunset clause"
    posted = author.emit("comment", {"stage": stage, "text": text, "client_id": client_id()})
    assert posted["ok"] is True
    mine = author.emit("pace", {"index": run.stage_index(stage)})["comments"]["comments"]
    assert [(c["text"], c.get("awaiting")) for c in mine] == [("Needs a sunset clause", True)]
    assert other.emit("pace", {"index": run.stage_index(stage)})["comments"]["comments"] == []
    facilitator = run.facilitator()
    assert facilitator.emit("restore_comment", {"comment_id": posted["comment_id"]})["ok"] is True
    shown = other.emit("pace", {"index": run.stage_index(stage)})["comments"]["comments"]
    assert [c["text"] for c in shown] == ["Needs a sunset clause"]
    assert not shown[0].get("awaiting")


def test_a_run_without_approval_shows_comments_at_once_and_one_without_comments_refuses(
    app, request
):
    open_run = make_run(app, request, approve_comments=False)
    author, other = open_run.phone(), open_run.phone()
    stage = _to_stage_with_comments(open_run, author)
    _to_stage_with_comments(open_run, other)
    author.emit("comment", {"stage": stage, "text": "Fine by me", "client_id": client_id()})
    shown = other.emit("pace", {"index": open_run.stage_index(stage)})["comments"]["comments"]
    assert [c["text"] for c in shown] == ["Fine by me"]

    quiet = make_run(app, request, comments=False)
    phone = quiet.phone()
    stage = _to_stage_with_comments(quiet, phone)
    reply = phone.emit("pace", {"index": quiet.stage_index(stage)})
    assert reply["state"]["stage"]["comments"] is False
    refused = phone.emit("comment", {"stage": stage, "text": "Hello", "client_id": client_id()})
    assert refused["ok"] is False and "comments" in refused["error"]


def test_the_window_refuses_joins_and_answers_outside_it(app, request):
    later = make_run(
        app,
        request,
        opens_at=clock.now() + timedelta(days=1),
        closes_at=clock.now() + timedelta(days=2),
    )
    with pytest.raises(Refused, match="not opened yet"):
        later.join()
    run = make_run(app, request)
    phone = run.phone()
    with run.db() as db:
        run_operations.close_run(db, run.session_id)
    reply = phone.emit("sync")
    assert reply["state"]["input_open"] is False
    assert "closed" in reply["state"]["pace"]["closed"]
    assert answer(phone, "sector", {"sector": "Health"})["ok"] is False
    with pytest.raises(Refused, match="closed"):
        run.join()
    # Extending a closed run opens it again.
    with run.db() as db:
        run_operations.extend_run(db, run.session_id, clock.now() + timedelta(days=3))
    assert phone.emit("sync")["state"]["input_open"] is True
    run.join()


def test_runs_past_their_closing_date_are_ended_by_the_background_check(app, request):
    run = make_run(app, request)
    with run.db() as db:
        assert run_operations.close_expired_runs(db) == []
        ended = run_operations.close_expired_runs(db, clock.now() + timedelta(days=8))
        assert ended == [run.session_id]
        session = db.get(WorkshopSession, run.session_id)
        assert session.status == "ended" and session.ended_at is not None


def test_dates_are_checked_when_publishing_and_extending(app, request):
    now = clock.now()
    for opens, closes, message in (
        (now, now - timedelta(hours=1), "after the opening"),
        (now - timedelta(days=3), now - timedelta(days=1), "future"),
        (now, now + timedelta(days=400), "at most"),
    ):
        with pytest.raises(Refused, match=message):
            make_run(app, request, opens_at=opens, closes_at=closes)
    run = make_run(app, request)
    with run.db() as db, pytest.raises(Refused, match="future"):
        run_operations.extend_run(db, run.session_id, now - timedelta(minutes=1))


def test_invitations_are_single_use_and_required_when_the_run_asks(app, request):
    run = make_run(app, request, invitation_only=True)
    with run.db() as db:
        codes = run_operations.create_invitations(db, run.session_id, 3)
    assert len(set(codes)) == 3 and all(len(code) == 10 for code in codes)
    with pytest.raises(Refused, match="not valid"):
        run.join()
    with pytest.raises(Refused, match="not valid"):
        run.join(invitation="NOTACODE22")
    person = run.join(invitation=codes[0].lower())  # typed in lower case
    with pytest.raises(Refused, match="already been used"):
        run.join(invitation=codes[0])
    with run.db() as db:
        used = db.scalar(select(Invitation).where(Invitation.code == codes[0]))
        assert used.used is True
        assert not hasattr(used, "participant_id")  # nothing ties a code to its person
        assert person.id
        with pytest.raises(Refused, match="between 1 and"):
            run_operations.create_invitations(db, run.session_id, 0)
    # Another run's code opens nothing here.
    other = make_run(app, request, invitation_only=True)
    with pytest.raises(Refused, match="not valid"):
        other.join(invitation=codes[1])


def test_facilitator_controls_that_step_the_room_are_refused(run):
    facilitator = run.facilitator()
    for event, payload in (("goto", {"index": 3}), ("next", None), ("open_input", None)):
        reply = facilitator.emit(event, payload)
        assert reply["ok"] is False and "own pace" in reply["error"]


def test_nothing_is_pushed_to_a_runs_phones(run):
    first, second = run.phone(), run.phone()
    first.emit("sync"), second.emit("sync")
    second.received()
    first.emit("pace", {"index": 1})
    answer(first, "sector", {"sector": "Housing"})
    assert second.received("state") == [] and second.received("results") == []


def test_a_replayed_log_gives_the_same_places_and_awaiting_comments(run):
    phone = run.phone()
    stage = _to_stage_with_comments(run, phone)
    phone.emit("comment", {"stage": stage, "text": "Waiting", "client_id": client_id()})
    with run.db() as db:
        session = db.get(WorkshopSession, run.session_id)
        before = db.get(Participant, phone.participant.id)
        place = (before.stage_index, before.furthest_index)
        replay(db, session)
        db.commit()
    with run.db() as db:
        after = db.get(Participant, phone.participant.id)
        assert (after.stage_index, after.furthest_index) == place
        comment = db.scalar(select(Comment).where(Comment.session_id == run.session_id))
        assert comment.hidden and comment.awaiting
        session = db.get(WorkshopSession, run.session_id)
        assert session.pace == "self" and session.run_settings["approve_comments"] is True


def test_pace_is_for_runs_only(workshop):
    phone = workshop.phone()
    reply = phone.emit("pace", {"index": 1})
    assert reply["ok"] is False and "facilitator" in reply["error"]
    assert workshop.screen().emit("pace", {"index": 1})["ok"] is False


def test_back_and_next_are_not_counted_as_answers(app, request):
    run = make_run(app, request)
    phone = run.phone()
    # More moves than a participant's 60 answers a minute: none is refused as too fast.
    for step in range(70):
        reply = phone.emit("pace", {"index": step % 2})
        assert reply["ok"] is True, reply


def test_a_run_ended_on_its_date_tells_its_open_phones(app, request, monkeypatch):
    from facilitation.live import run_closer

    run = make_run(app, request, closes_at=clock.now() + timedelta(seconds=1))
    phone = run.phone()
    phone.received()
    monkeypatch.setattr(run_closer, "_last_check", -1e9)
    with run.db() as db:  # the closing moment passes
        session = db.get(WorkshopSession, run.session_id)
        session.closes_at = clock.now() - timedelta(seconds=1)
        db.commit()
    run_closer._tick(app)
    assert len(phone.received("run_changed")) == 1
    assert run.session().status == "ended"


def test_a_phone_gets_the_most_agreed_comments_and_always_its_own(app, request, monkeypatch):
    from facilitation.live import paced

    monkeypatch.setattr(paced, "COMMENTS_SHOWN", 2)
    run = make_run(app, request, approve_comments=False)
    people = [run.phone() for _ in range(4)]
    stage = None
    for phone in people:
        stage = _to_stage_with_comments(run, phone)
    posted = [
        phone.emit("comment", {"stage": stage, "text": f"Point {n}", "client_id": client_id()})
        for n, phone in enumerate(people)
    ]
    # Points 0 and 1 are agreed with; the last person's own (Point 3) is not among the top.
    for voter in people[2:]:
        for made in posted[:2]:
            voter.emit(
                "react",
                {"comment_id": made["comment_id"], "reaction": "agree", "client_id": client_id()},
            )
    index = run.stage_index(stage)
    seen = [c["text"] for c in people[3].emit("pace", {"index": index})["comments"]["comments"]]
    assert seen == ["Point 0", "Point 1", "Point 3"]
    other = [c["text"] for c in people[2].emit("pace", {"index": index})["comments"]["comments"]]
    assert other == ["Point 0", "Point 1", "Point 2"]
