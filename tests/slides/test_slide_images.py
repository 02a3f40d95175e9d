"""The slides' images over HTTP (slides/images.py): who gets which page, the headers, and
a 404 that tells nothing for everything else; nobody but the console reads ahead."""

from __future__ import annotations

import pytest

from facilitation.extensions import socketio
from facilitation.workshop import operations, run_operations
from facilitation.workshop.identity import screen_key
from tests.slides.factories import SlidesRun, SlidesWorkshop, webp

INTRO, RATE, MORE = 0, 1, 2


@pytest.fixture
def room(app):
    workshop = SlidesWorkshop(app, socketio)
    yield workshop
    workshop.close()


def url(room, index: int, audience: str = "projector", stage: str = "intro") -> str:
    return f"/s/{room.code}/slides/{stage}/{index}/{audience}.webp"


def key_of(room) -> str:
    with room.app.test_request_context():
        return screen_key(room.session())


def test_the_console_gets_every_page_as_webp_with_its_headers(room):
    facilitator = room.facilitator()
    for audience, size in (("projector", (160, 90)), ("phone", (80, 45))):
        response = facilitator.http.get(url(room, 3, audience))  # not shown yet: the console
        assert response.status_code == 200
        assert response.mimetype == "image/webp"
        assert response.data == webp(*size, (220, 180, 20))  # page 4's colour
        assert response.headers["Cache-Control"] == "private, max-age=86400"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_the_projector_by_its_key_sees_only_pages_shown(room):
    http, key = room.app.test_client(), key_of(room)
    assert http.get(url(room, 0), query_string={"key": key}).status_code == 200
    assert http.get(url(room, 1), query_string={"key": key}).status_code == 404
    assert http.get(url(room, 1), query_string={"key": "made-up"}).status_code == 404
    facilitator = room.facilitator()
    assert facilitator.emit("next")["did"] == "page"
    assert http.get(url(room, 1), query_string={"key": key}).status_code == 200
    assert http.get(url(room, 2), query_string={"key": key}).status_code == 404
    # Once shown, a page stays visible (the projector may come back to it).
    assert facilitator.emit("goto", {"index": RATE})["ok"]
    assert http.get(url(room, 1), query_string={"key": key}).status_code == 200


def test_a_participant_by_their_cookie_sees_only_pages_shown(room):
    phone = room.phone()
    assert phone.http.get(url(room, 0, "phone")).status_code == 200
    assert phone.http.get(url(room, 1, "phone")).status_code == 404
    assert phone.http.get(url(room, 0, "phone", stage="more")).status_code == 404
    room.facilitator().emit("goto", {"index": MORE})
    assert phone.http.get(url(room, 0, "phone", stage="more")).status_code == 200
    assert phone.http.get(url(room, 1, "phone", stage="more")).status_code == 404


def test_a_withdrawn_participant_and_a_stranger_see_nothing(room):
    phone = room.phone()
    with room.db() as db:
        operations.withdraw(db, room.session_id, phone.participant.id)
    assert phone.http.get(url(room, 0, "phone")).status_code == 404
    assert room.app.test_client().get(url(room, 0, "phone")).status_code == 404


def test_another_sessions_participant_sees_nothing(app, room):
    other = SlidesWorkshop(app, socketio)
    try:
        phone = other.phone()
        assert phone.http.get(url(room, 0, "phone")).status_code == 404
        assert phone.http.get(url(other, 0, "phone")).status_code == 200
    finally:
        other.close()


@pytest.mark.parametrize(
    "path",
    [
        "/s/{code}/slides/intro/0/deck.webp",  # no such image: never the PDF
        "/s/{code}/slides/intro/0/pdf.webp",
        "/s/{code}/slides/intro/4/projector.webp",  # past the stage's four pages
        "/s/{code}/slides/more/2/projector.webp",
        "/s/{code}/slides/rate/0/projector.webp",  # not a slides stage
        "/s/{code}/slides/nothing/0/projector.webp",
        "/s/ZZZZZZ/slides/intro/0/projector.webp",
        "/s/{code}/slides/intro/-1/projector.webp",
    ],
)
def test_anything_else_is_a_404_even_for_the_console(room, path):
    facilitator = room.facilitator()
    assert facilitator.http.get(path.format(code=room.code)).status_code == 404


def test_a_missing_deck_is_a_404_not_a_failure(app):
    room = SlidesWorkshop(app, socketio, with_deck=False)
    try:
        assert room.facilitator().http.get(url(room, 0)).status_code == 404
    finally:
        room.close()


def test_a_self_paced_participant_sees_every_page_of_a_stage_they_reached(app):
    run = SlidesRun(app, socketio)
    try:
        phone = run.phone()
        for index in range(4):
            assert phone.http.get(url(run, index, "phone")).status_code == 200
        assert phone.http.get(url(run, 0, "phone", stage="more")).status_code == 404
        with run.db() as db:
            for index in (RATE, MORE):  # one stage on at a time
                run_operations.pace_to(db, run.session_id, phone.participant.id, index)
        assert phone.http.get(url(run, 1, "phone", stage="more")).status_code == 200
    finally:
        run.close()
