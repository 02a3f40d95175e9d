"""Socket.IO handlers: thin. Each checks the sender's role, parses the payload, calls one
operation and acks ``{ok, seq}`` or ``{ok: false, error}``."""

from __future__ import annotations

import functools
import logging

from flask import request, url_for
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room
from sqlalchemy import select

from .. import access, limits, logins
from ..db import UNAVAILABLE, get_db, unavailable
from ..errors import Refused
from ..extensions import socketio
from ..models import Participant, WorkshopSession
from ..workshop import operations, payloads
from ..workshop.breakouts import people_message
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
from ..workshop.notes import sync_extras as note_sync_extras
from ..workshop.plan_cache import plan_of
from ..workshop.sessions import session_by_code
from ..workshop.state import own_comment_ids, participant_view, session_state
from ..workshop.timer import scheduler
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
from .pinned import pin_screen
from .presence import Connection, presence

log = logging.getLogger(__name__)

ROLES = ("participant", "facilitator", "screen", "notetaker")
ROLE_WORDS = {"notetaker": "note-taker"}  # how refusals name a role


def _is_facilitator() -> bool:
    """A logged-in facilitator (a researcher's account reads exports, never runs a room)."""
    return access.is_facilitator()


@socketio.on("connect")
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


def _login_relied_on(role: str, link) -> int | None:
    """The facilitator's login a connection is allowed by: a console's, or a projector's or
    note-taker's opened with the login rather than its own link (``link`` None). None when
    the connection stands on its own (a phone, a projector key, a note-taker's cookie)."""
    if role == "participant" or link is not None:
        return None
    return logins.current_login_id()


@socketio.on("disconnect")
def on_disconnect(*_args):
    connection = presence.remove(request.sid)
    if connection is not None and connection.participant_id is not None:
        broadcaster.mark(connection.session_id, RESULTS)


def handles(event: str, *roles: str):
    """Register a handler for ``event`` that only ``roles`` may send.

    The handler gets the sender's connection and the raw payload and returns an
    ``operations.Done`` (acked as ``{ok, seq}``) or a dict of extra ack fields.
    ``Refused`` becomes ``{ok: false, error}``; anything unexpected is logged and acked
    as an error, so a bad payload never takes the connection down.
    """

    def decorator(handler):
        @functools.wraps(handler)
        def respond(sid: str, payload=None, *_extra):
            connection = presence.get(sid)
            if connection is None:
                return {"ok": False, "error": "Not connected to a session; please reload."}
            if connection.role not in roles:
                who = " or ".join(ROLE_WORDS.get(role, role) for role in roles)
                return {"ok": False, "error": f"Only a {who} can do that."}
            refusal = limits.event_refusal(event, connection, payload, sid)  # rate, then size
            if refusal is not None:
                return refusal
            if connection.login_id is not None:  # never on a participant's event
                ended = _login_ended(sid, connection.login_id)
                if ended is not None:
                    return {"ok": False, "error": ended}
            # Only a facilitator may stay connected to a purged session, to look.
            if connection.role == "facilitator" and event != "sync":
                purged_at = get_db().scalar(
                    select(WorkshopSession.purged_at).where(
                        WorkshopSession.id == connection.session_id
                    )
                )
                if purged_at is not None:
                    return {
                        "ok": False,
                        "error": "This session's raw data has been deleted; "
                        "it can no longer be changed.",
                    }
            try:
                result = handler(connection, {} if payload is None else payload)
            except Refused as refused:
                return {"ok": False, "error": refused.message}
            except Exception as error:
                if unavailable(error):
                    raise  # answered by _unless_database_down: the phone sends it again
                log.exception("%s failed", event)
                get_db().rollback()
                return {
                    "ok": False,
                    "error": "Something went wrong on the server; nothing was saved.",
                }
            if isinstance(result, operations.Done):
                ack = {"ok": True, "seq": result.seq}
                if result.duplicate:
                    ack["duplicate"] = True
                if result.comment_id is not None:
                    ack["comment_id"] = result.comment_id
                if result.note_id is not None:
                    ack["note_id"] = result.note_id
                return ack
            return {"ok": True, **result}

        guarded = _unless_database_down(event, respond)
        if roles == ("participant",):
            _without_request_context(event, guarded)
        else:
            socketio.on_event(event, lambda *args: guarded(request.sid, *args))
        return respond

    return decorator


def _login_ended(sid: str, login_id: int) -> str | None:
    """Why the login a socket relies on no longer allows it to act, after disconnecting it.

    Logout, a new password, a role change and a deletion disconnect these sockets at once
    (logins.py); this catches whatever that missed (a message queue that was down, a CLI
    command without one, an account changed in the database by hand). The database is read,
    not the login cookie: Flask-SocketIO's copy of it from the handshake never changes."""
    refusal = logins.login_refusal(get_db(), login_id)
    if refusal is not None:
        # live.js connects again after this and is refused at the door, with a message.
        socketio.server.disconnect(sid, namespace="/")
    return refusal


def _without_request_context(event: str, handler) -> None:
    """Register a participants' event that runs in an app context only.

    Flask-SocketIO builds a whole Flask request for every event (the request object, URL
    binding, the session cookie opened and verified): in a burst of votes that was about
    10 % of the server's time, three times the handler's own. A participant's identity was
    settled when the connection was made (presence holds it by ``sid``) and these handlers
    read no request, cookie or login, so an app context (config, ``get_db``) is enough.
    Facilitators' events keep the request: they check the login on every event.
    """

    def on_event(sid: str, *args):
        environ = socketio.server.get_environ(sid)
        if not environ:  # not (or no longer) connected
            return None
        with environ["flask.app"].app_context():
            return handler(sid, *args)

    # Flask-SocketIO's own list of (event, handler, namespace), which init_app hands to
    # every new Socket.IO server: handlers here get the sid first, as python-socketio's do.
    socketio.handlers.append((event, on_event, "/"))


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
    return get_db().get(WorkshopSession, connection.session_id)


# Every role ------------------------------------------------------------------------------


@handles("sync", *ROLES)
def sync(connection: Connection, payload) -> dict:
    db = get_db()
    session = _session(connection)
    _require_current_link(connection, session)
    facilitator = connection.role == "facilitator"
    sees_results = facilitator or session.revealed
    reply = {
        "seq": session.last_seq,
        "state": session_state(session),
        "comments": comments_message(db, session, include_hidden=facilitator),
        "results": results_message(db, session, with_results=sees_results),
    }
    if connection.role == "participant":
        participant = db.get(Participant, connection.participant_id)
        reply["me"] = participant_view(db, participant)
        reply["own_comments"] = own_comment_ids(db, session, participant.id)
        reply["results"].pop("figure", None)
        reply["results"].pop("groups", None)
        reply["results"].pop("folded", None)
    if facilitator:
        plan = plan_of(session)
        reply["stages"] = [
            {"index": i, "key": s.key, "title": s.title, "type": s.activity.type}
            for i, s in enumerate(plan.stages)
        ]
        reply["scenarios"] = [{"key": s.key, "title": s.title} for s in plan.scenarios]
        reply["people"] = people_message(db, session)
    reply.update(note_sync_extras(db, session, connection.role, connection.label))
    if connection.role == "screen":
        reply.update(pin_screen(db, session, connection, payload))  # sync {stage}: pinned
    if facilitator:
        reply.update(_console_links(session))
    return reply


def _require_current_link(connection: Connection, session: WorkshopSession) -> None:
    """Refuse a projector or note-taker whose link was revoked since it connected. Revoking
    disconnects it at once (reissue_link below); this holds should that not reach it."""
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


@handles("answer", "participant")
def answer(connection: Connection, payload) -> operations.Done:
    done = answer_writer.record(
        get_db(), connection.session_id, connection.participant_id, payloads.parse_answer(payload)
    )
    return _after_input(connection, done, RESULTS)


@handles("comment", "participant")
def comment(connection: Connection, payload) -> operations.Done:
    done = operations.post_comment(
        get_db(), connection.session_id, connection.participant_id, payloads.parse_comment(payload)
    )
    return _after_input(connection, done, COMMENTS, RESULTS)


@handles("react", "participant")
def react(connection: Connection, payload) -> operations.Done:
    done = operations.react(
        get_db(), connection.session_id, connection.participant_id, payloads.parse_reaction(payload)
    )
    # A statements stage's results are its votes; on other stages the extra mark is cheap.
    return _after_input(connection, done, COMMENTS, RESULTS)


@handles("withdraw", "participant")
def withdraw(connection: Connection, _payload) -> operations.Done:
    done = operations.withdraw(get_db(), connection.session_id, connection.participant_id)
    return _after_input(connection, done, RESULTS, COMMENTS, PEOPLE)


# Facilitators ----------------------------------------------------------------------------


def _control(connection: Connection, done: operations.Done) -> operations.Done:
    broadcaster.push_state(_session(connection))
    return done


@handles("goto", "facilitator")
def goto(connection: Connection, payload) -> operations.Done:
    index = payloads.parse_stage_index(payload)
    return _control(connection, operations.go_to_stage(get_db(), connection.session_id, index))


def _simple_control(event: str, operation, after=_control) -> None:
    """A facilitator's control with no payload: ``operation`` on the session, then ``after``
    (``_control``, or ``_timed_control`` for those that touch the countdown)."""

    @handles(event, "facilitator")
    def handler(connection: Connection, _payload) -> operations.Done:
        return after(connection, operation(get_db(), connection.session_id))


_simple_control("open_input", operations.open_input)
_simple_control("close_input", operations.close_input)
_simple_control("reveal", operations.reveal_results)
_simple_control("hide_results", operations.hide_results)
_simple_control("end_session", operations.end_session)


@handles("choose_scenario", "facilitator")
def choose_scenario(connection: Connection, payload) -> operations.Done:
    scenario = payloads.parse_scenario(payload)
    return _control(
        connection, operations.choose_scenario(get_db(), connection.session_id, scenario)
    )


def _moderation(event: str, operation) -> None:
    @handles(event, "facilitator")
    def handler(connection: Connection, payload) -> operations.Done:
        comment_id = payloads.parse_comment_id(payload)
        done = operation(get_db(), connection.session_id, comment_id)
        broadcaster.mark(connection.session_id, COMMENTS)
        return done


_moderation("hide_comment", operations.hide_comment)
_moderation("restore_comment", operations.restore_comment)


# Notes (note-takers and facilitators) ----------------------------------------------------


@handles("note", "notetaker", "facilitator")
def note(connection: Connection, payload) -> operations.Done:
    # From the console a note is the facilitator's; on the note-taker page, the label's.
    author = connection.label if connection.role == "notetaker" else None
    done = operations.post_note(
        get_db(), connection.session_id, author, payloads.parse_note(payload), connection.link
    )
    return _after_input(connection, done, NOTES)


def _note_visibility(event: str, operation) -> None:
    @handles(event, "facilitator")
    def handler(connection: Connection, payload) -> operations.Done:
        done = operation(get_db(), connection.session_id, payloads.parse_note_id(payload))
        broadcaster.mark(connection.session_id, NOTES)
        return done


_note_visibility("show_note", operations.show_note)
_note_visibility("hide_note", operations.hide_note)


# Breakout tables and breakdowns (facilitator) ----------------------------------------------


@handles("set_tables", "facilitator")
def set_tables(connection: Connection, payload) -> operations.Done:
    names = payloads.parse_tables(payload)
    seated = _seated(get_db(), connection.session_id)
    done = _control(connection, operations.set_tables(get_db(), connection.session_id, names))
    broadcaster.mark(connection.session_id, PEOPLE)
    # Whoever sat at a table that is gone has none now: their phones hear it at once.
    still = _seated(get_db(), connection.session_id)
    _tell_phones([pid for pid, table in seated.items() if still.get(pid) != table])
    return done


@handles("move_participant", "facilitator")
def move_participant(connection: Connection, payload) -> operations.Done:
    pseudonym, table = payloads.parse_move(payload)
    db = get_db()
    done = operations.move_participant(db, connection.session_id, pseudonym, table)
    broadcaster.mark(connection.session_id, PEOPLE, RESULTS)  # a table breakdown changes too
    moved = db.scalar(
        select(Participant.id).where(
            Participant.session_id == connection.session_id, Participant.pseudonym == pseudonym
        )
    )
    _tell_phones([moved])
    return done


def _seated(db, session_id: int) -> dict[int, str]:
    """Who sits at a table now: participant id -> table name."""
    rows = db.execute(
        select(Participant.id, Participant.table_key).where(
            Participant.session_id == session_id,
            Participant.table_key.is_not(None),
            Participant.withdrawn_at.is_(None),
        )
    )
    return dict(rows.all())


def _tell_phones(participant_ids) -> None:
    """Send each participant's phone its ``me`` (as in the ``sync`` reply), so the table
    the facilitator gave or took away shows on it at once, not only after a reconnect."""
    db = get_db()
    for participant_id in participant_ids:
        participant = db.get(Participant, participant_id, populate_existing=True)
        if participant is None or participant.withdrawn_at is not None:
            continue
        socketio.emit("me", participant_view(db, participant), to=rooms.participant(participant_id))


@handles("set_breakdown", "facilitator")
def set_breakdown(connection: Connection, payload) -> operations.Done:
    breakdown = payloads.parse_breakdown(payload)
    done = operations.set_breakdown(get_db(), connection.session_id, breakdown)
    return _control(connection, done)


# Timer, highlights, screen modes, projectors and the session's lifecycle -----------------


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


def _reissue(event: str, link: str, room) -> None:
    """Revoke the projector or note-taker link and make a new one (operations.reissue_link)."""

    @handles(event, "facilitator")
    def handler(connection: Connection, _payload) -> dict:
        done = operations.reissue_link(get_db(), connection.session_id, link)
        # Whoever came in by the old link goes now, on every worker; its page connects
        # again once and is refused with "This ... link has been replaced".
        kick.disconnect_room(room(connection.session_id))
        links = {"seq": done.seq, **_console_links(_session(connection))}
        # Every console of the session shows the new link, not only the one that asked.
        socketio.emit("links", links, to=rooms.facilitators(connection.session_id))
        return links


_reissue("reissue_screen_link", "screen", rooms.screen_link)
_reissue("reissue_notes_link", "notes", rooms.notes_link)


def _timed_control(connection: Connection, done: operations.Done) -> operations.Done:
    """A control that may start, change or stop a countdown: the scheduler hears of it."""
    session = _session(connection)
    scheduler.note(session)
    broadcaster.push_state(session)
    return done


@handles("timer_start", "facilitator")
def timer_start(connection: Connection, payload) -> operations.Done:
    seconds, auto_close = payloads.parse_timer_start(payload)
    done = operations.start_timer(get_db(), connection.session_id, seconds, auto_close)
    return _timed_control(connection, done)


@handles("timer_add", "facilitator")
def timer_add(connection: Connection, payload) -> operations.Done:
    seconds = payloads.parse_timer_add(payload)
    return _timed_control(connection, operations.add_time(get_db(), connection.session_id, seconds))


_simple_control("timer_pause", operations.pause_timer, after=_timed_control)
_simple_control("timer_resume", operations.resume_timer, after=_timed_control)
_simple_control("timer_stop", operations.stop_timer, after=_timed_control)
_simple_control("start_session", operations.start_session, after=_timed_control)
_simple_control("pause_session", operations.pause_session, after=_timed_control)
_simple_control("resume_session", operations.resume_session, after=_timed_control)

_moderation("highlight_comment", operations.highlight_comment)
_moderation("unhighlight_comment", operations.unhighlight_comment)


@handles("set_screen_mode", "facilitator")
def set_screen_mode(connection: Connection, payload) -> operations.Done:
    mode = payloads.parse_screen_mode(payload)
    return _control(connection, operations.set_screen_mode(get_db(), connection.session_id, mode))


def _push_after_timer(session: WorkshopSession) -> None:
    broadcaster.push_state(session)


def tick_timers(app) -> list[int]:
    """Close input where a countdown with auto-close ran out, and tell everyone."""
    return scheduler.tick(app, on_closed=_push_after_timer)


broadcaster.tick_hooks.append(tick_timers)
