"""Rate limits kept in Redis, so several workers count together (see limits.py).

A window is one sorted set per key, ``CHANNEL:limits:NAME:DIGEST``: a member per hit,
scored by its time. Taking a hit is one Lua script (drop the hits older than the window,
count, add if under the limit), so two workers taking at once never get past the limit.
Every write sets the key's TTL to the window: a key nobody hits disappears, and Redis
holds at most one set per key heard from in the last window, of at most ``limit`` hits.
The key names end in a digest of the key (an email or an address), not the key itself:
their length is bounded whatever is typed, and Redis holds no addresses or emails.

Times are the workers' wall clocks (``time.time``): one machine's workers share it, and
workers on several machines need NTP (as for shared presence).

When Redis fails, a limit must not take the app down, nor open the door: each window
falls back to its own in-process window (limits_memory.py's ``SlidingWindow``), so for the
outage each worker counts on its own, as before Redis shared the counts. An attacker
who could break Redis would gain at most the number of workers times the limit, not
unlimited guesses. After a failure Redis is left alone for ``RETRY_SECONDS`` so a
blackholed Redis does not add its timeout to every login, and the warning is logged
once a minute.
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

import redis

from .limits_memory import MAX_KEYS, KnownCodes, SlidingWindow

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
WARN_EVERY = 60.0

# KEYS[1] the window's set; ARGV: now, cutoff (hits at or before it are gone), limit,
# member, ttl in ms, check (1: refuse at the limit, as take; 0: count anyway, as hit).
# Only the newest ``limit`` hits are kept: all that exceeded and retry_after read, and a
# bound on memory even for plain hits past the limit. (So, unlike in memory, give_back
# after such hits frees a place; no caller does that: logins take, misses never give back.)
TAKE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local limit = tonumber(ARGV[3])
if ARGV[6] == '1' and redis.call('ZCARD', KEYS[1]) >= limit then
    return 0
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -limit - 1)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
"""


def digest(key: Hashable) -> str:
    return hashlib.blake2b(str(key).encode(), digest_size=16).hexdigest()


class RedisLink:
    """One Redis shared by an app's windows, and what to do while it is down."""

    def __init__(self, client, clock: Callable[[], float] = time.monotonic):
        self.client = client
        self.clock = clock  # paces retries and warnings only
        self.take_script = client.register_script(TAKE)
        self._down_until = float("-inf")
        self._warned_at = float("-inf")

    def call(self, shared: Callable, local: Callable):
        """``shared()`` on Redis, or ``local()`` while Redis is failing (see the module)."""
        if self.clock() < self._down_until:
            return local()
        try:
            return shared()
        except redis.RedisError as error:
            self._failed(error)
            return local()

    def _failed(self, error: Exception) -> None:
        now = self.clock()
        self._down_until = now + RETRY_SECONDS
        if now - self._warned_at >= WARN_EVERY:
            self._warned_at = now
            log.warning("rate limits unavailable in Redis, counting per worker: %s", error)


class RedisWindow:
    """``SlidingWindow`` (same methods, same answers) whose hits all workers share."""

    def __init__(
        self,
        link: RedisLink,
        prefix: str,
        limit: int,
        seconds: float,
        clock: Callable[[], float] = time.time,
    ):
        self.link, self.prefix = link, prefix
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self.ttl_ms = max(1, math.ceil(seconds * 1000))
        self.local = SlidingWindow(limit, seconds, clock)  # while Redis is down

    def key(self, key: Hashable) -> str:
        return f"{self.prefix}:{digest(key)}"

    def _add(self, key: Hashable, check: bool) -> bool:
        now = self.clock()
        member = f"{now!r}:{secrets.token_hex(6)}"  # unique: two hits may share a time
        args = [repr(now), repr(now - self.seconds), self.limit, member, self.ttl_ms, int(check)]
        return bool(self.link.take_script(keys=[self.key(key)], args=args))

    def hit(self, key: Hashable) -> None:
        self.link.call(lambda: self._add(key, check=False), lambda: self.local.hit(key))

    def take(self, key: Hashable) -> bool:
        """Count a hit if the key is under its limit, in one step; False when it is not."""
        return self.link.call(lambda: self._add(key, check=True), lambda: self.local.take(key))

    def exceeded(self, key: Hashable) -> bool:
        def shared():
            cutoff = self.clock() - self.seconds
            return self.link.client.zcount(self.key(key), f"({cutoff!r}", "+inf") >= self.limit

        return self.link.call(shared, lambda: self.local.exceeded(key))

    def give_back(self, key: Hashable) -> None:
        """Forget the key's latest hit (an attempt that turned out not to count)."""
        self.link.call(
            lambda: self.link.client.zpopmax(self.key(key)), lambda: self.local.give_back(key)
        )

    def retry_after(self, key: Hashable) -> float:
        """Seconds until the key is under its limit again (0 if it is now)."""

        def shared():
            now = self.clock()
            # The limit-th newest recent hit: once it leaves the window, one more fits.
            oldest = self.link.client.zrevrangebyscore(
                self.key(key),
                "+inf",
                f"({now - self.seconds!r}",
                start=self.limit - 1,
                num=1,
                withscores=True,
            )
            return oldest[0][1] + self.seconds - now if oldest else 0.0

        return self.link.call(shared, lambda: self.local.retry_after(key))

    def clear(self, key: Hashable) -> None:
        self.local.clear(key)  # a success during an outage is forgotten after it too
        self.link.call(lambda: self.link.client.delete(self.key(key)), lambda: None)


class RedisKnownCodes:
    """``KnownCodes`` whose codes all workers share: one sorted set per address, the codes
    it reached scored by when, at most ``PER_ADDRESS`` of them."""

    PER_ADDRESS = KnownCodes.PER_ADDRESS
    # A worker records the same address and code at most once in this part of the window:
    # a room behind one address reaches its code on every page and connection, four times
    # a phone, and each record is a Redis round trip. A code is then remembered at most
    # this part of the window less long after its last use (15 s of 15 minutes).
    REFRESH = 1 / 60

    def __init__(
        self, link: RedisLink, prefix: str, seconds: float, clock: Callable[[], float] = time.time
    ):
        self.link, self.prefix, self.seconds, self.clock = link, prefix, seconds, clock
        self.ttl_ms = max(1, math.ceil(seconds * 1000))
        self.local = KnownCodes(seconds, clock)
        self._recorded: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._lock = threading.Lock()

    def key(self, address: str) -> str:
        return f"{self.prefix}:{digest(address)}"

    def _recorded_lately(self, address: str, code: str) -> bool:
        """Whether this worker recorded ADDRESS reaching CODE within ``REFRESH`` of the
        window; if not, it counts as recorded now."""
        now, pair = self.clock(), (address, code)
        with self._lock:
            last = self._recorded.get(pair)
            if last is not None and now - last < self.seconds * self.REFRESH:
                return True
            self._recorded[pair] = now
            self._recorded.move_to_end(pair)
            while len(self._recorded) > MAX_KEYS:
                self._recorded.popitem(last=False)
            return False

    def add(self, address: str, code: str) -> None:
        if self._recorded_lately(address, code):
            return

        def shared():
            now, key = self.clock(), self.key(address)
            pipe = self.link.client.pipeline(transaction=True)
            pipe.zadd(key, {code: now})
            pipe.zremrangebyscore(key, "-inf", repr(now - self.seconds))
            pipe.zremrangebyrank(key, 0, -self.PER_ADDRESS - 1)
            pipe.pexpire(key, self.ttl_ms)
            pipe.execute()

        self.link.call(shared, lambda: self.local.add(address, code))

    def knows(self, address: str, code: str) -> bool:
        def shared():
            seen = self.link.client.zscore(self.key(address), code)
            return seen is not None and seen > self.clock() - self.seconds

        return self.link.call(shared, lambda: self.local.knows(address, code))
