"""A self-paced run's pages for its facilitator: publishing one, its dashboard (with the
statistics as JSON for the page to refresh), moderation, closing and extending, and its
invitations (the printable sheet of QR codes and the CSV).

Every change goes through run_operations or operations; the numbers come from
workshop/run_statistics.py in grouped queries. Facilitators only: a researcher reads a
run through its exports, like any session (access.py).
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import segno
from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user

from .. import clock
from ..access import facilitator_required
from ..activities import REGISTRY, stage_figure
from ..db import get_db
from ..errors import Refused
from ..live.paced import tell_phones_run_changed
from ..public_url import public_address, public_url_for
from ..whole_numbers import MAX_ID, whole_number
from ..workshop import operations, run_operations, run_statistics, runs
from ..workshop.plan_cache import plan_of
from ..workshop.profile_stage import room_results
from ..workshop.sessions import session_by_code
from .run_forms import ExtendForm, InvitationsForm, RunForm
from .views import _chosen_plan, _dashboard

bp = Blueprint("runs", __name__, url_prefix="/facilitator/runs")

STATUS_WORDS = {"scheduled": "Scheduled", "open": "Open", "closed": "Closed"}
REFRESH_SECONDS = 20  # how often the dashboard's script asks for fresh numbers


def _run_or_404(code: str):
    session = session_by_code(get_db(), code)
    if session is None or not runs.is_run(session):
        abort(404)
    return session


# Publishing ------------------------------------------------------------------------------


@bp.post("")
@facilitator_required
def publish():
    form = RunForm.from_request()
    plan = _chosen_plan(form)
    form.validate()
    scenario_key = None
    if plan is not None and plan.scenarios:
        if not form.scenario:
            form.errors["scenario"] = gettext("Choose the scenario people will assess.")
        elif plan.scenario(form.scenario) is None:
            form.errors["scenario"] = gettext(
                "That scenario is not in this plan. Choose one of the scenarios listed."
            )
        else:
            scenario_key = form.scenario
    if not form.errors:
        try:
            session = run_operations.publish_run(
                get_db(),
                plan,
                current_user.id,
                opens_at=form.opens_at,
                closes_at=form.closes_at,
                settings=form.settings(),
                scenario_key=scenario_key,
            )
        except Refused as refused:
            form.errors["closes"] = gettext(refused.message)
        else:
            flash(gettext("The run is published. Share its link or QR code."), "success")
            return redirect(url_for(".show", code=session.code))
    first = next(iter(form.errors.values()))
    flash(gettext("The run was not published. %(why)s", why=first), "error")
    return _dashboard(run_form=form, status=400)


# The dashboard ----------------------------------------------------------------------------


def _profile(db, session) -> dict | None:
    """The run's framework profile (the profile stage's results) and its figure, or None
    when the plan declares no framework."""
    plan = plan_of(session)
    if plan.framework is None:
        return None
    results = room_results(db, session)
    figure = stage_figure("profile", results) if "profile" in REGISTRY else None
    rows = [(part, entry) for part in ("tests", "features") for entry in results.get(part, ())]
    at = clock.now().strftime("%H:%M")
    return {"results": results, "rows": rows, "figure": figure, "at": at}


# The fewest hours or days the chart's axis shows.
MIN_BUCKETS = 4


def _timeline_figure(timeline: run_statistics.Timeline) -> dict:
    """Joins and answers per hour or day as a plotly figure (plain JSON for plotly.js)."""
    starts = [bucket.start.isoformat() for bucket in timeline.buckets]
    per = gettext("per hour") if timeline.unit == "hour" else gettext("per day")
    # The axis spans the buckets (the opening to now), not a fixed day: early in a run the
    # data would sit squeezed at the left. At least MIN_BUCKETS wide with a fixed bar
    # width, so the first hour is one bar, not a bar across the whole chart.
    step = timedelta(hours=1) if timeline.unit == "hour" else timedelta(days=1)
    first = timeline.buckets[0].start if timeline.buckets else clock.now()
    last = max(
        timeline.buckets[-1].start if timeline.buckets else first,
        first + step * (MIN_BUCKETS - 1),
    )
    span = [(first - step / 2).isoformat(), (last + step / 2).isoformat()]
    width = step.total_seconds() * 1000 * 0.8

    def whole_ticks(values: list[int]) -> dict:
        # Counts are whole numbers: small ones get a tick per unit, never 0.5.
        return {"dtick": 1} if max(values, default=0) <= 5 else {}

    return {
        "data": [
            {
                "type": "bar",
                "name": gettext("Answers"),
                "x": starts,
                "y": [bucket.answers for bucket in timeline.buckets],
                "width": [width] * len(starts),
                "marker": {"color": "#1d5e9e"},
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": gettext("People joining"),
                "x": starts,
                "y": [bucket.joins for bucket in timeline.buckets],
                "yaxis": "y2",
                "line": {"color": "#b85600", "width": 3},
                # Big markers ringed in white: a single hour's join stays visible on its
                # bar (the right-hand axis's trace is drawn over the bars).
                "marker": {"color": "#b85600", "size": 12, "line": {"color": "#fff", "width": 2}},
                "cliponaxis": False,
            },
        ],
        "layout": {
            "height": 320,
            "margin": {"l": 56, "r": 56, "t": 16, "b": 48},
            "font": {"family": "system-ui, sans-serif", "size": 14},
            "legend": {"orientation": "h", "y": -0.25},
            "xaxis": {"type": "date", "range": span, "title": {"text": f"UTC, {per}"}},
            "yaxis": {
                "title": {"text": gettext("Answers")},
                "rangemode": "tozero",
                "tickformat": ",d",
                **whole_ticks([bucket.answers for bucket in timeline.buckets]),
            },
            "yaxis2": {
                "title": {"text": gettext("People joining")},
                "overlaying": "y",
                "side": "right",
                "rangemode": "tozero",
                "tickformat": ",d",
                **whole_ticks([bucket.joins for bucket in timeline.buckets]),
            },
            "paper_bgcolor": "#fff",
            "plot_bgcolor": "#fff",
        },
    }


def statistics(db, session) -> dict:
    """Everything on the dashboard that changes while the run is open, as plain data:
    the page draws it, and its script fetches it again every ``REFRESH_SECONDS``."""
    progress = run_statistics.progress(db, session)
    timeline = run_statistics.timeline(db, session)
    waiting = run_statistics.awaiting_count(db, session)
    invitations = run_statistics.invitation_counts(db, session)
    status = run_statistics.run_status(session)
    return {
        "status": status,
        "status_word": gettext(STATUS_WORDS[status]),
        "joined": progress.joined,
        "finished": progress.finished,
        "awaiting": waiting,
        "invitations": {"made": invitations.made, "used": invitations.used},
        "stages": [
            {
                "index": stage.index,
                "key": stage.key,
                "title": stage.title,
                "answered": stage.answered,
                "share": (
                    round(100 * stage.answered / progress.joined)
                    if stage.answered is not None and progress.joined
                    else None
                ),
                "stopped": stage.stopped,
            }
            for stage in progress.stages
        ],
        "timeline": {
            "unit": timeline.unit,
            "total_joins": sum(b.joins for b in timeline.buckets),
            "total_answers": sum(b.answers for b in timeline.buckets),
            "figure": _timeline_figure(timeline),
        },
        "at": clock.now().isoformat(),
    }


@bp.get("/<code>")
@facilitator_required
def show(code: str, extend_form: ExtendForm | None = None, invite_form=None, status=200):
    session = _run_or_404(code)
    if session.code != code:
        return redirect(url_for(".show", code=session.code))
    db = get_db()
    stats = statistics(db, session)
    return (
        render_template(
            "facilitator/run.html",
            session=session,
            plan=plan_of(session),
            settings=runs.RunSettings.of(session),
            stats=stats,
            queue=run_statistics.moderation_queue(db, session),
            has_profile=plan_of(session).framework is not None,
            join_url=public_url_for("participant.join", code=session.code),
            extend=extend_form or ExtendForm.for_run(session.closes_at),
            invite=invite_form or InvitationsForm(),
            refresh_seconds=REFRESH_SECONDS,
            max_batch=run_operations.MAX_BATCH,
        ),
        status,
    )


@bp.get("/<code>/profile")
@facilitator_required
def profile(code: str):
    """The framework profile so far: a page of its own, or (``?part=1``) the part the
    dashboard's script puts in place. Apart from the dashboard because it reads every
    framework answer and resamples them: seconds for a run of 20,000 (the dashboard's
    numbers are grouped counts and stay fast)."""
    session = _run_or_404(code)
    found = _profile(get_db(), session)
    if found is None:
        abort(404)
    template = "facilitator/_run_profile.html" if request.args.get("part") == "1" else None
    context = {"session": session, "plan": plan_of(session), "profile": found}
    response = render_template(template or "facilitator/run_profile.html", **context)
    return response, 200, {"Cache-Control": "no-store"}


@bp.get("/<code>/statistics.json")
@facilitator_required
def statistics_json(code: str):
    session = _run_or_404(code)
    response = jsonify(statistics(get_db(), session))
    response.headers["Cache-Control"] = "no-store"
    return response


# Moderation, closing, extending ----------------------------------------------------------


def _back(session, anchor: str = ""):
    return redirect(url_for(".show", code=session.code) + anchor, 303)


@bp.post("/<code>/moderate")
@facilitator_required
def moderate(code: str):
    """Approve (show to everyone) or reject (keep hidden) a comment awaiting approval."""
    session = _run_or_404(code)
    decision = request.form.get("decision", "")
    comment_id = whole_number(request.form.get("comment", ""), 1, MAX_ID)
    if decision not in ("approve", "reject") or comment_id is None:
        flash(gettext("Choose Approve or Reject for a comment in the list."), "error")
        return _back(session, "#moderation")
    change = operations.restore_comment if decision == "approve" else operations.hide_comment
    try:
        change(get_db(), session.id, comment_id)
    except Refused as refused:
        flash(gettext(refused.message), "error")
    else:
        flash(
            gettext("Comment approved: everyone taking part can see it now.")
            if decision == "approve"
            else gettext("Comment rejected: it is hidden from everyone, its author too."),
            "success",
        )
    return _back(session, "#moderation")


@bp.post("/<code>/close")
@facilitator_required
def close(code: str):
    session = _run_or_404(code)
    if request.form.get("confirm") != "1":
        flash(gettext("The run is still open: tick “Yes, close it now” to close it."), "error")
        return _back(session, "#close")
    try:
        run_operations.close_run(get_db(), session.id)
    except Refused as refused:
        flash(gettext(refused.message), "error")
    else:
        tell_phones_run_changed(session.id)
        flash(gettext("The run is closed. Nobody can answer any more."), "success")
    return _back(session)


@bp.post("/<code>/extend")
@facilitator_required
def extend(code: str):
    session = _run_or_404(code)
    form = ExtendForm.from_request()
    form.validate(session.opens_at)
    if not form.errors:
        try:
            run_operations.extend_run(get_db(), session.id, form.closes_at)
        except Refused as refused:
            form.errors["closes"] = gettext(refused.message)
        else:
            tell_phones_run_changed(session.id)
            flash(gettext("The closing date is changed."), "success")
            return _back(session)
    flash(gettext("The closing date was not changed. %(why)s", why=form.errors["closes"]), "error")
    return show(code, extend_form=form, status=400)


# Invitations -----------------------------------------------------------------------------


@bp.post("/<code>/invitations")
@facilitator_required
def make_invitations(code: str):
    session = _run_or_404(code)
    form = InvitationsForm.from_request()
    form.validate()
    if not form.errors:
        try:
            codes = run_operations.create_invitations(get_db(), session.id, form.number)
        except Refused as refused:
            form.errors["count"] = gettext(refused.message)
        else:
            flash(gettext("%(n)d invitations made.", n=len(codes)), "success")
            return _back(session, "#invitations")
    flash(gettext("No invitations were made. %(why)s", why=form.errors["count"]), "error")
    return show(code, invite_form=form, status=400)


def grouped(code: str) -> str:
    """An invitation code as people copy it: in groups of five."""
    return " ".join(code[i : i + 5] for i in range(0, len(code), 5))


def invitation_url(session, code: str) -> str:
    return public_url_for("participant.join", code=session.code, invite=code)


def _qr_svg(url: str) -> str:
    """A QR code as inline SVG (black on white, with its quiet zone), sized by CSS."""
    svg = segno.make(url, error="m", micro=False).svg_inline(
        scale=4, border=4, dark="#000", light="#fff", omitsize=True
    )
    return svg.replace("<svg ", '<svg shape-rendering="crispEdges" aria-hidden="true" ', 1)


@bp.get("/<code>/invitations/sheet")
@facilitator_required
def invitations_sheet(code: str):
    """One card per unused invitation, to print on A4 and cut out."""
    session = _run_or_404(code)
    codes = run_statistics.unused_invitations(get_db(), session)
    cards = [{"code": grouped(c), "qr": _qr_svg(invitation_url(session, c))} for c in codes]
    return render_template(
        "facilitator/invitations_sheet.html",
        session=session,
        plan=plan_of(session),
        cards=cards,
        address=f"{public_address()}/j/{session.code}",
    )


@bp.get("/<code>/invitations.csv")
@facilitator_required
def invitations_csv(code: str):
    session = _run_or_404(code)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "grouped", "link", "used"])
    for invitation in run_operations.invitations(get_db(), session.id):
        writer.writerow(
            [
                invitation.code,
                grouped(invitation.code),
                invitation_url(session, invitation.code),
                "yes" if invitation.used else "no",
            ]
        )
    return (
        out.getvalue(),
        200,
        {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="invitations-{session.code}.csv"',
            "Cache-Control": "no-store",
        },
    )


# What the dashboard's list of sessions says of a run -------------------------------------


def _when(moment) -> str:
    moment = clock.aware(moment)
    return moment.strftime("%-d %b %Y, %H:%M") if moment else "–"


@bp.app_template_global()
def run_window(session) -> str:
    """A run's dates as a line of text: "1 Mar 2027, 09:00 – 15 Mar 2027, 09:00 UTC"."""
    return f"{_when(session.opens_at)} – {_when(session.closes_at)} UTC"


@bp.app_template_global()
def run_status(session) -> str:
    return run_statistics.run_status(session)


@bp.app_template_global()
def run_status_word(status: str) -> str:
    return gettext(STATUS_WORDS[status])
