"""PostgreSQL and Redis for the `services` tests: the machine's own, or a skip.

Outside CI a missing service skips with a one-line reason; in CI (CI=true) it fails,
because .ci/run starts both and nothing may be skipped there.
"""

from __future__ import annotations

import os

import pytest

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must have it: .ci/run starts it)")
    pytest.skip(reason)


def postgres_url() -> str:
    import psycopg

    url = os.environ.get("TEST_POSTGRES_URL", POSTGRES_URL)
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        unavailable(f"PostgreSQL not reachable at {url}: {str(error).splitlines()[0]}")
    return url


def redis_url() -> str:
    import redis

    url = os.environ.get("TEST_REDIS_URL", REDIS_URL)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        unavailable(f"Redis not reachable at {url}: {error}")
    return url
