"""Requests over MAX_CONTENT_LENGTH (and Flask's MAX_FORM_MEMORY_SIZE): the app's own 413.

Werkzeug refuses such a body as soon as something reads the form (CSRF checks it before
any view), with its bare "Request Entity Too Large" page. Here every page answers with a
page styled like the app's other error pages, or with JSON (``{ok: false, error}``) where
the caller asked for JSON, as the plan editor's script does. A blueprint may answer its
own (plans/views.py shows the plan's size limit where its editor shows problems).
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import RequestEntityTooLarge


def init_app(app: Flask) -> None:
    app.register_error_handler(RequestEntityTooLarge, too_large)


def readable_size(size: int) -> str:
    """1048576 -> "1 MB", 524288 -> "512 KB"."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    return f"{max(1, round(size / 1024))} KB"


def message() -> str:
    return gettext(
        "That was too much to send at once: at most %(size)s.",
        size=readable_size(current_app.config["MAX_CONTENT_LENGTH"]),
    )


def too_large(_error: RequestEntityTooLarge | None = None):
    # Nothing here reads the body: that is what was refused.
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(ok=False, error=message()), 413
    return render_template("errors/too_large.html", message=message()), 413
