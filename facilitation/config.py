"""Settings from the environment, with safe defaults: SQLite in the instance folder."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def instance_dir() -> Path:
    """Where this install keeps its database and secret key (never committed)."""
    path = Path(os.environ.get("FACILITATION_INSTANCE", ROOT / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _secret_key(instance: Path) -> str:
    # A per-install secret, so no two installs sign cookies with the same key.
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


# Each rate limit of limits.py (its DEFAULTS) may be set as RATE_LIMIT_<NAME IN CAPITALS>,
# e.g. RATE_LIMIT_JOINS_PER_MINUTE=3000; those not set keep their default.
RATE_LIMIT_NAMES = (
    "login_failures_per_account",
    "login_failures_per_address",
    "login_window",
    "code_failures_per_address",
    "code_window",
    "participant_events_per_minute",
    "joins_per_minute",
    "events_per_connection_per_minute",
    "syncs_per_connection_per_minute",
    "syncs_per_account_per_minute",
    "facilitator_events_per_minute",
    "notes_per_minute",
    "notes_per_link_per_minute",
)


def rate_limit_variable(name: str) -> str:
    return f"RATE_LIMIT_{name.upper()}"


def _rate_limits() -> dict[str, int]:
    """The rate limits set in the environment (whole numbers of at least 1)."""
    limits = {}
    for name in RATE_LIMIT_NAMES:
        variable = rate_limit_variable(name)
        value = os.environ.get(variable, "").strip()
        if not value:
            continue
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"{variable} must be a whole number of at least 1, not {value!r}.")
        limits[name] = int(value)
    return limits


def public_url(value: str | None) -> str | None:
    """PUBLIC_URL as ``scheme://host[:port]`` (no path: links add their own), or None."""
    value = (value or "").strip().rstrip("/")
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
        raise ValueError(
            f"PUBLIC_URL must be http(s)://host[:port] with no path, such as "
            f"https://workshop.example.org, not {value!r}."
        )
    return f"{parts.scheme}://{parts.netloc}"


def from_environment() -> dict:
    instance = instance_dir()
    return {
        "SECRET_KEY": _secret_key(instance),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'facilitation.db'}"),
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
        # Workers of one install share a channel; two installs on one Redis need two.
        "SOCKETIO_CHANNEL": os.environ.get("SOCKETIO_CHANNEL") or "facilitation",
        # Reverse proxies in front (1 behind nginx) whose X-Forwarded-For/-Proto are trusted
        # (and -Host, for the address the room is shown: public_url.py).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES") or "0"),
        "SOCKETIO_ASYNC_MODE": os.environ.get("SOCKETIO_ASYNC_MODE") or None,
        # Where python -m facilitation listens (public_url.py shows the room the LAN address
        # only when it is beyond loopback), and the address the room is shown, if fixed.
        "HOST": os.environ.get("HOST") or "127.0.0.1",
        "PUBLIC_URL": public_url(os.environ.get("PUBLIC_URL")),
        "PLANS_DIR": os.environ.get("PLANS_DIR", str(ROOT / "sessions")),
        "INSTANCE_DIR": str(instance),
        # Projector and console updates are coalesced to at most one per interval per session.
        "BROADCAST_INTERVAL": float(os.environ.get("BROADCAST_INTERVAL", "0.1")),
        # Answers arriving together are written in one transaction (live/answer_writer.py).
        "ANSWER_BATCHING": os.environ.get("ANSWER_BATCHING", "1") != "0",
        # Seconds a write waits on a SQLite lock held elsewhere before answering "can't save".
        "DATABASE_BUSY_TIMEOUT": float(os.environ.get("DATABASE_BUSY_TIMEOUT", "30")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SECURE_COOKIES", "") == "1",
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Flask's own cap on a form's text fields (500,000 bytes) would refuse a plan under
        # its 512 KB limit (plans/loader.py) with a bare 413: the one request limit is above.
        "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
        # Only those set here: limits.DEFAULTS has the rest (a test may pass its own dict).
        "RATE_LIMITS": _rate_limits(),
    }
