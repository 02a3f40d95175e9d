"""Who may see and do what: facilitators run sessions; researchers read what they are granted.

One place for these rules: page views use the decorators, Socket.IO uses
``is_facilitator``, exports use ``can_read_session``.
"""

from __future__ import annotations

import functools

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .models import Grant, WorkshopSession

FACILITATOR, RESEARCHER = "facilitator", "researcher"
ROLES = (FACILITATOR, RESEARCHER)


def is_facilitator(user=None) -> bool:
    user = current_user if user is None else user
    return bool(getattr(user, "is_authenticated", False)) and user.role == FACILITATOR


def is_researcher(user=None) -> bool:
    user = current_user if user is None else user
    return bool(getattr(user, "is_authenticated", False)) and user.role == RESEARCHER


def facilitator_required(view):
    """Login required, and the account must be a facilitator's (403 for a researcher)."""

    @functools.wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not is_facilitator():
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def granted_session_ids(db: Session, user):
    """A select of the ids of the sessions a researcher may read (directly or by series)."""
    session_ids = select(Grant.session_id).where(
        Grant.researcher_id == user.id, Grant.session_id.is_not(None)
    )
    series_ids = select(Grant.series_id).where(
        Grant.researcher_id == user.id, Grant.series_id.is_not(None)
    )
    return select(WorkshopSession.id).where(
        or_(WorkshopSession.id.in_(session_ids), WorkshopSession.series_id.in_(series_ids))
    )


def can_read_session(db: Session, session: WorkshopSession, user=None) -> bool:
    """Facilitators read every session; researchers those granted to them."""
    user = current_user if user is None else user
    if is_facilitator(user):
        return True
    if not is_researcher(user):
        return False
    allowed = granted_session_ids(db, user).where(WorkshopSession.id == session.id)
    return db.scalar(allowed) is not None


def can_read_series(db: Session, series_id: int, user=None) -> bool:
    user = current_user if user is None else user
    if is_facilitator(user):
        return True
    if not is_researcher(user):
        return False
    grant = select(Grant.id).where(Grant.researcher_id == user.id, Grant.series_id == series_id)
    return db.scalar(grant) is not None


def reader_required(view):
    """Login required, as a facilitator or a researcher (each view then checks the grant)."""

    @functools.wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not (is_facilitator() or is_researcher()):
            abort(403)
        return view(*args, **kwargs)

    return wrapper
