"""Series pages: the list of series, one series' sessions side by side, and the forms that
group sessions (facilitators only; researchers read the series granted to them).

Views are thin: changes go through ``series/operations.py``, reading through
``comparison.py`` (and the figures its activity types draw), ``profiles.py`` (the framework
profiles, workshops beside the public online) and ``recurring.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import can_read_series, facilitator_required, is_facilitator, reader_required
from ..db import get_db
from ..exports.common import series_sessions
from ..exports.formats import formats
from ..models import Grant, Series, WorkshopSession
from ..whole_numbers import MAX_ID, whole_number
from ..workshop.sessions import session_by_code
from . import operations
from .comparison import compare, comparison_figure, short_date, summaries
from .profiles import compare_profiles
from .recurring import THEMES_SHOWN, recurring_themes

bp = Blueprint("series", __name__, url_prefix="/facilitator/series")

NEW_SERIES = "new"


@dataclass
class SeriesForm:
    """A series' title and description as typed, and what was wrong with them."""

    title: str = ""
    description: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_request(cls) -> SeriesForm:
        return cls(request.form.get("title", ""), request.form.get("description", ""))


@dataclass
class MemberForm:
    """Which session goes in which series, where and when it was held."""

    session: str = ""
    series: str = ""
    title: str = ""  # a new series' title
    place: str = ""
    held_on: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_request(cls) -> MemberForm:
        form = request.form
        return cls(
            session=form.get("session", "").strip(),
            series=form.get("series", "").strip(),
            title=form.get("title", ""),
            place=form.get("place", ""),
            held_on=form.get("held_on", "").strip(),
        )


@bp.app_context_processor
def series_helpers():
    """``series_title(id)`` for the dashboard's session rows (all titles in one query)."""

    def series_title(series_id: int | None) -> str:
        if series_id is None:
            return ""
        if "series_titles" not in g:
            g.series_titles = dict(get_db().execute(select(Series.id, Series.title)).all())
        return g.series_titles.get(series_id, "")

    return {"series_title": series_title}


def _series_or_404(series_id: int) -> Series:
    series = get_db().get(Series, series_id)
    if series is None:
        abort(404)
    return series


def _readable_series_or_abort(series_id: int) -> Series:
    series = _series_or_404(series_id)
    if not can_read_series(get_db(), series.id):
        abort(403)
    return series


def _session_or_404(code: str) -> WorkshopSession:
    session = session_by_code(get_db(), code)
    if session is None:
        abort(404)
    return session


def export_links(series_id: int, sessions=None) -> list[dict]:
    """The series' downloads (the zip first), from the export formats' registry; with its
    ``sessions``, the files only some exports have where they have them."""
    links = [
        {
            "href": url_for("exports.series_file", series_id=series_id, filename=f.filename),
            "label": "Download everything (zip)" if f.name == "zip" else f.label,
            "filename": f.filename,
            "everything": f.name == "zip",
        }
        for f in formats(get_db(), sessions)
    ]
    return sorted(links, key=lambda link: not link["everything"])


# The list of series -------------------------------------------------------------------------


def _index(form: SeriesForm | None = None, status: int = 200):
    db = get_db()
    granted = None
    if not is_facilitator():
        granted = select(Grant.series_id).where(
            Grant.researcher_id == current_user.id, Grant.series_id.is_not(None)
        )
    return (
        render_template(
            "series/index.html",
            summaries=summaries(db, granted),
            form=form or SeriesForm(),
            can_edit=is_facilitator(),
            short_date=short_date,
        ),
        status,
    )


@bp.get("/")
@reader_required
def index():
    return _index()


@bp.post("/")
@facilitator_required
def create():
    form = SeriesForm.from_request()
    try:
        series = operations.create_series(get_db(), form.title, form.description, current_user.id)
    except operations.Invalid as invalid:
        form.errors[invalid.field] = invalid.message
        return _index(form, 400)
    flash(f"The series “{series.title}” is made. Add its sessions below.", "success")
    return redirect(url_for("series.show", series_id=series.id), 303)


# One series ----------------------------------------------------------------------------------


def _addable_sessions(series: Series, plan_slug: str | None) -> list[WorkshopSession]:
    """Sessions that could join: in no series, and of the series' plan once it has one."""
    query = (
        select(WorkshopSession)
        .where(WorkshopSession.series_id.is_(None))
        .order_by(WorkshopSession.created_at.desc())
        .limit(200)
    )
    if plan_slug is not None:
        query = query.where(WorkshopSession.plan_slug == plan_slug)
    return list(get_db().scalars(query))


def _show(
    series: Series,
    *,
    rename: SeriesForm | None = None,
    member: MemberForm | None = None,
    status: int = 200,
):
    db = get_db()
    sessions = series_sessions(db, series.id)
    columns, stages = compare(db, sessions)
    themes = recurring_themes(db, [s.id for s in sessions])
    for comparison in stages:
        comparison.figure = comparison_figure(comparison.stage, comparison.shown)
        comparison.themes = themes.get(comparison.stage.key, [])
    profiles = compare_profiles(db, columns)
    plan = operations.series_plan(db, series.id)
    can_edit = is_facilitator()
    member = member or MemberForm()
    addable = _addable_sessions(series, plan[0] if plan else None) if can_edit else []
    chosen = session_by_code(db, member.session) if member.session else None
    if chosen is not None and chosen not in addable:
        addable.insert(0, chosen)  # a refused choice stays chosen, next to its reason
    return (
        render_template(
            "series/show.html",
            series=series,
            columns=columns,
            stages=stages,
            profiles=profiles,
            labels={c.session.id: c.label for c in columns},
            plan=plan,
            can_edit=can_edit,
            addable=addable,
            rename=rename or SeriesForm(series.title, series.description),
            member=member,
            exports=export_links(series.id, sessions) if sessions else [],
            short_date=short_date,
            themes_shown=THEMES_SHOWN,
            recurring=sum(len(t) for t in themes.values()),
        ),
        status,
    )


@bp.get("/<int:series_id>")
@reader_required
def show(series_id: int):
    return _show(_readable_series_or_abort(series_id))


@bp.post("/<int:series_id>/edit")
@facilitator_required
def edit(series_id: int):
    series = _series_or_404(series_id)
    form = SeriesForm.from_request()
    try:
        operations.rename_series(get_db(), series.id, form.title, form.description)
    except operations.Invalid as invalid:
        form.errors[invalid.field] = invalid.message
        flash(f"The series was not changed. {invalid.message}", "error")
        return _show(series, rename=form, status=400)
    flash("The series’ title and description are saved.", "success")
    return redirect(url_for("series.show", series_id=series.id), 303)


@bp.post("/<int:series_id>/sessions")
@facilitator_required
def add_session(series_id: int):
    series = _series_or_404(series_id)
    form = MemberForm.from_request()
    session = session_by_code(get_db(), form.session) if form.session else None
    if session is None:
        form.errors["session"] = (
            "Choose the session to add." if not form.session else "There is no such session."
        )
        flash(f"The session was not added. {form.errors['session']}", "error")
        return _show(series, member=form, status=400)
    try:
        operations.add_session(get_db(), series.id, session.id, form.place, form.held_on)
    except operations.Invalid as invalid:
        form.errors[invalid.field] = invalid.message
        flash(f"Session {session.code} was not added. {invalid.message}", "error")
        return _show(series, member=form, status=400)
    flash(f"Session {session.code} is in the series.", "success")
    return redirect(url_for("series.show", series_id=series.id), 303)


@bp.post("/<int:series_id>/sessions/<code>/remove")
@facilitator_required
def remove_session(series_id: int, code: str):
    series = _series_or_404(series_id)
    session = _session_or_404(code)
    try:
        operations.remove_session(get_db(), series.id, session.id)
    except operations.Invalid as invalid:
        flash(invalid.message, "error")
    else:
        flash(f"Session {session.code} is no longer in this series.", "success")
    return redirect(url_for("series.show", series_id=series.id), 303)


@bp.post("/<int:series_id>/delete")
@facilitator_required
def delete(series_id: int):
    series = _series_or_404(series_id)
    title = series.title
    try:
        operations.delete_series(get_db(), series.id)
    except operations.Invalid as invalid:
        flash(f"The series was not deleted. {invalid.message}", "error")
        return redirect(url_for("series.show", series_id=series.id), 303)
    flash(f"The series “{title}” is deleted.", "success")
    return redirect(url_for("series.index"), 303)


# A session's series, from the dashboard ------------------------------------------------------


def _for_session(session: WorkshopSession, form: MemberForm, status: int = 200):
    db = get_db()
    choices = [
        summary
        for summary in summaries(db)
        if summary.series.id == session.series_id or summary.plan_slug in (None, session.plan_slug)
    ]
    return (
        render_template(
            "series/for_session.html",
            session=session,
            choices=choices,
            form=form,
            new_series=NEW_SERIES,
            short_date=short_date,
        ),
        status,
    )


@bp.get("/for-session/<code>")
@facilitator_required
def for_session(code: str):
    session = _session_or_404(code)
    opened = session.created_at.date() if session.created_at else date.today()
    form = MemberForm(
        session=session.code,
        series=str(session.series_id or ""),
        place=session.place or "",
        held_on=(session.held_on or opened).isoformat(),
    )
    return _for_session(session, form)


@bp.post("/for-session/<code>")
@facilitator_required
def put_in_series(code: str):
    """Add the session to a chosen series, or to a new one made here with a title."""
    db = get_db()
    session = _session_or_404(code)
    form = MemberForm.from_request()
    if not form.series:
        form.errors["series"] = "Choose a series, or make a new one."
        return _for_session(session, form, 400)
    # Check the fields the session needs before making a new series, so a refusal
    # leaves no empty series behind.
    for name, clean in (("place", operations.clean_place), ("held_on", operations.clean_held_on)):
        try:
            clean(getattr(form, name))
        except operations.Invalid as invalid:
            form.errors[name] = invalid.message
    try:
        if form.series == NEW_SERIES:
            operations.clean_title(form.title)
    except operations.Invalid as invalid:
        form.errors["title"] = invalid.message
    if form.errors:
        return _for_session(session, form, 400)
    try:
        if form.series == NEW_SERIES:
            series = operations.create_series(db, form.title, "", current_user.id)
        else:
            series_id = whole_number(form.series, 1, MAX_ID)
            series = db.get(Series, series_id) if series_id is not None else None
            if series is None:
                raise operations.Invalid("series", "That series no longer exists.")
        operations.add_session(db, series.id, session.id, form.place, form.held_on)
    except operations.Invalid as invalid:
        form.errors["series" if invalid.field == "session" else invalid.field] = invalid.message
        return _for_session(session, form, 400)
    flash(f"Session {session.code} is in the series “{series.title}”.", "success")
    return redirect(url_for("series.show", series_id=series.id), 303)
