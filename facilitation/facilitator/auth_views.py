"""Facilitator login and logout."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from .. import limits, logins
from ..access import is_researcher
from ..auth import authenticate, normalise_email
from ..db import get_db

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so a crafted link cannot send someone elsewhere."""
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/"):
        return target
    return home_url()


def home_url() -> str:
    """Where an account starts: researchers read their granted sessions on the Research
    page; facilitators run sessions from the dashboard."""
    if is_researcher():
        return url_for("research.home")
    return url_for("facilitator.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = request.values.get("next")
    if current_user.is_authenticated:
        return redirect(_safe_next(next_url))
    email = request.form.get("email", "").strip()
    error = None
    status = 200
    if request.method == "POST":
        account = normalise_email(email)
        # Counted before the password is checked: over the limit, a right guess is refused too.
        error = limits.login_attempt(account)
        if error:
            status = 429
        else:
            facilitator = authenticate(get_db(), email, request.form.get("password", ""))
            if facilitator is not None:
                limits.login_succeeded(account)
                login_user(facilitator)
                logins.start(get_db(), facilitator)  # the cookie is good until this ends
                return redirect(_safe_next(next_url))
            error = "That email and password do not match a facilitator account."
            status = 401
    return render_template("auth/login.html", email=email, error=error, next=next_url), status


@bp.post("/logout")
def logout():
    # Ends this login on the server too (a copied cookie dies with it) and disconnects the
    # sockets it opened, on every worker.
    logins.end_this(get_db())
    logout_user()
    flash("You have logged out.")
    return redirect(url_for("auth.login"))
