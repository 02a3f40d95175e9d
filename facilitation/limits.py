"""Rate limits: how often one address, account or participant may do a thing.

Each limit is a sliding window: the times of a key's recent hits, forgotten once older
than the window. With one process they are kept in its memory (``SlidingWindow``). With
several workers (a Redis ``SOCKETIO_MESSAGE_QUEUE``) the login and join-code limits are
kept in that Redis (limits_redis.py, under ``SOCKETIO_CHANNEL:limits:``), so all workers
count together: nginx picks a worker by the ``route`` cookie, which a client chooses, and
per-worker counts would give a guesser the limit once per worker. If Redis fails, each
worker counts on its own until it is back (limits_redis.py says why).

The participant-events limit stays per process even then: a phone keeps its ``route``
cookie and so its worker, so per-process counting already holds it to the limit, and a
Redis round trip on every vote would cost the hot path of a burst for nothing. (A phone
that moves, when its worker dies, starts a fresh minute on the new one: harmless.)

The limits live on the app (``limits_of(app)``), so each app (and each test) starts with
its own counts. Numbers come from the config (``RATE_LIMITS``), with the defaults below.

- Logins: failures per account (the typed email, whether or not it has an account, so
  the answer tells nothing) and per address. A success clears the account's count.
- Join codes: failed look-ups of a code per address. Only failures count, so a room of
  phones behind one NAT address all join; and over the limit, a code that this address
  has already reached still works (the address knows it, so it tells nothing new).
- Participant events: every event a phone sends but ``sync``, per participant.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, Response, current_app, render_template, request
from flask_babel import ngettext

from .access import is_facilitator
from .live import payloads
from .live.codes import normalise_code

if TYPE_CHECKING:
    from .limits_redis import RedisKnownCodes, RedisLink, RedisWindow

log = logging.getLogger(__name__)

DEFAULTS = {
    "login_failures_per_account": 5,
    "login_failures_per_address": 20,
    "login_window": 15 * 60,
    "code_failures_per_address": 30,
    "code_window": 15 * 60,
    "participant_events_per_minute": 60,
}
# Beyond this many keys a window drops the ones with no recent hit, so a flood of new
# addresses cannot grow memory without end.
MAX_KEYS = 50_000

TOO_FAST = "You're sending answers too fast; wait a moment."


class SlidingWindow:
    """At most ``limit`` hits per key in any ``seconds``; safe to share between threads."""

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self._hits: dict[Hashable, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: Hashable, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= MAX_KEYS:
                self._sweep(now)
            hits = self._hits[key] = deque()
        while hits and hits[0] <= now - self.seconds:
            hits.popleft()
        return hits

    def _sweep(self, now: float) -> None:
        cutoff = now - self.seconds
        stale = [key for key, hits in self._hits.items() if not hits or hits[-1] <= cutoff]
        for key in stale:
            del self._hits[key]

    def hit(self, key: Hashable) -> None:
        with self._lock:
            now = self.clock()
            self._recent(key, now).append(now)

    def exceeded(self, key: Hashable) -> bool:
        with self._lock:
            return len(self._recent(key, self.clock())) >= self.limit

    def take(self, key: Hashable) -> bool:
        """Count a hit if the key is under its limit, in one step; False when it is not."""
        with self._lock:
            now = self.clock()
            hits = self._recent(key, now)
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True

    def give_back(self, key: Hashable) -> None:
        """Forget the key's latest hit (an attempt that turned out not to count)."""
        with self._lock:
            hits = self._hits.get(key)
            if hits:
                hits.pop()

    def retry_after(self, key: Hashable) -> float:
        """Seconds until the key is under its limit again (0 if it is now)."""
        with self._lock:
            now = self.clock()
            hits = self._recent(key, now)
            if len(hits) < self.limit:
                return 0.0
            return hits[-self.limit] + self.seconds - now

    def clear(self, key: Hashable) -> None:
        with self._lock:
            self._hits.pop(key, None)


class KnownCodes:
    """The session codes each address has reached lately (a few per address)."""

    PER_ADDRESS = 20

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.seconds, self.clock = seconds, clock
        self._codes: OrderedDict[str, dict[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, address: str, code: str) -> None:
        with self._lock:
            codes = self._codes.pop(address, {})
            codes[code] = self.clock()
            while len(codes) > self.PER_ADDRESS:
                codes.pop(next(iter(codes)))
            self._codes[address] = codes
            while len(self._codes) > MAX_KEYS:
                self._codes.popitem(last=False)  # the address heard from longest ago

    def knows(self, address: str, code: str) -> bool:
        with self._lock:
            seen = self._codes.get(address, {}).get(code)
            return seen is not None and seen > self.clock() - self.seconds


@dataclass
class Limits:
    login_by_account: SlidingWindow | RedisWindow
    login_by_address: SlidingWindow | RedisWindow
    code_failures: SlidingWindow | RedisWindow
    known_codes: KnownCodes | RedisKnownCodes
    participant_events: SlidingWindow  # per process, always (see the module)

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
        if redis is None:

            def window(_name: str, limit: int, seconds: float) -> SlidingWindow:
                return SlidingWindow(limit, seconds, local_clock)

            known_codes = KnownCodes(n["code_window"], local_clock)
        else:
            from .limits_redis import RedisKnownCodes, RedisWindow

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
            participant_events=SlidingWindow(n["participant_events_per_minute"], 60, local_clock),
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
    from .live.cluster_presence import REDIS_SCHEMES, redis_client

    if not (queue_url or "").startswith(REDIS_SCHEMES):
        return None
    from .limits_redis import RedisLink

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


# Participant events ----------------------------------------------------------------------


def participant_event_allowed(participant_id: int) -> bool:
    """Count one event of this participant; False when over the per-minute limit."""
    return limits_of().participant_events.take(participant_id)


def event_refusal(event: str, connection, payload) -> str | None:
    """Why a Socket.IO event is refused before its handler runs, or None: a payload too
    large (from anyone), or a participant over the per-minute limit (``sync`` only reads)."""
    problem = payloads.size_refusal(payload)
    if problem is not None:
        log.warning("%s from %s refused: %s", event, connection.role, problem)
        return problem
    if connection.role == "participant" and event != "sync":
        if not participant_event_allowed(connection.participant_id):
            return TOO_FAST
    return None
