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


def _has_role(user, role: str) -> bool:
    user = current_user if user is None else user
    return bool(getattr(user, "is_authenticated", False)) and user.role == role


def is_facilitator(user=None) -> bool:
    return _has_role(user, FACILITATOR)


def is_researcher(user=None) -> bool:
    return _has_role(user, RESEARCHER)


def _login_required_for(allowed, view):
    """``view`` behind a login, and a 403 for an account ``allowed()`` turns away."""

    @functools.wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not allowed():
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def facilitator_required(view):
    """Login required, and the account must be a facilitator's (403 for a researcher)."""
    return _login_required_for(is_facilitator, view)


def reader_required(view):
    """Login required, as a facilitator or a researcher (each view then checks the grant)."""
    return _login_required_for(lambda: is_facilitator() or is_researcher(), view)


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


def _may_read(db: Session, user, granted) -> bool:
    """Facilitators read everything; researchers what the select ``granted(user)`` finds."""
    user = current_user if user is None else user
    if is_facilitator(user):
        return True
    return is_researcher(user) and db.scalar(granted(user)) is not None


def can_read_session(db: Session, session: WorkshopSession, user=None) -> bool:
    """Facilitators read every session; researchers those granted to them."""
    return _may_read(
        db,
        user,
        lambda researcher: granted_session_ids(db, researcher).where(
            WorkshopSession.id == session.id
        ),
    )


def can_read_series(db: Session, series_id: int, user=None) -> bool:
    """Facilitators read every series; researchers those granted to them."""
    return _may_read(
        db,
        user,
        lambda researcher: select(Grant.id).where(
            Grant.researcher_id == researcher.id, Grant.series_id == series_id
        ),
    )
