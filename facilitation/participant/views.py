"""Pages for participants on their phones: type a code, join, take part.

The phone page itself is a shell; ``static/js/phone.js`` renders the live session over
Socket.IO. These views only find the session, check the join form and set the signed
cookie that is a participant's whole identity (no account, no email).
"""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from ..db import get_db
from ..live import operations
from ..live.broadcast import PEOPLE, RESULTS, broadcaster
from ..live.codes import CODE_LENGTH, normalise_code
from ..live.errors import Refused
from ..live.identity import (
    COOKIE_MAX_AGE,
    participant_cookie_name,
    participant_from_cookies,
    participant_token,
)
from ..live.plan_cache import plan_of
from ..live.sessions import session_by_code
from ..live.tables import effective_tables
from ..models import Participant, WorkshopSession
from .forms import JoinForm

bp = Blueprint("participant", __name__)


def _paragraphs(text: str) -> list[str]:
    """Plan text as paragraphs: blank lines separate them (as in the plan format)."""
    return [part.strip() for part in re.split(r"\n\s*\n", text or "") if part.strip()]


def _current_participant(session: WorkshopSession) -> Participant | None:
    return participant_from_cookies(get_db(), request.cookies, session)


def _unknown_code(code: str):
    return render_template("participant/unknown.html", code=normalise_code(code)), 404


@bp.get("/")
def home():
    typed = request.args.get("code")
    error = None
    if typed is not None:
        code = normalise_code(typed)
        session = session_by_code(get_db(), code) if code else None
        if session is not None:
            return redirect(url_for(".join", code=session.code))
        if not code:
            error = f"Please type the {CODE_LENGTH}-character code shown on the screen."
        else:
            error = f"No workshop has the code {code}; check the code on the screen."
    status = 200 if error is None else (400 if not typed.strip() else 404)
    return render_template("participant/home.html", typed=typed or "", error=error), status


@bp.route("/j/<code>", methods=["GET", "POST"])
def join(code: str):
    session = session_by_code(get_db(), code)
    if session is None:
        return _unknown_code(code)
    if code != session.code:  # typed in lower case or with a dash: one canonical address
        return redirect(url_for(".join", code=session.code), 308)
    plan = plan_of(session)
    participant = _current_participant(session)
    returning = participant is not None and participant.withdrawn_at is None
    if returning:
        return redirect(url_for(".phone", code=session.code))
    if session.status == "draft":  # prepared, not started: nobody can join yet
        return render_template("participant/not_started.html", session=session, plan=plan)
    if session.status not in ("live", "paused"):  # latecomers may join during a break
        return render_template("participant/ended.html", session=session, plan=plan), 410

    form = JoinForm()
    problem = None
    tables = effective_tables(session)
    if request.method == "POST":
        form = JoinForm.from_request(request.form)
        if form.validate(plan, tables):
            try:
                joined = operations.join(
                    get_db(),
                    session.id,
                    form.sector,
                    form.clean_display_name,
                    form.clean_table,
                    name_consent=form.name_consent,
                )
            except Refused as refused:
                problem = refused.message
            else:
                broadcaster.mark(session.id, PEOPLE, RESULTS)  # the console's people list
                return _joined_response(session, joined)
    status = 400 if (form.errors or problem) else 200
    return render_template(
        "participant/join.html",
        session=session,
        plan=plan,
        form=form,
        tables=tables,
        problem=problem,
        description=_paragraphs(plan.description),
        notice=_paragraphs(plan.privacy_notice),
        withdrawn_before=participant is not None,
    ), status


def _joined_response(session: WorkshopSession, participant: Participant):
    response = make_response(redirect(url_for(".phone", code=session.code)))
    response.set_cookie(
        participant_cookie_name(session.code),
        participant_token(participant, session.code),
        max_age=COOKIE_MAX_AGE,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response


@bp.get("/p/<code>")
def phone(code: str):
    session = session_by_code(get_db(), code)
    if session is None:
        return _unknown_code(code)
    if code != session.code:
        return redirect(url_for(".phone", code=session.code), 308)
    participant = _current_participant(session)
    if participant is None:
        return redirect(url_for(".join", code=session.code))
    plan = plan_of(session)
    response = make_response(
        render_template(
            "participant/phone.html",
            session=session,
            plan=plan,
            participant=participant,
            notice=_paragraphs(plan.privacy_notice),
        )
    )
    # Answers are personal: never keep the page in a shared cache.
    response.headers["Cache-Control"] = "no-store"
    return response
