"""The sliding windows behind every rate limit (facilitation/limits.py): each case runs on
the in-process window and on the Redis one that several workers share (limits_redis.py)."""

from __future__ import annotations

import secrets
import threading

import pytest
import redis

from facilitation.limits import too_many
from facilitation.limits_memory import MAX_KEYS, KnownCodes, SlidingWindow
from facilitation.limits_redis import RedisKnownCodes, RedisLink, RedisWindow
from tests.security.conftest import Clock


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.services)])
def store(request):
    """Makes windows and known codes (``store.window(limit, seconds, clock)``,
    ``store.known(seconds, clock)``): in memory, or in Redis under a prefix of this test's
    own, removed afterwards."""
    if request.param == "memory":
        yield Store(None, "")
        return
    client = redis.Redis.from_url(request.getfixturevalue("redis_url"))
    prefix = f"test-limits-{secrets.token_hex(4)}"
    yield Store(RedisLink(client), prefix)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


class Store:
    def __init__(self, link: RedisLink | None, prefix: str):
        self.link, self.prefix = link, prefix

    def window(self, limit: int, seconds: float, clock) -> SlidingWindow | RedisWindow:
        if self.link is None:
            return SlidingWindow(limit, seconds, clock)
        return RedisWindow(self.link, f"{self.prefix}:window", limit, seconds, clock)

    def known(self, seconds: float, clock) -> KnownCodes | RedisKnownCodes:
        if self.link is None:
            return KnownCodes(seconds, clock)
        return RedisKnownCodes(self.link, f"{self.prefix}:known", seconds, clock)


def test_a_window_refuses_over_its_limit_until_the_oldest_hit_is_old_enough(store):
    clock = Clock()
    window = store.window(3, 60, clock)
    for _ in range(3):
        assert window.take("a")
        clock.advance(10)
    assert not window.take("a") and window.exceeded("a")
    assert window.take("b")  # each key counts on its own
    assert window.retry_after("a") == 30  # the first hit leaves the window at t=60
    clock.advance(30)
    assert not window.exceeded("a") and window.take("a")
    assert not window.take("a")  # the second and third hits are still in the window


def test_a_refused_take_is_not_counted_and_clear_forgets_a_key(store):
    clock = Clock()
    window = store.window(2, 60, clock)
    window.hit("a")
    window.hit("a")
    for _ in range(5):
        assert not window.take("a")
    clock.advance(60)
    assert window.retry_after("a") == 0 and window.take("a")
    window.hit("a")
    window.clear("a")
    assert not window.exceeded("a")


def test_threads_taking_at_once_never_get_past_the_limit(store):
    window = store.window(100, 60, Clock())
    taken = []
    start = threading.Barrier(8)

    def phone():
        start.wait()
        taken.extend(window.take("room") for _ in range(50))

    threads = [threading.Thread(target=phone) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert taken.count(True) == 100 and len(taken) == 400


def test_keys_with_no_recent_hit_are_dropped_when_there_are_too_many():
    clock = Clock()
    window = SlidingWindow(1, 60, clock)
    for n in range(MAX_KEYS):
        window.hit(n)
    clock.advance(61)
    window.hit("new")
    assert len(window._hits) == 1


def test_known_codes_last_as_long_as_the_window(store):
    clock = Clock()
    known = store.known(900, clock)
    known.add("10.0.0.1", "ABCDEF")
    assert known.knows("10.0.0.1", "ABCDEF")
    assert not known.knows("10.0.0.2", "ABCDEF") and not known.knows("10.0.0.1", "ABCDEG")
    clock.advance(901)
    assert not known.knows("10.0.0.1", "ABCDEF")


def test_the_wait_is_said_in_whole_minutes():
    assert too_many(1) == "Too many attempts; try again in 1 minute."
    assert too_many(61) == "Too many attempts; try again in 2 minutes."
    assert too_many(900) == "Too many attempts; try again in 15 minutes."


def test_give_back_forgets_the_latest_hit(store):
    window = store.window(2, 60, Clock())
    assert window.take("a") and window.take("a") and not window.take("a")
    window.give_back("a")
    assert window.take("a")
    window.give_back("nobody")  # nothing to give back: no error
