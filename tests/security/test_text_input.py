"""Text that cannot be stored safely is refused where it comes in (``facilitation/text.py``):
a lone surrogate, NUL and other controls, bidi overrides, and text that is only invisible
characters. Over Socket.IO (comments, word-cloud answers, notes, table names), in the join
form, the note-taker's label, the series forms and the plan editor: a readable refusal,
nothing stored. Every script, Welsh letters and emoji sequences pass, NFC-normalised."""

from __future__ import annotations

import html
import urllib.parse

import pytest
from sqlalchemy import func, select

from facilitation.errors import Refused
from facilitation.extensions import socketio
from facilitation.models import Answer, Comment, Note, Participant, Series, WorkshopSession
from facilitation.text import CONTROL, DIRECTION, INVISIBLE, UNENCODABLE, clean_text
from facilitation.workshop.identity import notes_key, notetaker_cookie_name, notetaker_token
from tests.exports.conftest import login
from tests.factories import Client, client_id, session_of
from tests.live.test_points_grid_words_statements import answer, count, open_stage
from tests.support.live import joined as joined_as_phone

BAD = {
    "lone surrogate": ("tea\ud800", UNENCODABLE),
    "low surrogate": ("\udfffcoffee", UNENCODABLE),
    "noncharacter": ("tea\ufffe", UNENCODABLE),
    "NUL": ("tea\x00", CONTROL),
    "escape sequence": ("tea\x1b[2J", CONTROL),
    "C1 control": ("tea\x9b", CONTROL),
    "bidi override": ("invoice\u202efdp.exe", DIRECTION),
    "bidi isolate": ("\u2066tea\u2069", DIRECTION),
    "only invisible": ("\u200b\u200c\u200d\ufeff\u2060\u00ad\ufe0f", INVISIBLE),
    "only a combining mark": ("\u0301", INVISIBLE),
    "only a blank letter": ("\u3164\u2800", INVISIBLE),
}
GOOD = {
    "Welsh": ("Ŵyn ac ŷd", "Ŵyn ac ŷd"),
    "decomposed Welsh": ("w\u0302yn", "ŵyn"),  # NFC: one letter, stored alike
    "family emoji": ("👩\u200d👩\u200d👧 hi", "👩\u200d👩\u200d👧 hi"),
    "Welsh flag": ("🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f",) * 2,
    "heart with its variation selector": ("❤\ufe0f", "❤\ufe0f"),
    "Arabic with a direction mark": ("مرحبا\u200f بكم", "مرحبا\u200f بكم"),
    "Chinese": ("数据共享", "数据共享"),
    "tab and line breaks": ("tea\tand\r\ncake", "tea and cake"),
}


def notetaker(app, room) -> Client:
    http = app.test_client()
    with app.test_request_context():
        token = notetaker_token(session_of(app, room.code), "Scribe")
    http.set_cookie(notetaker_cookie_name(room.code), token)
    return room._track(Client(app, socketio, {"code": room.code, "role": "notetaker"}, http))


def refused(ack: dict, message: str) -> None:
    assert ack == {"ok": False, "error": message}


# The text module itself ----------------------------------------------------------------------


@pytest.mark.parametrize("text, message", BAD.values(), ids=BAD.keys())
def test_clean_text_refuses_with_a_readable_message(text, message):
    for lines in (False, True):
        with pytest.raises(Refused) as raised:
            clean_text(text, lines=lines)
        assert raised.value.message == message


@pytest.mark.parametrize("text, stored", GOOD.values(), ids=GOOD.keys())
def test_clean_text_keeps_every_script_and_emoji(text, stored):
    assert clean_text(text) == stored
    assert clean_text(stored) == stored


def test_lines_keep_their_breaks_and_tabs_become_spaces():
    assert clean_text("  one\ttwo \r\n\r\n\r\n\nthree\rfour ", lines=True) == (
        "one two\n\nthree\nfour"
    )
    assert clean_text(" \u3000\n ") == ""  # empty: whether that is allowed is the caller's say


# Over Socket.IO ------------------------------------------------------------------------------


def test_a_comment_or_statement_that_cannot_be_stored_is_refused(room):
    facilitator, phone = room.facilitator(), room.phone()
    open_stage(facilitator, room, "statements")
    for text, message in BAD.values():
        payload = {"stage": "statements", "client_id": client_id(), "text": text}
        refused(phone.emit("comment", payload), message)
    assert count(room, Comment) == 0


def test_a_word_cloud_answer_that_cannot_be_stored_is_refused(room):
    facilitator, phone = room.facilitator(), room.phone()
    open_stage(facilitator, room, "words")
    for text, message in BAD.values():
        refused(answer(phone, "words", {"text": text}), message)
    assert count(room, Answer) == 0


def test_a_note_that_cannot_be_stored_is_refused(app, room):
    scribe, facilitator = notetaker(app, room), room.facilitator()
    for text, message in BAD.values():
        for sender in (scribe, facilitator):
            refused(sender.emit("note", {"client_id": client_id(), "text": text}), message)
    assert count(room, Note) == 0


def test_table_names_that_cannot_be_stored_are_refused(room):
    facilitator = room.facilitator()
    room.join()
    with room.db() as db:
        pseudonym = db.scalar(select(Participant.pseudonym))
    for text, message in BAD.values():
        refused(facilitator.emit("set_tables", {"tables": ["Table A", text]}), message)
        ack = facilitator.emit("move_participant", {"pseudonym": pseudonym, "table": text})
        refused(ack, message)
    with room.db() as db:
        assert db.get(WorkshopSession, room.session_id).tables is None


@pytest.mark.parametrize("text, stored", GOOD.values(), ids=GOOD.keys())
def test_good_text_is_stored_normalised(app, room, text, stored):
    facilitator, phone = room.facilitator(), room.phone()
    open_stage(facilitator, room, "statements")
    ack = phone.emit("comment", {"stage": "statements", "client_id": client_id(), "text": text})
    assert ack["ok"], ack
    assert notetaker(app, room).emit("note", {"client_id": client_id(), "text": text})["ok"]
    assert facilitator.emit("set_tables", {"tables": [text]})["ok"]
    with room.db() as db:
        assert db.scalar(select(Comment.text)) == stored
        assert db.scalar(select(Note.text)) == clean_text(text, lines=True)
        assert db.get(WorkshopSession, room.session_id).tables == [stored]


def test_a_note_keeps_its_line_breaks(app, room):
    text = "Points raised:\r\n- keep it local\r\n-\task first"
    assert notetaker(app, room).emit("note", {"client_id": client_id(), "text": text})["ok"]
    with room.db() as db:
        assert db.scalar(select(Note.text)) == "Points raised:\n- keep it local\n- ask first"


# Forms ---------------------------------------------------------------------------------------


def post_raw(client, url: str, form: dict):
    """POST ``form`` as a script would send it: a surrogate goes as its raw UTF-8-like
    bytes (a browser's form cannot send one)."""
    body = urllib.parse.urlencode(form, encoding="utf-8", errors="surrogatepass")
    return client.post(url, data=body, content_type="application/x-www-form-urlencoded")


FORM_BAD = {k: v for k, v in BAD.items() if "surrogate" not in k and k != "noncharacter"}


def test_the_join_form_refuses_a_display_name_next_to_the_field(app, room):
    for text, message in FORM_BAD.values():
        form = {"display_name": text, "sector": "Health", "consent": "yes"}
        response = post_raw(app.test_client(), f"/j/{room.code}", form)
        assert response.status_code == 400
        page = html.unescape(response.get_data(as_text=True))
        assert message in page
    assert count(room, Participant) == 0


def test_a_lone_surrogate_cannot_come_in_through_a_form(app, room):
    """Form bodies are bytes: the server reads invalid UTF-8 as something storable."""
    form = {"display_name": "Sam\ud800", "sector": "Health", "consent": "yes", "name_consent": "1"}
    assert joined_as_phone(post_raw(app.test_client(), f"/j/{room.code}", form), room.code)
    with room.db() as db:
        name = db.scalar(select(Participant.display_name))
    assert name.startswith("Sam") and name.encode("utf-8")


def test_the_join_form_keeps_a_welsh_name_and_emoji(app, room):
    name = "Ffion w\u0302yn 👩\u200d👩\u200d👧"
    form = {"display_name": name, "sector": "Health", "consent": "y"}
    assert joined_as_phone(post_raw(app.test_client(), f"/j/{room.code}", form), room.code)
    with room.db() as db:
        assert db.scalar(select(Participant.display_name)) == "Ffion ŵyn 👩\u200d👩\u200d👧"


def test_the_note_taker_label_is_refused_next_to_the_field(app, room):
    with app.test_request_context():
        key = notes_key(session_of(app, room.code))
    for text, message in FORM_BAD.values():
        response = post_raw(app.test_client(), f"/n/{room.code}?key={key}", {"label": text})
        assert response.status_code == 400
        assert message in html.unescape(response.get_data(as_text=True))
        cookies = " ".join(response.headers.getlist("Set-Cookie"))
        assert notetaker_cookie_name(room.code) not in cookies


def test_series_forms_refuse_text_that_cannot_be_stored(app, room):
    client, _ = login(app)
    for text, message in FORM_BAD.values():
        for form in ({"title": text}, {"title": "Areas", "description": f"\n{text}\n"}):
            response = post_raw(client, "/facilitator/series/", form)
            assert response.status_code == 400, form
            assert message in html.unescape(response.get_data(as_text=True))
        form = {"series": "new", "title": "Areas", "place": text, "held_on": "2025-06-12"}
        response = post_raw(client, f"/facilitator/series/for-session/{room.code}", form)
        assert response.status_code == 400
        assert message in html.unescape(response.get_data(as_text=True))
    with room.db() as db:
        assert db.scalar(select(func.count()).select_from(Series)) == 0


@pytest.mark.parametrize("escape", ["\\0", "\\e", "\\u202e", "\\ud800", "\\u200b"])
def test_plan_text_meets_the_same_rules(app, escape):
    """YAML's double-quoted escapes make any character; plan text ends up on phones."""
    client, _ = login(app)
    source = (room_plan := _plan()).replace(
        "title: Points, grid, word cloud and statements", f'title: "Plan{escape}"'
    )
    assert source != room_plan
    if escape == "\\u200b":  # a zero-width space inside a title is kept ...
        assert client.post("/facilitator/plans/check", data={"source": source}).json["ok"]
        source = source.replace(f'"Plan{escape}"', f'"{escape}"')  # ... an invisible title not
    answer = client.post("/facilitator/plans/check", data={"source": source}).json
    assert not answer["ok"]
    assert any(e.get("field") == "title" for e in answer["errors"]), answer


def _plan() -> str:
    from tests.live.test_points_grid_words_statements import PLAN

    return PLAN
