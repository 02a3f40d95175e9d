"""Who is at the other end: a participant's signed cookie, and projector keys."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from ..models import Participant, WorkshopSession

COOKIE_MAX_AGE = 60 * 60 * 24 * 30  # a month: long enough for a reload the next morning


def _signer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"facilitation.{purpose}")


def participant_cookie_name(code: str) -> str:
    return f"participant_{code}"


def participant_token(participant: Participant, code: str) -> str:
    return _signer("participant").dumps({"p": participant.id, "c": code})


def participant_from_cookies(db: Session, cookies, session: WorkshopSession) -> Participant | None:
    """The participant whose signed cookie for this session the browser holds, if any."""
    token = cookies.get(participant_cookie_name(session.code))
    if not token:
        return None
    try:
        data = _signer("participant").loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") != session.code:
        return None
    participant = db.get(Participant, data.get("p")) if isinstance(data.get("p"), int) else None
    if participant is None or participant.session_id != session.id:
        return None
    return participant


def screen_key(code: str) -> str:
    """The key that lets a projector without a facilitator login show a session."""
    return _signer("screen").dumps(code)


def check_screen_key(code: str, key: str | None) -> bool:
    if not key:
        return False
    try:
        return _signer("screen").loads(key) == code
    except BadSignature:
        return False


# Note-takers ------------------------------------------------------------------------------
# The console's invitation link carries a notes key; whoever opens it gives a short label
# ("Table A scribe") and gets a signed cookie for that session holding the label.

NOTETAKER_LABEL_MAX = 22  # "notetaker:" + the label fits the log's 32-character actor


def notes_key(code: str) -> str:
    """The key in the console's "Invite a note-taker" link."""
    return _signer("notes").dumps(code)


def check_notes_key(code: str, key: str | None) -> bool:
    if not key:
        return False
    try:
        return _signer("notes").loads(key) == code
    except BadSignature:
        return False


def notetaker_cookie_name(code: str) -> str:
    return f"notetaker_{code}"


def notetaker_token(code: str, label: str) -> str:
    return _signer("notetaker").dumps({"c": code, "l": label})


def notetaker_from_cookies(cookies, code: str) -> str | None:
    """The label of the note-taker whose signed cookie for session ``code`` this is."""
    token = cookies.get(notetaker_cookie_name(code))
    if not token:
        return None
    try:
        data = _signer("notetaker").loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") != code:
        return None
    label = data.get("l")
    if not isinstance(label, str) or not label or len(label) > NOTETAKER_LABEL_MAX:
        return None
    return label
