"""Paging through a slides stage in a running session: the console's press and back key
(operations.next_press / back_press, the ``next`` and ``back`` events), the ``slide.shown``
events they log, the projection's page and what each client's state says of the page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitation.extensions import socketio
from facilitation.models import Event, WorkshopSession
from facilitation.plans.model import Flow
from facilitation.slides.session_pages import page_numbers
from facilitation.workshop import flow as stage_flow
from facilitation.workshop.projection import replay
from tests.slides.factories import DECK, PAGE_TEXTS, SlidesRun, SlidesWorkshop

INTRO, RATE, MORE, BYE = 0, 1, 2, 3  # the stages of factories.PLAN


@pytest.fixture
def room(app):
    workshop = SlidesWorkshop(app, socketio)
    yield workshop
    workshop.close()


def press(client, event: str = "next") -> str:
    ack = client.emit(event)
    assert ack["ok"], ack
    return ack["did"]


def slides_shown(room) -> list[tuple[str, dict]]:
    with room.db() as db:
        return [
            (e.stage_key, e.payload)
            for e in db.scalars(
                select(Event)
                .where(Event.session_id == room.session_id, Event.type == "slide.shown")
                .order_by(Event.seq)
            )
        ]


def where(room) -> tuple[int, int]:
    session = room.session()
    return session.stage_index, session.page_index


def test_the_press_pages_through_the_stage_then_shows_the_next_stage(room):
    facilitator = room.facilitator()
    assert where(room) == (INTRO, 0)
    assert [press(facilitator) for _ in range(3)] == ["page", "page", "page"]
    assert where(room) == (INTRO, 3)
    assert facilitator.received("state")[-1]["flow"]["next"] == "next"
    assert press(facilitator) == "next"
    assert where(room) == (RATE, 0)


def test_each_page_shown_is_logged_with_its_text_in_order(room):
    facilitator = room.facilitator()
    for _ in range(4):
        press(facilitator)  # pages 2-4, then the rating
    shown = slides_shown(room)
    # Page 1 when the session opened on it, then each press.
    assert [payload["index"] for _, payload in shown] == [0, 1, 2, 3]
    assert shown[1] == (
        "intro",
        {"index": 1, "page": 2, "of": 4, "deck": DECK, "text": PAGE_TEXTS[1]},
    )
    assert {key for key, _ in shown} == {"intro"}


def test_a_second_stage_of_the_same_deck_shows_its_own_range(room):
    facilitator = room.facilitator()
    assert facilitator.emit("goto", {"index": MORE})["ok"]
    assert slides_shown(room)[-1] == (
        "more",
        {"index": 0, "page": 5, "of": 2, "deck": DECK, "text": PAGE_TEXTS[4]},
    )
    assert press(facilitator) == "page"
    assert slides_shown(room)[-1][1]["page"] == 6
    assert press(facilitator) == "next"
    assert where(room) == (BYE, 0)


def test_back_pages_back_then_goes_to_the_previous_stage(room):
    facilitator = room.facilitator()
    press(facilitator)
    press(facilitator)
    assert press(facilitator, "back") == "page"
    assert where(room) == (INTRO, 1)
    assert press(facilitator, "back") == "page"
    assert where(room) == (INTRO, 0)
    refused = facilitator.emit("back")  # the first page of the first stage
    assert not refused["ok"] and "first stage" in refused["error"]
    assert slides_shown(room)[-1][1]["index"] == 0


def test_back_into_a_slides_stage_lands_on_its_last_page(room):
    facilitator = room.facilitator()
    assert facilitator.emit("goto", {"index": RATE})["ok"]
    assert press(facilitator, "back") == "stage"
    assert where(room) == (INTRO, 3)
    assert slides_shown(room)[-1] == (
        "intro",
        {"index": 3, "page": 4, "of": 4, "deck": DECK, "text": PAGE_TEXTS[3]},
    )
    assert facilitator.emit("goto", {"index": BYE})["ok"]
    press(facilitator, "back")
    assert where(room) == (MORE, 1)


def test_the_stage_list_shows_a_slides_stage_from_its_first_page(room):
    facilitator = room.facilitator()
    press(facilitator)
    press(facilitator)
    assert facilitator.emit("goto", {"index": RATE})["ok"]
    assert facilitator.emit("goto", {"index": INTRO})["ok"]
    assert where(room) == (INTRO, 0)
    assert slides_shown(room)[-1][1]["index"] == 0


def test_replaying_the_log_rebuilds_the_page(room):
    facilitator = room.facilitator()
    press(facilitator)
    press(facilitator)
    with room.db() as db:
        session = db.get(WorkshopSession, room.session_id)
        session.page_index = 0
        replay(db, session)
        assert session.page_index == 2


@pytest.mark.parametrize("role", ["phone", "screen"])
def test_only_a_facilitator_pages(room, role):
    client = room.phone() if role == "phone" else room.screen()
    for event in ("next", "back"):
        ack = client.emit(event)
        assert not ack["ok"] and "facilitator" in ack["error"]
    assert where(room) == (INTRO, 0)
    assert len(slides_shown(room)) == 1


def test_each_client_gets_the_page_for_its_own_screen(room):
    facilitator, screen, phone = room.facilitator(), room.screen(), room.phone()
    press(facilitator)
    base = f"/s/{room.code}/slides/intro/1"
    page = {"index": 1, "of": 4, "page": 2, "text": PAGE_TEXTS[1]}
    console = facilitator.received("state")[-1]
    assert console["slide"] == {
        **page,
        "image": f"{base}/projector.webp",
        "width": 160,
        "height": 90,
    }
    assert console["next_slide"] == {
        "page": 3,
        "image": f"/s/{room.code}/slides/intro/2/projector.webp",
    }
    projector = screen.received("state")[-1]
    assert projector["slide"] == console["slide"] and "next_slide" not in projector
    assert "flow" not in projector
    own = phone.received("state")[-1]
    assert own["slide"] == {**page, "image": f"{base}/phone.webp", "width": 80, "height": 45}
    assert "next_slide" not in own
    # A reconnecting phone's sync says the same.
    assert phone.emit("sync")["state"]["slide"] == own["slide"]


def test_the_console_has_no_next_page_on_the_last_and_no_slide_off_slides(room):
    facilitator = room.facilitator()
    for _ in range(3):
        press(facilitator)
    state = facilitator.received("state")[-1]
    assert state["slide"]["index"] == 3 and state["next_slide"] is None
    assert state["flow"]["next"] == "next"
    press(facilitator)
    state = facilitator.received("state")[-1]
    assert state["slide"] is None and "next_slide" not in state


def test_a_missing_deck_says_so_and_the_press_goes_on(app):
    room = SlidesWorkshop(app, socketio, with_deck=False)
    try:
        facilitator, phone = room.facilitator(), room.phone()
        state = facilitator.emit("sync")["state"]
        assert "slides are missing" in state["slide"]["error"]
        assert state["flow"]["next"] == "next"
        assert phone.emit("sync")["state"]["slide"]["error"] == state["slide"]["error"]
        assert press(facilitator) == "next"
        assert facilitator.emit("goto", {"index": MORE})["ok"]  # no page, no failure
        assert press(facilitator, "back") == "stage"
        # Only the page shown when the session opened, while its deck was still there.
        assert [payload["index"] for _, payload in slides_shown(room)] == [0]
    finally:
        room.close()


def test_a_self_paced_phone_gets_every_page_of_its_stage(app):
    run = SlidesRun(app, socketio)
    try:
        phone = run.phone()
        state = phone.emit("sync")["state"]
        assert state["slide"] is None
        slides = state["stage"]["slides"]
        assert [s["page"] for s in slides] == [1, 2, 3, 4]
        assert slides[3]["image"] == f"/s/{run.code}/slides/intro/3/phone.webp"
        assert slides[0]["text"] == PAGE_TEXTS[0]
    finally:
        run.close()


# The rule and the range, without a session ----------------------------------------------


def test_the_press_turns_the_page_while_pages_are_left():
    from facilitation.plans.model import Activity, Stage

    stage = Stage(key="s", title="S", prompt="", activity=Activity(type="slides", deck=DECK))
    common = {"input_open": False, "revealed": False, "opened": False, "flow": Flow()}
    assert stage_flow.next_action(stage, **common, last=True, pages_left=True) == "page"
    assert stage_flow.next_action(stage, **common, last=False, pages_left=False) == "next"
    assert stage_flow.next_action(stage, **common, last=True, pages_left=False) == "end"


def test_a_range_is_clamped_to_the_deck():
    assert page_numbers(None, 3) == (1, 2, 3)
    assert page_numbers((2, 4), 6) == (2, 3, 4)
    assert page_numbers((5, 9), 6) == (5, 6)
    assert page_numbers((7, 9), 6) == ()
