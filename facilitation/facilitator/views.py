"""The facilitator's pages: the dashboard (plans and sessions) and a session's live console.

The console is a page shell; everything live in it comes over Socket.IO
(``static/js/console.js``, docs/protocol.md). Opening a session is the one change made
here, through ``operations.create_session``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from ..access import facilitator_required
from ..activities import type_labels
from ..db import get_db
from ..errors import Refused
from ..plans import Plan, PlanInvalid
from ..plans.library import find_plan, list_plans
from ..public_url import public_url_for
from ..workshop import operations, runs
from ..workshop.sessions import archived_count, participant_counts, recent_sessions, session_by_code

bp = Blueprint("facilitator", __name__, url_prefix="/facilitator")


@dataclass
class OpenForm:
    """What the facilitator asked for in an "Open a session" form, and what was wrong."""

    plan: str = ""
    scenario: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_request(cls) -> OpenForm:
        return cls(
            plan=request.form.get("plan", "").strip(),
            scenario=request.form.get("scenario", "").strip(),
        )


def _dashboard(form: OpenForm | None = None, status: int = 200, run_form=None):
    """``run_form``: a self-paced run's form sent back with its errors (run_views.py);
    every other plan's run form shows the suggested dates and the plan's settings."""
    from .run_forms import RunForm

    db = get_db()
    listings = list_plans(current_app.config["PLANS_DIR"], db)
    show_archived = request.args.get("archived") == "1"
    sessions = recent_sessions(db, include_archived=show_archived)
    counts = participant_counts(db, [s.id for s in sessions])
    plans = [listing for listing in listings if listing.plan is not None]
    run_forms = {listing.slug: RunForm.suggested_for(listing.plan) for listing in plans}
    if run_form is not None:
        run_forms[run_form.plan] = run_form
    return (
        render_template(
            "facilitator/dashboard.html",
            plans=plans,
            run_forms=run_forms,
            run_form=run_form,
            broken=[listing for listing in listings if listing.plan is None],
            sessions=sessions,
            counts=counts,
            show_archived=show_archived,
            archived=archived_count(db),
            status_words=STATUS_WORDS,
            form=form or OpenForm(),
            activity_names=type_labels(),
        ),
        status,
    )


@bp.get("/")
@facilitator_required
def dashboard():
    return _dashboard()


def _chosen_plan(form: OpenForm) -> Plan | None:
    """The plan the form names, or None with the reason in ``form.errors``."""
    if not form.plan:
        form.errors["plan"] = "Choose a plan to open a session of."
        return None
    try:
        return find_plan(current_app.config["PLANS_DIR"], form.plan, get_db())
    except LookupError as missing:
        if isinstance(missing.__cause__, PlanInvalid):
            form.errors["plan"] = (
                f"The plan “{form.plan}” has errors, so it cannot be opened. "
                "They are listed under “Plans with errors”."
            )
        else:
            form.errors["plan"] = f"There is no plan “{form.plan}”. Choose one of the plans listed."
    return None


@bp.post("/sessions")
@facilitator_required
def open_session():
    form = OpenForm.from_request()
    plan = _chosen_plan(form)
    scenario_key: str | None = None
    if plan is not None and plan.scenarios:
        if not form.scenario:
            form.errors["scenario"] = "Choose the scenario the room will assess."
        elif plan.scenario(form.scenario) is None:
            form.errors["scenario"] = (
                "That scenario is not in this plan. Choose one of the scenarios listed."
            )
        else:
            scenario_key = form.scenario
    if form.errors:
        message = form.errors.get("plan") or form.errors.get("scenario")
        flash(f"The session was not opened. {message}", "error")
        return _dashboard(form, 400)
    try:
        session = operations.create_session(
            get_db(), plan, current_user.id, scenario_key, draft=request.form.get("draft") == "1"
        )
    except Refused as refused:
        form.errors["plan"] = refused.message
        flash(f"The session was not opened. {refused.message}", "error")
        return _dashboard(form, 400)
    return redirect(url_for("facilitator.console", code=session.code))


@bp.get("/sessions/<code>")
@facilitator_required
def console(code: str):
    session = session_by_code(get_db(), code)
    if session is None:
        abort(404)
    if runs.is_run(session):  # nobody steps a run through its stages: its own dashboard
        return redirect(url_for("runs.show", code=session.code))
    if session.code != code:
        return redirect(url_for("facilitator.console", code=session.code))
    return render_template(
        "facilitator/console.html",
        session=session,
        join_url=public_url_for("participant.join", code=session.code),
        home_url=public_url_for("participant.home"),
    )


# Session lifecycle: duplicate and archive ---------------------------------------------

# How the dashboard names each session status.
STATUS_WORDS = {
    "draft": "Draft",
    "live": "Live",
    "paused": "Paused",
    "ended": "Ended",
    "archived": "Archived",
}


def _session_or_404(code: str):
    session = session_by_code(get_db(), code)
    if session is None:
        abort(404)
    return session


@bp.post("/sessions/<code>/duplicate")
@facilitator_required
def duplicate_session(code: str):
    """A new draft session of the same frozen plan and settings (scenario, tables)."""
    source = _session_or_404(code)
    copy = operations.duplicate_session(get_db(), source.id, current_user.id)
    flash(
        f"Session {copy.code} is ready as a draft: the same plan and settings as {source.code}. "
        "Start it from the console when the room is ready.",
        "success",
    )
    return redirect(url_for("facilitator.console", code=copy.code))


@bp.post("/sessions/<code>/archive")
@facilitator_required
def archive_session(code: str):
    session = _session_or_404(code)
    try:
        operations.archive_session(get_db(), session.id)
    except Refused as refused:
        flash(f"Session {session.code} was not archived. {refused.message}", "error")
        return redirect(url_for("facilitator.dashboard")), 303
    flash(
        f"Session {session.code} is archived. Its transcript can still be downloaded "
        "under “Show archived sessions”.",
        "success",
    )
    return redirect(url_for("facilitator.dashboard")), 303
