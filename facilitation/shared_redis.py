"""The Redis that several workers share: the one their Socket.IO message queue runs on.

The rate limits (limits_redis.py) and shared presence (live/cluster_presence.py) keep their
counts there, so both reach it the same way, and neither depends on the other to do so.
"""

from __future__ import annotations

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def shares_redis(queue_url: str | None) -> bool:
    """Whether the message queue at ``queue_url`` is a Redis the workers share."""
    return (queue_url or "").startswith(REDIS_SCHEMES)


def redis_client(url: str):
    """A client that fails fast, without retries: a push waits on its reads, and each
    user's RETRY_SECONDS paces the next try."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(
        url, socket_timeout=1, socket_connect_timeout=1, retry=Retry(NoBackoff(), 0)
    )
