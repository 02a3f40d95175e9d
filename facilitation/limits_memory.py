"""Rate-limit windows kept in this process's memory: the lower layer of the rate limits.

``SlidingWindow`` counts a key's hits in a sliding window; ``KnownCodes`` remembers the
session codes an address has reached. limits.py builds the app's limits from them (one
process), and limits_redis.py falls back to them while Redis is down (several workers).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable

# Beyond this many keys a window drops the ones with no recent hit, so a flood of new
# addresses cannot grow memory without end.
MAX_KEYS = 50_000


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
