"""Rate limits shared through Redis (facilitation/limits_redis.py): what only the shared
store does. The cases both stores share are in test_limits.py."""

from __future__ import annotations

import logging
import secrets

import pytest
import redis

from facilitation import limits_redis
from facilitation.limits import Limits, shared_store
from facilitation.limits_memory import SlidingWindow
from facilitation.limits_redis import RedisKnownCodes, RedisLink, RedisWindow
from facilitation.shared_redis import redis_client
from tests.security.conftest import Clock
from tests.support.server import free_port

WINDOW = 15 * 60


@pytest.fixture
def client(redis_url):
    """The machine's Redis; ``client.test_prefix()`` names a fresh prefix for this test,
    whose keys are removed afterwards."""
    client = redis.Redis.from_url(redis_url)
    prefixes = []

    def test_prefix() -> str:
        prefixes.append(f"test-limits-{secrets.token_hex(4)}")
        return prefixes[-1]

    client.test_prefix = test_prefix
    yield client
    for prefix in prefixes:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
    client.close()


def worker(client, prefix: str, clock: Clock) -> Limits:
    """One worker's limits on the shared Redis (as init_app makes them)."""
    return Limits.from_config(None, clock, redis=RedisLink(client), prefix=prefix)


@pytest.mark.services
def test_two_workers_on_one_redis_count_together(client):
    prefix, clock = client.test_prefix(), Clock()
    one, two = worker(client, prefix, clock), worker(client, prefix, clock)
    for n in range(5):  # the per-account limit, alternately on each worker
        assert (one if n % 2 else two).login_by_account.take("someone@example.org")
    assert not one.login_by_account.take("someone@example.org")
    assert not two.login_by_account.take("someone@example.org")
    assert two.login_by_account.retry_after("someone@example.org") == WINDOW
    one.login_by_account.clear("someone@example.org")
    assert two.login_by_account.take("someone@example.org")

    one.known_codes.add("192.0.2.1", "ABCDEF")
    assert two.known_codes.knows("192.0.2.1", "ABCDEF")
    for _ in range(30):
        one.code_failures.hit("192.0.2.1")
    assert two.code_failures.exceeded("192.0.2.1")


@pytest.mark.services
def test_two_apps_with_different_prefixes_do_not_mix(client):
    clock = Clock()
    one = worker(client, client.test_prefix(), clock)
    other = worker(client, client.test_prefix(), clock)
    for _ in range(5):
        assert one.login_by_account.take("someone@example.org")
    assert not one.login_by_account.take("someone@example.org")
    assert other.login_by_account.take("someone@example.org")
    one.known_codes.add("192.0.2.1", "ABCDEF")
    assert not other.known_codes.knows("192.0.2.1", "ABCDEF")


@pytest.mark.services
def test_keys_expire_with_their_window_and_name_no_email_or_address(client):
    prefix = client.test_prefix()
    limits = worker(client, prefix, Clock())
    limits.login_by_account.take("someone@example.org")
    limits.login_by_address.take("192.0.2.1")
    limits.code_failures.hit("192.0.2.1")
    limits.known_codes.add("192.0.2.1", "ABCDEF")
    keys = [key.decode() for key in client.scan_iter(f"{prefix}:*")]
    assert len(keys) == 4
    assert all(key.startswith(f"{prefix}:limits:") for key in keys)
    assert not any("someone" in key or "192.0.2" in key for key in keys)
    for key in keys:
        assert 0 < client.pttl(key) <= WINDOW * 1000


@pytest.mark.services
def test_a_window_keeps_no_more_hits_than_its_limit(client):
    prefix, clock = client.test_prefix(), Clock()
    window = RedisWindow(RedisLink(client), prefix, 3, 60, clock)
    memory = SlidingWindow(3, 60, clock)
    for _ in range(50):  # plain hits are counted past the limit (a race can do that)
        window.hit("a")
        memory.hit("a")
        clock.advance(0.5)
    assert client.zcard(window.key("a")) == 3
    # The newest three are all that decide: the answers are those of all fifty.
    assert window.exceeded("a") and memory.exceeded("a")
    assert window.retry_after("a") == memory.retry_after("a") == 58.5
    # The one difference (no caller meets it: logins take, code misses are never given
    # back): after hits past the limit, giving one back frees a place here.
    window.give_back("a")
    assert not window.exceeded("a")


@pytest.mark.services
def test_an_address_keeps_only_its_latest_codes(client):
    prefix, clock = client.test_prefix(), Clock()
    known = RedisKnownCodes(RedisLink(client), prefix, WINDOW, clock)
    for n in range(RedisKnownCodes.PER_ADDRESS + 5):
        known.add("192.0.2.1", f"CODE{n:02}")
        clock.advance(1)
    assert client.zcard(known.key("192.0.2.1")) == RedisKnownCodes.PER_ADDRESS
    assert not known.knows("192.0.2.1", "CODE00") and known.knows("192.0.2.1", "CODE24")


@pytest.mark.services
def test_a_worker_records_an_address_reaching_a_code_once_in_a_while(client):
    """A room behind one address reaches its code four times a phone: one Redis write
    per worker in each sixtieth of the window, not one per page."""
    prefix, clock = client.test_prefix(), Clock()
    known = RedisKnownCodes(RedisLink(client), prefix, WINDOW, clock)
    other_worker = RedisKnownCodes(RedisLink(client), prefix, WINDOW, clock)
    key = known.key("192.0.2.1")
    known.add("192.0.2.1", "ABCDEF")
    clock.advance(WINDOW / 60 - 1)
    known.add("192.0.2.1", "ABCDEF")  # lately recorded by this worker: not written again
    assert client.zscore(key, "ABCDEF") == 1000.0
    known.add("192.0.2.1", "GHJKLM")  # another code is written at once
    other_worker.add("192.0.2.1", "ABCDEF")  # and so is another worker's
    assert client.zscore(key, "GHJKLM") == client.zscore(key, "ABCDEF") == clock.now
    clock.advance(1)
    known.add("192.0.2.1", "ABCDEF")  # a sixtieth of the window on: written again
    assert client.zscore(key, "ABCDEF") == clock.now
    clock.advance(WINDOW - 1)
    assert known.knows("192.0.2.1", "ABCDEF") and other_worker.knows("192.0.2.1", "ABCDEF")


@pytest.mark.services
def test_participant_events_stay_in_the_process(client):
    limits = worker(client, client.test_prefix(), Clock())
    assert isinstance(limits.login_by_account, RedisWindow)
    assert isinstance(limits.participant_events, SlidingWindow)


def test_the_message_queue_decides_where_limits_are_kept():
    assert shared_store(None) is None
    assert shared_store("amqp://guest@127.0.0.1//") is None
    link = shared_store("redis://127.0.0.1:6379/0")  # nothing connects until used
    assert isinstance(link, RedisLink)
    assert isinstance(Limits.from_config(None).login_by_account, SlidingWindow)


def test_with_redis_down_each_worker_counts_on_its_own_and_says_so(caplog):
    clock, wall = Clock(), Clock()
    down = redis_client(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    limits = Limits.from_config(None, clock, redis=RedisLink(down, wall), prefix="down")
    with caplog.at_level(logging.WARNING, logger="facilitation.limits_redis"):
        for _ in range(5):
            assert limits.login_by_account.take("someone@example.org")
        assert not limits.login_by_account.take("someone@example.org")  # still limited
        assert limits.login_by_account.retry_after("someone@example.org") == WINDOW
        limits.known_codes.add("192.0.2.1", "ABCDEF")
        assert limits.known_codes.knows("192.0.2.1", "ABCDEF")
    warnings = [r for r in caplog.records if "rate limits unavailable" in r.getMessage()]
    assert len(warnings) == 1  # once, not at every check
    # Redis is tried again after a pause, and warned about again after a minute.
    wall.advance(limits_redis.WARN_EVERY)
    with caplog.at_level(logging.WARNING, logger="facilitation.limits_redis"):
        assert not limits.login_by_account.take("someone@example.org")
    warnings = [r for r in caplog.records if "rate limits unavailable" in r.getMessage()]
    assert len(warnings) == 2
