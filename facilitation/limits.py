"""Rate limits: how often one address, account or participant may do a thing.

Each limit is a sliding window: the times of a key's recent hits, forgotten once older
than the window. With one process they are kept in its memory (``SlidingWindow``). With
several workers (a Redis ``SOCKETIO_MESSAGE_QUEUE``) the login, join-code and join limits
are kept in that Redis (limits_redis.py, under ``SOCKETIO_CHANNEL:limits:``), so all workers
count together: nginx picks a worker by the ``route`` cookie, which a client chooses, and
per-worker counts would give a guesser the limit once per worker. If Redis fails, each
worker counts on its own until it is back (limits_redis.py says why).

The Socket.IO event limits stay per process even then: a connection lives on one worker
(a phone keeps its ``route`` cookie and so its worker), so per-process counting already
holds it to the limit, and a Redis round trip on every vote would cost the hot path of a
burst for nothing. (A phone that moves, when its worker dies, starts a fresh minute on
the new one: harmless.) An account with connections on several workers gets its limit
once per worker: still a bound, and each worker is protected from it.

The limits live on the app (``limits_of(app)``), so each app (and each test) starts with
its own counts. Numbers come from the config (``RATE_LIMITS``), with the defaults below.

- Logins: failures per account (the typed email, whether or not it has an account, so
  the answer tells nothing) and per address. A success clears the account's count.
- Join codes: failed look-ups of a code per address. Only failures count, so a room of
  phones behind one NAT address all join; and over the limit, a code that this address
  has already reached still works (the address knows it, so it tells nothing new).
- Joins: participants made from one address in a minute. A venue's whole room behind one
  NAT address joins within it (1,500 a minute: a 1,000-person plenary in one minute
  passes); a script cannot mint participants without end.
- Socket.IO events (``event_refusal``): every event of every role, counted per connection
  and per account, with ``sync`` counted apart (it reads the whole session, so a flood of
  it costs most, and a client sends it only when it (re)connects):

  - per connection: every event (sync included), and syncs on their own;
  - per account: syncs (a participant, a facilitator's account, a session's projector
    key, a note-taker by its label); a participant's other events; a facilitator
    account's other events; notes per author (a note-taker's label or the facilitator's
    account) and per note-taker link (every note-taker of a session together).

  An event counts only if every one of its limits lets it through, so a refused flood
  costs a few counter checks and uses up nothing. A refusal acks ``retry: true``: the
  phone keeps what it sent and sends it again a little later (live.js, phone-pending.js),
  so a legitimate client slowed down by a limit loses nothing.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from flask import (
    Flask,
    Response,
    current_app,
    has_request_context,
    render_template,
    request,
    session,
)
from flask_babel import ngettext

from .access import is_facilitator
from .limits_memory import KnownCodes, SlidingWindow
from .limits_redis import RedisKnownCodes, RedisLink, RedisWindow
from .shared_redis import redis_client, shares_redis
from .workshop import payloads
from .workshop.codes import normalise_code

log = logging.getLogger(__name__)

DEFAULTS = {
    "login_failures_per_account": 5,
    "login_failures_per_address": 20,
    "login_window": 15 * 60,
    "code_failures_per_address": 30,
    "code_window": 15 * 60,
    "participant_events_per_minute": 60,
    "joins_per_minute": 1500,
    # Per connection. A console sends one control at a time (it waits for each ack), so a
    # fast clicker makes a few a second; a client syncs once per (re)connect, and every
    # RETRY_MS (3 s) while the database is away: 20 a minute.
    "events_per_connection_per_minute": 300,
    "syncs_per_connection_per_minute": 30,
    # Per account: several tabs or projectors of one account reconnecting together.
    "syncs_per_account_per_minute": 120,
    "facilitator_events_per_minute": 600,
    "notes_per_minute": 30,
    "notes_per_link_per_minute": 120,
}

TOO_FAST = "You're sending answers too fast; wait a moment."
TOO_FAST_SYNC = "You're asking for updates too fast; wait a moment."
TOO_FAST_NOTES = "You're sending notes too fast; wait a moment."
TOO_FAST_EVENTS = "You're sending too fast; wait a moment."


@dataclass
class Limits:
    login_by_account: SlidingWindow | RedisWindow
    login_by_address: SlidingWindow | RedisWindow
    code_failures: SlidingWindow | RedisWindow
    known_codes: KnownCodes | RedisKnownCodes
    joins: SlidingWindow | RedisWindow
    # Socket.IO events: per process, always (see the module).
    participant_events: SlidingWindow
    connection_events: SlidingWindow
    connection_syncs: SlidingWindow
    account_syncs: SlidingWindow
    facilitator_events: SlidingWindow
    note_authors: SlidingWindow
    note_links: SlidingWindow

    @classmethod
    def from_config(
        cls,
        config: dict | None,
        clock: Callable[[], float] | None = None,
        *,
        redis: RedisLink | None = None,
        prefix: str = "facilitation",
    ) -> Limits:
        """The limits of RATE_LIMITS: in this process, or shared through REDIS (keys
        under PREFIX:limits:). CLOCK defaults to the monotonic clock in memory and to the
        wall clock in Redis, which workers (and machines) share."""
        n = {**DEFAULTS, **(config or {})}
        local_clock = clock or time.monotonic

        def per_minute(name: str) -> SlidingWindow:
            return SlidingWindow(n[name], 60, local_clock)

        if redis is None:

            def window(_name: str, limit: int, seconds: float) -> SlidingWindow:
                return SlidingWindow(limit, seconds, local_clock)

            known_codes = KnownCodes(n["code_window"], local_clock)
        else:
            wall_clock = clock or time.time

            def window(name: str, limit: int, seconds: float) -> RedisWindow:
                return RedisWindow(redis, f"{prefix}:limits:{name}", limit, seconds, wall_clock)

            known_codes = RedisKnownCodes(
                redis, f"{prefix}:limits:known-codes", n["code_window"], wall_clock
            )
        return cls(
            login_by_account=window(
                "login-account", n["login_failures_per_account"], n["login_window"]
            ),
            login_by_address=window(
                "login-address", n["login_failures_per_address"], n["login_window"]
            ),
            code_failures=window("code-failures", n["code_failures_per_address"], n["code_window"]),
            known_codes=known_codes,
            joins=window("joins", n["joins_per_minute"], 60),
            participant_events=per_minute("participant_events_per_minute"),
            connection_events=per_minute("events_per_connection_per_minute"),
            connection_syncs=per_minute("syncs_per_connection_per_minute"),
            account_syncs=per_minute("syncs_per_account_per_minute"),
            facilitator_events=per_minute("facilitator_events_per_minute"),
            note_authors=per_minute("notes_per_minute"),
            note_links=per_minute("notes_per_link_per_minute"),
        )


def init_app(app: Flask) -> None:
    app.extensions["limits"] = Limits.from_config(
        app.config.get("RATE_LIMITS"),
        redis=shared_store(app.config.get("SOCKETIO_MESSAGE_QUEUE")),
        prefix=app.config.get("SOCKETIO_CHANNEL") or "facilitation",
    )
    app.before_request(_refuse_guessed_code)
    app.after_request(_count_code_lookup)


def shared_store(queue_url: str | None) -> RedisLink | None:
    """The Redis of the message queue that workers share, or None (one process: memory)."""
    if not shares_redis(queue_url):
        return None
    return RedisLink(redis_client(queue_url))


def limits_of(app: Flask | None = None) -> Limits:
    return (app or current_app).extensions["limits"]


def client_address() -> str:
    """The address a request came from. Behind nginx, set TRUSTED_PROXIES (proxy.py) so
    this is the phone's address, not the proxy's: otherwise every phone shares one."""
    return request.remote_addr or "unknown"


def too_many(seconds: float) -> str:
    """The wait in whole minutes, in the page's language (a join page may be in Welsh)."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many attempts; try again in %(num)d minute.",
        "Too many attempts; try again in %(num)d minutes.",
        minutes,
    )


# Logins ----------------------------------------------------------------------------------


def login_attempt(account: str) -> str | None:
    """Count a login attempt before the password is checked, or say why it may not be
    tried (too many failures). Counting first means parallel guesses cannot slip past the
    limit between the check and the count; a success gives the attempt back."""
    limits, address = limits_of(), client_address()
    if limits.login_by_account.take(account):
        if limits.login_by_address.take(address):
            return None
        limits.login_by_account.give_back(account)
    wait = max(
        limits.login_by_account.retry_after(account),
        limits.login_by_address.retry_after(address),
    )
    return too_many(wait)


def login_succeeded(account: str) -> None:
    """Only failures count: the account starts again, the address gets its attempt back."""
    limits = limits_of()
    limits.login_by_account.clear(account)
    limits.login_by_address.give_back(client_address())


# Join codes ------------------------------------------------------------------------------


def code_refusal(code: str) -> str | None:
    """Why this address may not look up ``code`` now, or None.

    Over the limit, a code the address has already reached still works: a room behind one
    NAT keeps joining, and a guesser learns nothing it did not know.
    """
    limits, address = limits_of(), client_address()
    wait = limits.code_failures.retry_after(address)
    if wait <= 0 or limits.known_codes.knows(address, code):
        return None
    return too_many(wait)


def code_missed() -> None:
    limits_of().code_failures.hit(client_address())


def invitation_refusal() -> str | None:
    """Why this address may not try an invitation code now: wrong invitation codes count
    with wrong join codes (``code_missed``), so neither can be guessed by trying."""
    wait = limits_of().code_failures.retry_after(client_address())
    return too_many(wait) if wait > 0 else None


def code_reached(code: str) -> None:
    limits_of().known_codes.add(client_address(), code)


def _named_code() -> str | None:
    """The session code a page request names (in its path, or ``?code=``), unless a
    facilitator asks: every page that finds a session by code is covered, new ones too."""
    if is_facilitator():
        return None
    typed = (request.view_args or {}).get("code") or request.args.get("code")
    return normalise_code(typed) if isinstance(typed, str) else None


def _refuse_guessed_code():
    code = _named_code()
    refusal = code_refusal(code) if code else None
    if refusal is None:
        return None
    wait = limits_of().code_failures.retry_after(client_address())
    page = render_template("participant/too_many.html", message=refusal)
    return page, 429, {"Retry-After": str(math.ceil(wait))}


def _count_code_lookup(response: Response) -> Response:
    # A 404 for a named code is a miss; any other answer but 429 shows the code exists.
    code = _named_code()
    if code and response.status_code == 404:
        code_missed()
    elif code and response.status_code < 500 and response.status_code != 429:
        code_reached(code)
    return response


# Joins -----------------------------------------------------------------------------------


def join_refusal() -> str | None:
    """Count a join from this address, or say why it may not join now (too many)."""
    limits, address = limits_of(), client_address()
    if limits.joins.take(address):
        return None
    return too_many(limits.joins.retry_after(address))


def join_not_made() -> None:
    """A counted join that made nobody (the session refused it) gives its count back."""
    limits_of().joins.give_back(client_address())


# Socket.IO events ------------------------------------------------------------------------


def _facilitator_account() -> str | None:
    # Flask-Login's id in the cookie session a facilitator's events carry (no query).
    return session.get("_user_id") if has_request_context() else None


class EventLimit(Enum):
    """What a Socket.IO event counts as (see the module); the event table
    (live/events.py) names one for each event."""

    EVENT = "event"  # per connection, and per account by role
    SYNC = "sync"  # per connection, and as a sync (apart from the role's other events)
    NOTE = "note"  # as EVENT, and per note author and per note-taker link
    # A run's Back and Next (and the refresh after an answer): not as the participant's
    # answers, so someone moving through a run briskly is never told they answer too fast;
    # per connection, and per person as syncs are (its reply is a sync's), so many tabs
    # of one person cannot multiply it.
    PACE = "pace"


def _event_counts(limits: Limits, limit: EventLimit, connection, sid: str) -> list[tuple]:
    """The (window, key, refusal) that one event counts against (see the module)."""
    role, session_id = connection.role, connection.session_id
    if role == "participant":
        account = ("participant", connection.participant_id)
    elif role == "facilitator":
        account = ("facilitator", _facilitator_account())
    elif role == "notetaker":
        account = ("notetaker", session_id, connection.label)
    else:
        account = ("screen", session_id)  # every projector of a session shares its key
    counts = [(limits.connection_events, sid, TOO_FAST_EVENTS)]
    if limit is EventLimit.PACE:  # a reply as full as a sync's: capped per person as one
        counts.append((limits.account_syncs, account, TOO_FAST_SYNC))
        return counts
    if limit is EventLimit.SYNC:
        counts.append((limits.connection_syncs, sid, TOO_FAST_SYNC))
        counts.append((limits.account_syncs, account, TOO_FAST_SYNC))
        return counts
    if role == "participant":
        counts.append((limits.participant_events, connection.participant_id, TOO_FAST))
    elif role == "facilitator":
        counts.append((limits.facilitator_events, account, TOO_FAST_EVENTS))
    if limit is EventLimit.NOTE:
        counts.append((limits.note_authors, account, TOO_FAST_NOTES))
        if role == "notetaker":  # a link's holders could choose labels without end
            counts.append((limits.note_links, session_id, TOO_FAST_NOTES))
    # A projector sends only sync, a note-taker only sync and note (others are refused by
    # role before they are counted).
    return counts


def _rate_refusal(counts: list[tuple]) -> str | None:
    """Count the event in every window, or in none: the first refusal, or None."""
    taken = []
    for window, key, refusal in counts:
        if not window.take(key):
            for earlier, earlier_key in taken:
                earlier.give_back(earlier_key)
            return refusal
        taken.append((window, key))
    return None


def event_refusal(event: str, limit: EventLimit, connection, payload, sid: str) -> dict | None:
    """The ack refusing a Socket.IO event before its handler runs, or None: over one of its
    rate limits (any role, ``sync`` too; ``retry`` asks the client to send it again
    later), or a payload too large (checked after the count, so a flood of large payloads
    is cut short, and logs no more than the limit lets through)."""
    refusal = _rate_refusal(_event_counts(limits_of(), limit, connection, sid))
    if refusal is not None:
        return {"ok": False, "error": refusal, "retry": True}
    problem = payloads.size_refusal(payload)
    if problem is not None:
        log.warning("%s from %s refused: %s", event, connection.role, problem)
        return {"ok": False, "error": problem}
    return None
