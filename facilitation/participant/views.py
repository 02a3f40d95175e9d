"""Pages for participants on their phones: type a code, join, take part.

The phone page itself is a shell; ``static/js/phone.js`` renders the live session over
Socket.IO. These views only find the session, check the join form and set the signed
cookie that is a participant's whole identity (no account, no email).
"""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext

from .. import limits
from ..cookies import set_cookie
from ..db import get_db
from ..errors import Refused
from ..i18n import current_language
from ..live.broadcast import PEOPLE, RESULTS, broadcaster
from ..models import Participant, WorkshopSession
from ..plans.translations import sector_labels, translated
from ..workshop import operations
from ..workshop.breakouts import effective_tables
from ..workshop.codes import CODE_LENGTH, normalise_code
from ..workshop.identity import (
    COOKIE_MAX_AGE,
    participant_cookie_name,
    participant_from_cookies,
    participant_token,
)
from ..workshop.payloads import MAX_DISPLAY_NAME
from ..workshop.plan_cache import plan_of
from ..workshop.sessions import session_by_code
from .forms import JoinForm
from .offline import mark_phone_page
from .phone_text import interface_text, plan_text

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
            error = gettext(
                "Please type the %(length)d-character code shown on the screen.",
                length=CODE_LENGTH,
            )
        else:
            error = gettext(
                "No workshop has the code %(code)s; check the code on the screen.", code=code
            )
    status = 200 if error is None else (400 if not typed.strip() else 404)
    return render_template("participant/home.html", typed=typed or "", error=error), status


@bp.route("/j/<code>", methods=["GET", "POST"])
def join(code: str):
    session = session_by_code(get_db(), code)
    if session is None:
        return _unknown_code(code)
    if code != session.code:  # typed in lower case or with a dash: one canonical address
        return redirect(url_for(".join", code=session.code), 308)
    plan = translated(plan_of(session), current_language())
    participant = _current_participant(session)
    returning = participant is not None and participant.withdrawn_at is None
    if returning:
        return redirect(url_for(".phone", code=session.code))
    if session.status == "draft":  # prepared, not started: nobody can join yet
        return render_template("participant/not_started.html", session=session, plan=plan)
    if session.status not in ("live", "paused"):  # latecomers may join during a break
        return render_template("participant/ended.html", session=session, plan=plan), 410

    form = JoinForm()
    problem = too_many = None
    tables = effective_tables(session)
    if request.method == "POST":
        form = JoinForm.from_request(request.form)
        # Only a join that would make a participant counts; over the limit the form is
        # shown again as it was filled in, to send once the minute is over.
        too_many = limits.join_refusal() if form.validate(plan, tables) else None
        if too_many is not None:
            problem = too_many
        elif not form.errors:
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
                limits.join_not_made()
                # In the participant's language when the catalogue has the refusal.
                problem = gettext(refused.message)
            else:
                broadcaster.mark(session.id, PEOPLE, RESULTS)  # the console's people list
                return _joined_response(session, joined)
    status = 429 if too_many else 400 if (form.errors or problem) else 200
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
        sector_labels=sector_labels(plan, current_language()),
        max_display_name=MAX_DISPLAY_NAME,
    ), status


def _joined_response(session: WorkshopSession, participant: Participant):
    token = participant_token(participant, session.code)
    response = make_response(redirect(url_for(".phone", code=session.code)))
    set_cookie(response, participant_cookie_name(session.code), token, max_age=COOKIE_MAX_AGE)
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
    language = current_language()
    plan = translated(plan_of(session), language)
    response = make_response(
        render_template(
            "participant/phone.html",
            session=session,
            plan=plan,
            participant=participant,
            notice=_paragraphs(plan.privacy_notice),
            sector_labels=sector_labels(plan, language),
            interface_text=interface_text(),
            plan_text=plan_text(plan_of(session), language),
        )
    )
    # Answers are personal: never keep the page in a shared cache. The phone's own service
    # worker keeps it for a reload offline, until the person withdraws.
    response.headers["Cache-Control"] = "no-store"
    return mark_phone_page(response, keep=participant.withdrawn_at is None)
