"""Requests over MAX_CONTENT_LENGTH (and Flask's MAX_FORM_MEMORY_SIZE): the app's own 413.

Werkzeug refuses such a body as soon as something reads the form (CSRF checks it before
any view), with its bare "Request Entity Too Large" page. Here every page answers with a
page styled like the app's other error pages, or with JSON (``{ok: false, error}``) where
the caller asked for JSON, as the plan editor's script does. A blueprint may answer its
own (plans/views.py shows the plan's size limit where its editor shows problems).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import RequestEntityTooLarge

# Endpoints that take more than MAX_CONTENT_LENGTH: {endpoint: (bytes, who may send them)}.
# Only the uploads that need it (a slide deck), and only for those the view serves: anyone
# else keeps the app's limit, so nobody can make it read megabytes before the login check.
_LARGER: dict[str, tuple[int, Callable[[], bool]]] = {}


def init_app(app: Flask) -> None:
    app.register_error_handler(RequestEntityTooLarge, too_large)
    # Before CSRF's check (app.py initialises it after this module), which reads the body.
    app.before_request(_raise_limit)


def allow_larger(endpoint: str, size: int, allowed: Callable[[], bool]) -> None:
    """Let requests to ``endpoint`` be ``size`` bytes when ``allowed()`` (e.g. the sender
    is a facilitator); a larger one is refused as every other, with this size."""
    _LARGER[endpoint] = (size, allowed)


def _raise_limit() -> None:
    larger = _LARGER.get(request.endpoint or "")
    if larger is not None and larger[1]():
        request.max_content_length = larger[0]


def readable_size(size: int) -> str:
    """1048576 -> "1 MB", 524288 -> "512 KB"."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    return f"{max(1, round(size / 1024))} KB"


def message() -> str:
    return gettext(
        "That was too much to send at once: at most %(size)s.",
        size=readable_size(request.max_content_length),
    )


def too_large(_error: RequestEntityTooLarge | None = None):
    # Nothing here reads the body: that is what was refused.
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(ok=False, error=message()), 413
    return render_template("errors/too_large.html", message=message()), 413
