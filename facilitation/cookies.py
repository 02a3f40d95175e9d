"""Every cookie the app sets, set one way: for the whole site, never readable by scripts,
not sent with other sites' requests, and over HTTPS only when the site is served so."""

from __future__ import annotations

from flask import Response, current_app


def set_cookie(response: Response, name: str, value: str, *, max_age: int | None = None) -> None:
    """Set ``name`` on ``response``; without ``max_age`` it ends with the browser session."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
