"""Pages for participants on their phones: type a code, join, take part.

The phone page itself is a shell; ``static/js/phone.js`` renders the live session over
Socket.IO. These views only find the session, check the join form and set the signed
cookie that is a participant's whole identity (no account, no email).
"""

from __future__ import annotations

import re
from datetime import datetime

from flask import (
    Blueprint,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime, gettext
from markupsafe import Markup

from .. import clock, limits
from ..cookies import set_cookie
from ..db import get_db
from ..errors import Refused
from ..i18n import current_language
from ..live.broadcast import PEOPLE, RESULTS, broadcaster
from ..models import Participant, WorkshopSession
from ..plans.translations import sector_labels, translated
from ..shared_pages import shared_page, state_key
from ..workshop import operations, runs
from ..workshop.breakouts import effective_tables
from ..workshop.codes import CODE_LENGTH, normalise_code
from ..workshop.identity import (
    COOKIE_MAX_AGE,
    participant_cookie_name,
    participant_from_cookies,
    participant_from_resume_token,
    participant_token,
)
from ..workshop.payloads import MAX_DISPLAY_NAME
from ..workshop.plan_cache import plan_of
from ..workshop.sessions import session_by_code
from .forms import MAX_INVITATION_TYPED, JoinForm
from .offline import mark_phone_page
from .phone_text import interface_text, plan_text
from .resume import resume_qr_svg, resume_url

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
        # Only the invitation travels on: any other query (``code``, ``_external``…)
        # would reach url_for as its own arguments.
        invite = request.args.get("invite")
        kept = {"invite": invite[:MAX_INVITATION_TYPED]} if invite else {}
        return redirect(url_for(".join", code=session.code, **kept), 308)
    plan = translated(plan_of(session), current_language())
    participant = _current_participant(session)
    returning = participant is not None and participant.withdrawn_at is None
    if returning:
        return redirect(url_for(".phone", code=session.code))
    run = runs.is_run(session)
    if run:
        closed = _run_window_page(session, plan)
        if closed is not None:
            return closed
    elif session.status == "draft":  # prepared, not started: nobody can join yet
        return render_template("participant/not_started.html", session=session, plan=plan)
    elif session.status not in ("live", "paused"):  # latecomers may join during a break
        return render_template("participant/ended.html", session=session, plan=plan), 410

    invited = run and runs.RunSettings.of(session).invitation_only
    # The invitation sheet's QR code carries the code (?invite=): filled in, to check.
    form = JoinForm(invitation=request.args.get("invite", "")[:MAX_INVITATION_TYPED])
    problem = too_many = None
    tables = effective_tables(session)
    if request.method == "POST":
        form = JoinForm.from_request(request.form)
        # Only a join that would make a participant counts; over the limit the form is
        # shown again as it was filled in, to send once the minute is over.
        valid = form.validate(plan, tables, invitation_only=invited)
        too_many = limits.invitation_refusal() if valid and invited else None
        if too_many is None and valid:
            too_many = limits.join_refusal()
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
                    invitation=form.invitation if invited else None,
                )
            except Refused as refused:
                limits.join_not_made()
                # In the participant's language when the catalogue has the refusal; an
                # invitation's refusal goes next to its field.
                if refused.message in INVITATION_REFUSALS:
                    limits.code_missed()  # a wrong code counts as a guess (limits.py)
                    form.errors["invitation"] = gettext(refused.message)
                else:
                    problem = gettext(refused.message)
            else:
                broadcaster.mark(session.id, PEOPLE, RESULTS)  # the console's people list
                return _joined_response(session, joined)

    def page() -> dict:
        return dict(
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
            run=run,
            invited=invited,
            closes_at=_when(session.closes_at) if run else None,
        )

    if request.method == "POST":  # the form as filled in, with what to check
        status = 429 if too_many else 400 if (form.errors or problem) else 200
        return render_template("participant/join.html", **page()), status
    # The empty form, alike for everyone who scans the code (the invitation, if any, comes
    # from the address, which is in the kept page's key).
    key = (state_key(session), participant is not None)
    return shared_page("participant/join.html", key, page)


INVITATION_REFUSALS = (operations.INVITATION_NOT_VALID, operations.INVITATION_USED)


def _when(moment: datetime | None) -> str:
    """A run's date and time as the join pages say it, in the page's language."""
    return format_datetime(clock.aware(moment), "d MMMM y, HH:mm zzz") if moment else ""


def _run_window_page(session: WorkshopSession, plan):
    """The page for a run nobody can join now (not open yet, closed), or None when open."""
    refusal = runs.window_refusal(session)
    if refusal is None:
        return None
    page = dict(session=session, plan=plan, refusal=gettext(refusal))
    if refusal == runs.NOT_OPEN_YET:  # come back later: not an error
        opens = _when(session.opens_at)
        return render_template("participant/run_not_open.html", opens_at=opens, **page)
    return render_template("participant/run_closed.html", **page), 410


def _cookie_age(session: WorkshopSession) -> int:
    """How long the participant cookie lasts: a month, or until a longer run closes (a
    person comes back to a run over its weeks)."""
    closes_at = clock.aware(session.closes_at) if runs.is_run(session) else None
    if closes_at is None:
        return COOKIE_MAX_AGE
    left = int((closes_at - clock.now()).total_seconds()) + 24 * 60 * 60
    return max(COOKIE_MAX_AGE, left)


def _with_participant_cookie(response, session: WorkshopSession, participant: Participant):
    token = participant_token(participant, session.code)
    cookie = participant_cookie_name(session.code)
    set_cookie(response, cookie, token, max_age=_cookie_age(session))
    return response


def _joined_response(session: WorkshopSession, participant: Participant):
    """The phone page itself, not a redirect to it: one round trip fewer on a slow network
    and one request fewer for the server while a room joins. The page gives itself its
    own address at once (static/js/phone-address.js), so a reload asks for it and never
    sends the form again. A run's page says once how to carry on on another device."""
    response = _phone_response(session, participant, just_joined=runs.is_run(session))
    return _with_participant_cookie(response, session, participant)


@bp.get("/r/<code>/<token>")
def resume(code: str, token: str):
    """A run's personal resume link: this device becomes the participant's, as the one
    they joined on (the same cookie), and goes to their phone page."""
    db = get_db()
    session = session_by_code(db, code)
    if session is None:
        return _unknown_code(code)
    plan = translated(plan_of(session), current_language())
    participant = None
    if runs.is_run(session):  # a live session's phones need no resume link
        participant = participant_from_resume_token(db, token, session)
    if participant is None or participant.withdrawn_at is not None:
        page = render_template(
            "participant/resume_refused.html",
            session=session,
            plan=plan,
            withdrawn=participant is not None,
        )
        response = make_response(page, 404 if participant is None else 410)
    else:
        target = url_for(".phone", code=session.code)
        response = _with_participant_cookie(make_response(redirect(target)), session, participant)
    # The link is a key: never kept in a shared cache, never sent on as a referrer.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _stage_modules(plan, run_index: int | None, session: WorkshopSession) -> tuple[str, ...]:
    """The modules the phone will import at once for the stage it opens on (its activity
    type's input and result: static/js/activities/inputs.js and results.js load them by the
    type's name), so the page preloads them with its own instead of a round trip later.
    A module that does not exist (a type without one) is left out by ``module_script``."""
    index = session.stage_index if run_index is None else run_index
    kind = plan.stages[min(index, len(plan.stages) - 1)].activity.type
    return tuple(f"js/activities/{part}/{kind}.js" for part in ("inputs", "results"))


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
    return _phone_response(session, participant, just_joined=False)


def _phone_response(session: WorkshopSession, participant: Participant, *, just_joined: bool):
    """The phone page of PARTICIPANT, who has a cookie for SESSION or is given one with it.
    Shared by every phone of the session but for who the person is, so nothing in it may
    depend on the request's address: the join form's answer is this page too."""
    language = current_language()
    source_plan = plan_of(session)
    run = runs.is_run(session)
    withdrawn = participant.withdrawn_at is not None
    just_joined = just_joined and run and not withdrawn
    stage = participant.stage_index if run else None

    def page() -> dict:
        plan = translated(source_plan, language)
        return dict(
            session=session,
            plan=plan,
            run=run,
            withdrawn=withdrawn,
            just_joined=just_joined,
            notice=_paragraphs(plan.privacy_notice),
            interface_text=interface_text(),
            plan_text=plan_text(source_plan, language),
            stage_modules=_stage_modules(source_plan, stage, session),
        )

    # Alike for every phone of the session but for who the person is (and a run's link).
    resume = resume_url(participant, session) if run and not withdrawn else None
    labels = sector_labels(source_plan, language)
    who = {
        "who_name": participant.display_name or gettext("Anonymous"),
        "who_sector": " · ".join(
            part
            for part in (labels.get(participant.sector, participant.sector), participant.table_key)
            if part
        ),
        "resume_url": resume or "",
        "resume_qr": Markup(resume_qr_svg(resume) if resume else ""),  # drawn by us
    }
    # The key names the session, and the page its own address (its language links): the
    # form's answer (/j/CODE?invite=…) and /p/CODE share one copy.
    key = (state_key(session), withdrawn, stage, just_joined)
    page_text = shared_page("participant/phone.html", key, page, fill=who, by_address=False)
    response = make_response(page_text)
    # Answers are personal: never keep the page in a shared cache. The phone's own service
    # worker keeps it for a reload offline, until the person withdraws.
    response.headers["Cache-Control"] = "no-store"
    return mark_phone_page(response, keep=not withdrawn)
