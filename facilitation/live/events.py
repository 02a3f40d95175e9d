"""Socket.IO handlers: thin. Each gets the sender's connection and the payload, parses it,
calls one function of the workshop's domain and acks ``{ok, seq}`` or ``{ok: false, error}``.

``EVENTS`` is the one table of the events a client may send: each event's name, handler,
the roles that may send it and what it counts as against the rate limits (limits.py).
``register`` hands the table, with the connect and disconnect handlers, to the app's
Socket.IO server; create_app calls it once the server exists. Importing this module
registers nothing.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, NamedTuple

from flask import request, url_for
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

from .. import access, limits, logins
from ..activities import activity_type
from ..db import UNAVAILABLE, get_db, row_by_id, unavailable
from ..errors import Refused
from ..extensions import socketio
from ..limits import EventLimit
from ..models import Participant, WorkshopSession
from ..opinion.own import own_group
from ..workshop import operations, payloads, profile_stage, run_operations, runs, seating
from ..workshop.codes import normalise_code
from ..workshop.identity import (
    NOTES_LINK_REPLACED,
    SCREEN_LINK_REPLACED,
    LinkCheck,
    check_screen_key,
    link_generation,
    notes_key,
    notetaker_cookie,
    participant_from_cookies,
    screen_key,
)
from ..workshop.plan_cache import plan_of
from ..workshop.sessions import is_purged, session_by_code, session_by_id
from ..workshop.sync import sync_view
from . import kick, rooms
from .answer_writer import answer_writer
from .broadcast import (
    COMMENTS,
    NOTES,
    PEOPLE,
    RESULTS,
    broadcaster,
    comments_message,
    results_message,
)
from .countdown_closer import scheduler
from .paced import paced_reply
from .phone_results import phone_results
from .pinned import pin_screen
from .presence import Connection, presence

log = logging.getLogger(__name__)

ROLES = ("participant", "facilitator", "screen", "notetaker")
ROLE_WORDS = {"notetaker": "note-taker"}  # how refusals name a role
PARTICIPANT, FACILITATOR = ("participant",), ("facilitator",)
NOTE_TAKERS = ("notetaker", "facilitator")
NAMESPACE = "/"

Handler = Callable[[Connection, Any], operations.Done | dict]


class ClientEvent(NamedTuple):
    """One row of the event table: an event a client may send."""

    name: str
    handler: Handler
    roles: tuple[str, ...]
    limit: EventLimit = EventLimit.EVENT


def _is_facilitator() -> bool:
    """A logged-in facilitator (a researcher's account reads exports, never runs a room)."""
    return access.is_facilitator()


# Connecting and disconnecting ------------------------------------------------------------


def on_connect(auth=None):
    try:
        _connect(auth)
    except Exception as error:
        if not unavailable(error):
            raise
        log.warning("connect: database unavailable: %s", error)
        # `retry` tells live.js to try again by itself: a refusal otherwise stops it.
        raise ConnectionRefusedError(UNAVAILABLE, {"retry": True}) from None


def _connect(auth) -> None:
    auth = auth if isinstance(auth, dict) else {}
    role = auth.get("role")
    if role not in ROLES:
        raise ConnectionRefusedError(
            "Say which role connects: participant, facilitator, screen or notetaker."
        )
    db = get_db()
    code = normalise_code(str(auth.get("code", "")))
    # A connection with a wrong code is a guess like a page's: the same limit per address.
    refusal = None if _is_facilitator() else limits.code_refusal(code)
    if refusal is not None:
        raise ConnectionRefusedError(refusal)
    session = session_by_code(db, code)
    if session is None:
        if not _is_facilitator():
            limits.code_missed()
        raise ConnectionRefusedError("There is no session with that code.")
    limits.code_reached(session.code)
    if session.purged_at is not None and role != "facilitator":
        raise ConnectionRefusedError("This session is over and its raw data has been deleted.")
    participant_id = label = link = None
    if role == "participant":
        participant = participant_from_cookies(db, request.cookies, session)
        if participant is None:
            raise ConnectionRefusedError("Please join the session first.")
        participant_id = participant.id
        join_room(rooms.participants(session.id))
        join_room(rooms.participant(participant.id))
    elif role == "facilitator":
        if not _is_facilitator():
            raise ConnectionRefusedError("Please log in as a facilitator.")
        join_room(rooms.facilitators(session.id))
    elif role == "notetaker":
        cookie, label = notetaker_cookie(request.cookies, session)
        if label is None and not _is_facilitator():
            raise ConnectionRefusedError(
                NOTES_LINK_REPLACED
                if cookie is LinkCheck.REPLACED
                else "Open the note-taker invitation link again."
            )
        join_room(rooms.notetakers(session.id))
        if label is not None:  # came through the invitation link: revoking it disconnects
            link = link_generation(session, "notes")
            join_room(rooms.notes_link(session.id))
    else:
        key = check_screen_key(session, auth.get("key"))
        if not (key or _is_facilitator()):
            raise ConnectionRefusedError(
                SCREEN_LINK_REPLACED
                if key is LinkCheck.REPLACED
                else "This projector link is not valid."
            )
        if key:  # stands on the projector link: revoking it disconnects
            link = link_generation(session, "screen")
            join_room(rooms.screen_link(session.id))
        join_room(rooms.screens(session.id))
    join_room(rooms.everyone(session.id))
    login_id = _login_relied_on(role, link)
    if login_id is not None:  # disconnected when that login, or every login of it, ends
        join_room(rooms.login(login_id))
        join_room(rooms.account(current_user.id))
    presence.add(
        request.sid,
        Connection(
            role, session.id, session.code, participant_id, label, link=link, login_id=login_id
        ),
    )
    broadcaster.ensure_started()
    if participant_id is not None:
        broadcaster.mark(session.id, RESULTS)  # the connected count changed
    asked = auth.get("sync")
    if isinstance(asked, dict):  # live.js asks for its first sync with the connection
        _sync_with_connection(asked)


def _sync_with_connection(payload: dict) -> None:
    """Send the ``sync`` reply as the connection is made (a ``synced`` message), instead of
    waiting to be asked: one round trip fewer for every page that connects (400 ms on a
    slow phone network), and one message fewer for the server while a room joins. The
    reply is the one a ``sync`` event gets, checks and limits included. It goes straight
    to the socket, not through the message queue, so it is sent before the connection's
    acceptance and the page has it by its ``connect`` (docs/protocol.md)."""
    reply = _SYNC_WITH_CONNECTION(request.sid, payload)
    socketio.server.emit("synced", reply, to=request.sid, namespace=NAMESPACE, ignore_queue=True)


def _login_relied_on(role: str, link) -> int | None:
    """The facilitator's login a connection is allowed by: a console's, or a projector's or
    note-taker's opened with the login rather than its own link (``link`` None). None when
    the connection stands on its own (a phone, a projector key, a note-taker's cookie)."""
    if role == "participant" or link is not None:
        return None
    return logins.current_login_id()


def on_disconnect(*_args):
    connection = presence.remove(request.sid)
    if connection is not None and connection.participant_id is not None:
        broadcaster.mark(connection.session_id, RESULTS)


# What every event goes through -----------------------------------------------------------


def respond(event: ClientEvent, sid: str, payload=None, *_extra) -> dict:
    """Run ``event``'s handler for the socket ``sid`` and make its ack.

    The sender must be connected, have one of the event's roles, be within its rate limits,
    still have its login (when it relies on one) and, for a facilitator, a session whose raw
    data is still there. The handler returns an ``operations.Done`` (acked as ``{ok, seq}``)
    or a dict of extra ack fields. ``Refused`` becomes ``{ok: false, error}``; anything
    unexpected is logged and acked as an error, so a bad payload never takes the
    connection down.
    """
    connection = presence.get(sid)
    if connection is None:
        return {"ok": False, "error": "Not connected to a session; please reload."}
    if connection.role not in event.roles:
        who = " or ".join(ROLE_WORDS.get(role, role) for role in event.roles)
        return {"ok": False, "error": f"Only a {who} can do that."}
    # Rate, then size.
    refusal = limits.event_refusal(event.name, event.limit, connection, payload, sid)
    if refusal is not None:
        return refusal
    if connection.login_id is not None:  # never on a participant's event
        ended = _login_ended(sid, connection.login_id)
        if ended is not None:
            return {"ok": False, "error": ended}
    # Only a facilitator may stay connected to a purged session, to look.
    if (
        connection.role == "facilitator"
        and event.name != "sync"
        and is_purged(get_db(), connection.session_id)
    ):
        return {
            "ok": False,
            "error": "This session's raw data has been deleted; it can no longer be changed.",
        }
    try:
        result = event.handler(connection, {} if payload is None else payload)
    except Refused as refused:
        return {"ok": False, "error": refused.message}
    except Exception as error:
        if unavailable(error):
            raise  # answered by _unless_database_down: the phone sends it again
        log.exception("%s failed", event.name)
        get_db().rollback()
        return {"ok": False, "error": "Something went wrong on the server; nothing was saved."}
    if isinstance(result, operations.Done):
        return _done_ack(result)
    return {"ok": True, **result}


def _done_ack(done: operations.Done) -> dict:
    ack = {"ok": True, "seq": done.seq}
    if done.duplicate:
        ack["duplicate"] = True
    if done.comment_id is not None:
        ack["comment_id"] = done.comment_id
    if done.note_id is not None:
        ack["note_id"] = done.note_id
    return ack


def _login_ended(sid: str, login_id: int) -> str | None:
    """Why the login a socket relies on no longer allows it to act, after disconnecting it.

    Logout, a new password, a role change and a deletion disconnect these sockets at once
    (logins.py); this catches whatever that missed (a message queue that was down, a CLI
    command without one, an account changed in the database by hand). The database is read,
    not the login cookie: Flask-SocketIO's copy of it from the handshake never changes."""
    refusal = logins.login_refusal(get_db(), login_id)
    if refusal is not None:
        # live.js connects again after this and is refused at the door, with a message.
        socketio.server.disconnect(sid, namespace=NAMESPACE)
    return refusal


def _unless_database_down(event: str, handler):
    """Ack ``{ok: false, error, retry: true}`` when the database is unreachable or locked.

    Whatever the handler had started is rolled back (nothing half-written); the phone keeps
    its answer and sends it again with the same client_id, so it is stored once.
    """

    @functools.wraps(handler)
    def guarded(*args):
        try:
            return handler(*args)
        except Exception as error:
            if not unavailable(error):
                raise
            log.warning("%s: database unavailable: %s", event, error)
            try:
                get_db().rollback()
            except Exception:  # noqa: BLE001  (the connection may be gone; the pool drops it)
                log.debug("rollback after a database failure also failed", exc_info=True)
            return {"ok": False, "error": UNAVAILABLE, "retry": True}

    return guarded


def _session(connection: Connection) -> WorkshopSession:
    return session_by_id(get_db(), connection.session_id)


# Every role ------------------------------------------------------------------------------


def sync(connection: Connection, payload) -> dict:
    db = get_db()
    session = _session(connection)
    _require_current_link(connection, session)
    if connection.role == "participant" and runs.is_run(session):
        return paced_reply(db, session, row_by_id(db, Participant, connection.participant_id))
    facilitator = connection.role == "facilitator"
    reply = sync_view(
        db,
        session,
        connection.role,
        participant_id=connection.participant_id,
        label=connection.label,
    )
    reply["comments"] = comments_message(db, session, include_hidden=facilitator)
    if connection.role == "participant":
        reply["results"] = phone_results.message(db, session)
    else:
        with_results = facilitator or session.revealed
        reply["results"] = results_message(db, session, with_results=with_results)
    if connection.role == "screen":
        reply.update(pin_screen(db, session, connection, payload))  # sync {stage}: pinned
    if facilitator:
        reply.update(_console_links(session))
    return reply


def _require_current_link(connection: Connection, session: WorkshopSession) -> None:
    """Refuse a projector or note-taker whose link was revoked since it connected. Revoking
    disconnects it at once (``reissue`` below); this holds should that not reach it."""
    if connection.link is None:
        return
    link = "screen" if connection.role == "screen" else "notes"
    if connection.link != link_generation(session, link):
        raise Refused(SCREEN_LINK_REPLACED if link == "screen" else NOTES_LINK_REPLACED)


# Participants ----------------------------------------------------------------------------


def _after_input(connection: Connection, done: operations.Done, *kinds: str) -> operations.Done:
    if not done.duplicate:
        broadcaster.mark(connection.session_id, *kinds)
    return done


def answer(connection: Connection, payload) -> operations.Done:
    answered = payloads.parse_answer(payload)
    done = answer_writer.record(
        get_db(), connection.session_id, connection.participant_id, answered
    )
    if _sets_sector(connection, answered):
        return _after_input(connection, done, RESULTS, PEOPLE)
    return _after_input(connection, done, RESULTS)


def _sets_sector(connection: Connection, answered: payloads.AnswerPayload) -> bool:
    """Whether the answer is at a sector stage, so changes the participant's sector in the
    console's people list. Only a value naming a sector costs a look at the plan."""
    if "sector" not in answered.value:
        return False
    stage = plan_of(_session(connection)).stage(answered.stage)
    return stage is not None and activity_type(stage.activity.type).records_sector


def comment(connection: Connection, payload) -> operations.Done:
    done = operations.post_comment(
        get_db(), connection.session_id, connection.participant_id, payloads.parse_comment(payload)
    )
    return _after_input(connection, done, COMMENTS, RESULTS)


def react(connection: Connection, payload) -> operations.Done:
    done = operations.react(
        get_db(), connection.session_id, connection.participant_id, payloads.parse_reaction(payload)
    )
    # A statements stage's results are its votes; on other stages the extra mark is cheap.
    return _after_input(connection, done, COMMENTS, RESULTS)


def pace(connection: Connection, payload) -> dict:
    """A run's participant moves to a stage (Back, Next): the ack is what they now see;
    to the stage they are on, it only refreshes that (after an answer, say)."""
    db = get_db()
    index = payloads.parse_stage_index(payload)
    run_operations.pace_to(db, connection.session_id, connection.participant_id, index)
    session = _session(connection)
    db.refresh(session)
    return paced_reply(db, session, row_by_id(db, Participant, connection.participant_id))


def own_profile(connection: Connection, _payload) -> dict:
    """The participant's own framework profile, to mark beside the room's on a profile
    stage (workshop/profile_stage.py)."""
    session = _session(connection)
    return {"profile": profile_stage.own_profile(get_db(), session, connection.participant_id)}


def own_opinion_group(connection: Connection, payload) -> dict:
    """The participant's own opinion group on a statements stage, when the plan tells
    participants theirs (opinion/live.py ``own_group``); never anyone else's."""
    stage_key = payloads.parse_stage_key(payload)
    db = get_db()
    participant = row_by_id(db, Participant, connection.participant_id)
    return own_group(db, _session(connection), participant, stage_key)


def withdraw(connection: Connection, _payload) -> operations.Done:
    done = operations.withdraw(get_db(), connection.session_id, connection.participant_id)
    return _after_input(connection, done, RESULTS, COMMENTS, PEOPLE)


# Facilitators ----------------------------------------------------------------------------


def _push_state(connection: Connection, done: operations.Done) -> operations.Done:
    """Facilitators' controls show at once: the session's new state to everyone."""
    broadcaster.push_state(_session(connection))
    return done


def _push_timed_state(connection: Connection, done: operations.Done) -> operations.Done:
    """A control that may start, change or stop a countdown: the countdown closer hears of
    it (live/countdown_closer.py), then everyone gets the new state."""
    session = _session(connection)
    scheduler.note(session)
    broadcaster.push_state(session)
    return done


def control(operation, after=_push_state) -> Handler:
    """A facilitator's control with no payload: ``operation`` on the session, then ``after``
    (``_push_state``, or ``_push_timed_state`` for those that touch the countdown)."""

    def handler(connection: Connection, _payload) -> operations.Done:
        return after(connection, operation(get_db(), connection.session_id))

    return handler


def timed_control(operation) -> Handler:
    return control(operation, after=_push_timed_state)


def goto(connection: Connection, payload) -> operations.Done:
    index = payloads.parse_stage_index(payload)
    return _push_state(connection, operations.go_to_stage(get_db(), connection.session_id, index))


def next_press(connection: Connection, _payload) -> dict:
    """The console's big button: whatever the flow says comes next (workshop/flow.py)."""
    action, done = operations.next_press(get_db(), connection.session_id)
    session = _session(connection)
    scheduler.note(session)  # showing a stage stops its countdown
    broadcaster.push_state(session)
    return {**_done_ack(done), "did": action}


def back_press(connection: Connection, _payload) -> dict:
    """The console's back key: the previous page of a slides stage, else the previous stage
    (operations.back_press)."""
    did, done = operations.back_press(get_db(), connection.session_id)
    session = _session(connection)
    scheduler.note(session)  # showing a stage stops its countdown
    broadcaster.push_state(session)
    return {**_done_ack(done), "did": did}


def set_flow(connection: Connection, payload) -> operations.Done:
    input_, reveal = payloads.parse_flow(payload)
    done = operations.set_flow(get_db(), connection.session_id, input_, reveal)
    return _push_state(connection, done)


def choose_scenario(connection: Connection, payload) -> operations.Done:
    scenario = payloads.parse_scenario(payload)
    done = operations.choose_scenario(get_db(), connection.session_id, scenario)
    return _push_state(connection, done)


def moderation(operation) -> Handler:
    """Hide, restore, highlight or unhighlight the comment the payload names."""

    def handler(connection: Connection, payload) -> operations.Done:
        comment_id = payloads.parse_comment_id(payload)
        done = operation(get_db(), connection.session_id, comment_id)
        broadcaster.mark(connection.session_id, COMMENTS)
        return done

    return handler


def set_screen_mode(connection: Connection, payload) -> operations.Done:
    mode = payloads.parse_screen_mode(payload)
    done = operations.set_screen_mode(get_db(), connection.session_id, mode)
    return _push_state(connection, done)


def timer_start(connection: Connection, payload) -> operations.Done:
    seconds, auto_close = payloads.parse_timer_start(payload)
    done = operations.start_timer(get_db(), connection.session_id, seconds, auto_close)
    return _push_timed_state(connection, done)


def timer_add(connection: Connection, payload) -> operations.Done:
    seconds = payloads.parse_timer_add(payload)
    done = operations.add_time(get_db(), connection.session_id, seconds)
    return _push_timed_state(connection, done)


# Notes (note-takers and facilitators) ----------------------------------------------------


def note(connection: Connection, payload) -> operations.Done:
    # From the console a note is the facilitator's; on the note-taker page, the label's.
    author = connection.label if connection.role == "notetaker" else None
    done = operations.post_note(
        get_db(), connection.session_id, author, payloads.parse_note(payload), connection.link
    )
    return _after_input(connection, done, NOTES)


def note_visibility(operation) -> Handler:
    """Show the note the payload names on the projector, or take it off."""

    def handler(connection: Connection, payload) -> operations.Done:
        done = operation(get_db(), connection.session_id, payloads.parse_note_id(payload))
        broadcaster.mark(connection.session_id, NOTES)
        return done

    return handler


# Breakout tables and breakdowns (facilitator) ----------------------------------------------


def set_tables(connection: Connection, payload) -> operations.Done:
    names = payloads.parse_tables(payload)
    done, unseated = seating.set_tables(get_db(), connection.session_id, names)
    _push_state(connection, done)
    broadcaster.mark(connection.session_id, PEOPLE)
    _tell_phones(unseated)  # whoever sat at a table that is gone has none now
    return done


def move_participant(connection: Connection, payload) -> operations.Done:
    pseudonym, table = payloads.parse_move(payload)
    done, moved = seating.move_participant(get_db(), connection.session_id, pseudonym, table)
    broadcaster.mark(connection.session_id, PEOPLE, RESULTS)  # a table breakdown changes too
    _tell_phones([moved])
    return done


def _tell_phones(participant_ids) -> None:
    """Send each participant's phone its ``me`` (as in the ``sync`` reply), so the table
    the facilitator gave or took away shows on it at once, not only after a reconnect."""
    for participant_id, me in seating.phone_views(get_db(), participant_ids).items():
        socketio.emit("me", me, to=rooms.participant(participant_id))


def set_breakdown(connection: Connection, payload) -> operations.Done:
    breakdown = payloads.parse_breakdown(payload)
    done = operations.set_breakdown(get_db(), connection.session_id, breakdown)
    return _push_state(connection, done)


# Projector and note-taker links ----------------------------------------------------------


def _console_links(session: WorkshopSession) -> dict:
    """The console's links, each with the link's current key: the projector's
    (``screen_url``; ``screen_links``: one that follows the facilitator, one per stage) and
    the note-taker invitation (``notes_url``)."""
    key = screen_key(session)
    links = [
        {
            "stage": None,
            "title": "Follows the facilitator",
            "url": url_for("screen.show", code=session.code, key=key, _external=True),
        }
    ]
    for stage in plan_of(session).stages:
        links.append(
            {
                "stage": stage.key,
                "title": stage.title,
                "url": url_for(
                    "screen.show", code=session.code, key=key, stage=stage.key, _external=True
                ),
            }
        )
    notes_url = url_for(
        "notes.take_notes", code=session.code, key=notes_key(session), _external=True
    )
    return {"screen_url": links[0]["url"], "screen_links": links, "notes_url": notes_url}


def reissue(link: str, room: Callable[[int], str]) -> Handler:
    """Revoke the projector or note-taker link and make a new one (operations.reissue_link)."""

    def handler(connection: Connection, _payload) -> dict:
        done = operations.reissue_link(get_db(), connection.session_id, link)
        # Whoever came in by the old link goes now, on every worker; its page connects
        # again once and is refused with "This ... link has been replaced".
        kick.disconnect_room(room(connection.session_id))
        links = {"seq": done.seq, **_console_links(_session(connection))}
        # Every console of the session shows the new link, not only the one that asked.
        socketio.emit("links", links, to=rooms.facilitators(connection.session_id))
        return links

    return handler


# The event table -------------------------------------------------------------------------

EVENTS: tuple[ClientEvent, ...] = (
    ClientEvent("sync", sync, ROLES, EventLimit.SYNC),
    # Participants
    ClientEvent("answer", answer, PARTICIPANT),
    ClientEvent("comment", comment, PARTICIPANT),
    ClientEvent("react", react, PARTICIPANT),
    # Reads: counted as syncs, so a phone asking for its own scores or group never uses up
    # what it may send of answers and votes.
    ClientEvent("own_profile", own_profile, PARTICIPANT, EventLimit.SYNC),
    ClientEvent("own_opinion_group", own_opinion_group, PARTICIPANT, EventLimit.SYNC),
    ClientEvent("withdraw", withdraw, PARTICIPANT),
    ClientEvent("pace", pace, PARTICIPANT, EventLimit.PACE),
    # Facilitators: the room
    ClientEvent("goto", goto, FACILITATOR),
    ClientEvent("next", next_press, FACILITATOR),
    ClientEvent("back", back_press, FACILITATOR),
    ClientEvent("set_flow", set_flow, FACILITATOR),
    ClientEvent("open_input", control(operations.open_input), FACILITATOR),
    ClientEvent("close_input", control(operations.close_input), FACILITATOR),
    ClientEvent("reveal", control(operations.reveal_results), FACILITATOR),
    ClientEvent("hide_results", control(operations.hide_results), FACILITATOR),
    ClientEvent("choose_scenario", choose_scenario, FACILITATOR),
    ClientEvent("set_screen_mode", set_screen_mode, FACILITATOR),
    # Facilitators: comments
    ClientEvent("hide_comment", moderation(operations.hide_comment), FACILITATOR),
    ClientEvent("restore_comment", moderation(operations.restore_comment), FACILITATOR),
    ClientEvent("highlight_comment", moderation(operations.highlight_comment), FACILITATOR),
    ClientEvent("unhighlight_comment", moderation(operations.unhighlight_comment), FACILITATOR),
    # Notes
    ClientEvent("note", note, NOTE_TAKERS, EventLimit.NOTE),
    ClientEvent("show_note", note_visibility(operations.show_note), FACILITATOR),
    ClientEvent("hide_note", note_visibility(operations.hide_note), FACILITATOR),
    # Breakout tables and breakdowns
    ClientEvent("set_tables", set_tables, FACILITATOR),
    ClientEvent("move_participant", move_participant, FACILITATOR),
    ClientEvent("set_breakdown", set_breakdown, FACILITATOR),
    # The countdown
    ClientEvent("timer_start", timer_start, FACILITATOR),
    ClientEvent("timer_add", timer_add, FACILITATOR),
    ClientEvent("timer_pause", timed_control(operations.pause_timer), FACILITATOR),
    ClientEvent("timer_resume", timed_control(operations.resume_timer), FACILITATOR),
    ClientEvent("timer_stop", timed_control(operations.stop_timer), FACILITATOR),
    # The session's lifecycle
    ClientEvent("start_session", timed_control(operations.start_session), FACILITATOR),
    ClientEvent("pause_session", timed_control(operations.pause_session), FACILITATOR),
    ClientEvent("resume_session", timed_control(operations.resume_session), FACILITATOR),
    ClientEvent("end_session", control(operations.end_session), FACILITATOR),
    # Links
    ClientEvent("reissue_screen_link", reissue("screen", rooms.screen_link), FACILITATOR),
    ClientEvent("reissue_notes_link", reissue("notes", rooms.notes_link), FACILITATOR),
)


# With the connection: the table's sync, a database that is away answered as for the event.
_SYNC = next(event for event in EVENTS if event.name == "sync")
_SYNC_WITH_CONNECTION = _unless_database_down("sync", functools.partial(respond, _SYNC))


# Registration ----------------------------------------------------------------------------


def register(sockets: SocketIO) -> None:
    """Hand the connect and disconnect handlers and every event of ``EVENTS`` to the
    Socket.IO server ``sockets.init_app`` has just made (one per app)."""
    if sockets.server is None:
        raise RuntimeError("register the events after socketio.init_app")
    # With a server, Flask-SocketIO's on_event registers straight on it (public API), and
    # runs the handler in a request context: connecting reads cookies and the login, and
    # facilitators' events check the login on every event.
    sockets.on_event("connect", on_connect, namespace=NAMESPACE)
    sockets.on_event("disconnect", on_disconnect, namespace=NAMESPACE)
    for event in EVENTS:
        guarded = _unless_database_down(event.name, functools.partial(respond, event))
        if event.roles == PARTICIPANT:
            handler = _in_app_context(sockets.server, guarded)
            sockets.server.on(event.name, handler, namespace=NAMESPACE)
        else:
            sockets.on_event(event.name, _with_sid(guarded), namespace=NAMESPACE)


def _with_sid(handler):
    """Flask-SocketIO passes the payload only; the sid is in its request context."""
    return lambda *args: handler(request.sid, *args)


def _in_app_context(server, handler):
    """A participants' event handler that runs in an app context only, registered with
    python-socketio's own ``Server.on`` (so it gets the sid first).

    Flask-SocketIO builds a whole Flask request for every event (the request object, URL
    binding, the session cookie opened and verified): in a burst of votes that was about
    10 % of the server's time, three times the handler's own. A participant's identity was
    settled when the connection was made (presence holds it by ``sid``) and these handlers
    read no request, cookie or login, so an app context (config, ``get_db``) is enough.
    Facilitators' events keep the request: they check the login on every event.
    """

    def on_event(sid: str, *args):
        environ = server.get_environ(sid)
        if not environ:  # not (or no longer) connected
            return None
        with environ["flask.app"].app_context():
            return handler(sid, *args)

    return on_event
