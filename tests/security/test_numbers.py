"""Numbers from outside are range-checked before they reach the database: an id of 2**63
overflowed SQLite's integer (an OverflowError and a traceback). Socket.IO payloads get a
readable refusal; routes with ``<int:...>`` answer 404; forms say what to type; the CLI
gives a usage error. Floats, NaN, Infinity and deep nesting are refused too."""

from __future__ import annotations

import logging
import re

import pytest
from werkzeug.routing import IntegerConverter

from facilitation.extensions import socketio
from facilitation.whole_numbers import MAX_ID, whole_number
from tests.live.test_points_grid_words_statements import open_stage
from tests.privacy.test_researchers import account, login_as
from tests.security.test_text_input import notetaker

HUGE = [2**63, 2**64 + 1, 10**30, -(2**63) - 1, MAX_ID + 1, 0, -1]
NOT_WHOLE = [1.5, 1.0, -0.0, True, "1", None, [1], {"id": 1}]
UNEXPECTED = "Something went wrong on the server; nothing was saved."


def no_errors_logged(caplog) -> None:
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors[0].getMessage()


def assert_refused(ack: dict, what) -> None:
    assert ack["ok"] is False, (what, ack)
    assert ack["error"].strip() and ack["error"] != UNEXPECTED, (what, ack)


@pytest.mark.parametrize("field, event, role", [
    ("comment_id", "react", "participant"),
    ("comment_id", "hide_comment", "facilitator"),
    ("comment_id", "restore_comment", "facilitator"),
    ("comment_id", "highlight_comment", "facilitator"),
    ("comment_id", "unhighlight_comment", "facilitator"),
    ("note_id", "show_note", "facilitator"),
    ("note_id", "hide_note", "facilitator"),
    ("index", "goto", "facilitator"),
    ("seconds", "timer_start", "facilitator"),
    ("seconds", "timer_add", "facilitator"),
])  # fmt: skip
def test_ids_and_numbers_out_of_range_are_refused(room, caplog, field, event, role):
    facilitator = room.facilitator()
    open_stage(facilitator, room, "statements")
    sender = room.phone() if role == "participant" else facilitator
    for number in [*HUGE, *NOT_WHOLE]:
        if field == "index" and number == 0:
            continue  # the first stage
        payload = {field: number, "client_id": "abcdefgh12", "reaction": "agree"}
        ack = sender.emit(event, payload)
        assert_refused(ack, number)
    no_errors_logged(caplog)


def test_the_refusal_says_what_range_an_id_takes(room):
    phone = room.phone()
    ack = phone.emit("react", {"comment_id": 2**63, "client_id": "abcdefgh12", "reaction": "agree"})
    assert ack == {"ok": False, "error": f"'comment_id' must be a whole number from 1 to {MAX_ID}."}


def test_numbers_inside_answers_stay_in_range(room, caplog):
    facilitator, phone = room.facilitator(), room.phone()
    open_stage(facilitator, room, "priorities")
    for points in (2**63, -(2**63), 11, 1.5, float("inf")):
        value = {"points": {"Privacy": points}}
        ack = phone.emit(
            "answer", {"stage": "priorities", "client_id": "abcdefgh12", "value": value}
        )
        assert_refused(ack, points)
    no_errors_logged(caplog)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_are_not_json(app, room, caplog, value):
    """Python's JSON reader takes NaN and Infinity, which are not JSON: refused anywhere."""
    facilitator = room.facilitator()
    scribe = notetaker(app, room)
    assert_refused(facilitator.emit("goto", {"index": 1, "junk": value}), value)
    assert_refused(scribe.emit("note", {"client_id": "abcdefgh12", "text": "hi", "x": value}), 0)
    no_errors_logged(caplog)


def test_deep_nesting_is_refused(room, caplog):
    facilitator = room.facilitator()
    deep: list = []
    for _ in range(200):
        deep = [deep]
    assert_refused(facilitator.emit("set_tables", {"tables": deep}), "deep")
    assert_refused(facilitator.emit("goto", {"index": 1, "junk": deep}), "deep")
    no_errors_logged(caplog)


@pytest.mark.parametrize(
    "packet",
    ['2["goto",' + "[" * 20_000 + "]" * 20_000 + "]", '21["goto",{"index": 1,]', "2[nope"],
    ids=["nested 20,000 deep", "invalid JSON with an ack id", "cut off"],
)
def test_a_packet_python_cannot_read_is_dropped_without_a_traceback(room, caplog, packet):
    """Socket.IO packets (2: an event) read by python-socketio before any handler."""
    facilitator = room.facilitator()
    socketio.server._handle_eio_message(facilitator.socket.eio_sid, packet)  # no exception
    no_errors_logged(caplog)
    assert facilitator.connected
    assert facilitator.emit("goto", {"index": 1})["ok"]  # the connection still works


# Over HTTP -----------------------------------------------------------------------------------


def int_routes(app):
    """Every rule with an ``<int:...>`` part, and the methods it answers."""
    for rule in app.url_map.iter_rules():
        ints = [n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)]
        if ints:
            yield rule, ints


def test_every_int_route_answers_404_for_an_id_the_database_cannot_hold(app, room, caplog):
    facilitator = login_as(app, "facilitator")
    routes = list(int_routes(app))
    assert len(routes) >= 6  # series pages, series exports, researchers' grants
    for rule, ints in routes:
        for number in (2**63, 10**40, MAX_ID + 1):

            def fill(match, number=number, ints=ints) -> str:
                name = match.group(1)
                return str(number) if name in ints else _sample(name, room)

            url = re.sub(r"<(?:[^>:]+:)?([^>]+)>", fill, rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = facilitator.open(url, method=method)
                response.get_data()
                assert response.status_code == 404, (method, url, response.status_code)
    no_errors_logged(caplog)


def _sample(name: str, room) -> str:
    return {"code": room.code, "filename": "responses.csv"}.get(name, "x")


@pytest.mark.parametrize(
    "typed", ["99999999999999999999", "²", "٣", "-1", "1e3", "0x10", "1" * 5000]
)
def test_forms_taking_numbers_say_what_to_type(app, room, caplog, typed):
    facilitator = login_as(app, "facilitator")
    researcher = account(app, "researcher")
    response = facilitator.post(
        f"/facilitator/sessions/{room.code}/retention", data={"days": typed}
    )
    assert response.status_code == 400
    response = facilitator.post(
        f"/facilitator/researchers/{researcher.id}/grants", data={"target": f"series:{typed}"}
    )
    assert response.status_code == 400
    form = {"series": typed, "place": "Leeds", "held_on": "2025-06-12"}
    response = facilitator.post(f"/facilitator/series/for-session/{room.code}", data=form)
    assert response.status_code == 400
    no_errors_logged(caplog)


def test_whole_number_reads_ascii_digits_in_range():
    assert whole_number(" 30 ", 1, 100) == 30
    assert whole_number("0", 1, 100) is None
    assert whole_number("101", 1, 100) is None
    assert whole_number("²", 0, 100) is None  # str.isdigit() says yes; int() cannot read it
    assert whole_number("9" * 5000, 0, MAX_ID) is None  # never parsed: too long


def test_the_cli_refuses_a_series_id_it_cannot_hold(app, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["export", "--series", str(2**63), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2, result.output
    assert "not in the range" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
