"""The facilitator's Researchers page: who may read which sessions and series.

Researchers' accounts are made on the command line
(``flask --app facilitation facilitator create EMAIL --role researcher``); here a
facilitator grants each one a session or a whole series, and takes grants back.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ..access import RESEARCHER, facilitator_required
from ..db import get_db
from ..errors import Refused
from ..models import Facilitator, Series
from ..privacy import grants
from ..whole_numbers import MAX_ID, whole_number
from ..workshop.sessions import recent_sessions

bp = Blueprint("researchers", __name__, url_prefix="/facilitator/researchers")


def _page(errors: dict[int, str] | None = None, chosen: dict[int, str] | None = None, status=200):
    db = get_db()
    people = grants.researchers(db)
    return (
        render_template(
            "facilitator/researchers.html",
            researchers=[(person, grants.grants_of(db, person)) for person in people],
            sessions=recent_sessions(db, limit=200),
            series=list(db.scalars(select(Series).order_by(Series.title))),
            errors=errors or {},
            chosen=chosen or {},
        ),
        status,
    )


def _researcher_or_404(researcher_id: int) -> Facilitator:
    person = get_db().get(Facilitator, researcher_id)
    if person is None or person.role != RESEARCHER:
        abort(404)
    return person


@bp.get("/")
@facilitator_required
def index():
    return _page()


@bp.post("/<int:researcher_id>/grants")
@facilitator_required
def grant(researcher_id: int):
    db = get_db()
    person = _researcher_or_404(researcher_id)
    target = request.form.get("target", "").strip()
    kind, _, value = target.partition(":")
    try:
        if kind == "session" and value:
            _grant, new = grants.grant_session(db, person, value)
            what = f"session {value}"
        elif kind == "series" and whole_number(value, 1, MAX_ID) is not None:
            series_id = whole_number(value, 1, MAX_ID)
            _grant, new = grants.grant_series(db, person, series_id)
            what = f"the series “{db.get(Series, series_id).title}”"
        else:
            raise Refused("Choose a session or a series to grant.")
    except Refused as refused:
        flash(f"Nothing was granted to {person.email}. {refused.message}", "error")
        return _page({person.id: refused.message}, {person.id: target}, 400)
    if new:
        flash(f"{person.email} may now read {what} and download its exports.", "success")
    else:
        flash(f"{person.email} could already read {what}.", "success")
    return redirect(url_for(".index")), 303


@bp.post("/<int:researcher_id>/grants/<int:grant_id>/revoke")
@facilitator_required
def revoke(researcher_id: int, grant_id: int):
    person = _researcher_or_404(researcher_id)
    try:
        grants.revoke_grant(get_db(), person, grant_id)
    except Refused as refused:
        flash(refused.message, "error")
        return redirect(url_for(".index")), 303
    flash(f"The grant was taken back: {person.email} can no longer read it.", "success")
    return redirect(url_for(".index")), 303
