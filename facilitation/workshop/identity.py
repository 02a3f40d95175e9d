"""Who is at the other end: a participant's signed cookie, and projector keys."""

from __future__ import annotations

from enum import Enum

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from ..db import row_by_id
from ..models import Participant, WorkshopSession
from ..text import fold
from .notes import FACILITATOR_AUTHOR

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
    participant = row_by_id(db, Participant, data.get("p"))
    if participant is None or participant.session_id != session.id:
        return None
    return participant


# Resume links ---------------------------------------------------------------------------
# In a self-paced run a person may carry on on another device: their personal resume link
# (/r/<code>/<token>) sets the same participant cookie there. Signed with its own salt, so
# a cookie's value is no resume token and the other way round; it opens nothing once the
# person has withdrawn (checked where it is read).


def resume_token(participant: Participant, code: str) -> str:
    return _signer("resume").dumps({"p": participant.id, "c": code})


def participant_from_resume_token(
    db: Session, token: str, session: WorkshopSession
) -> Participant | None:
    """The participant whose resume link for this session ``token`` is, if any (withdrawn
    or not: the caller says which it will open)."""
    try:
        data = _signer("resume").loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") != session.code:
        return None
    participant = row_by_id(db, Participant, data.get("p"))  # None for a key not an id
    if participant is None or participant.session_id != session.id:
        return None
    return participant


# Projector and note-taker links -------------------------------------------------------------
# Each session has a current generation of its projector link and of its note-taker link
# (WorkshopSession.screen_key_version / notes_key_version). A key is signed with its
# generation, and only the current one opens anything: the console's "Revoke and make a new
# link" (operations.reissue_link) moves the generation on, and every older key, and every
# note-taker cookie set through one, stops working at once.

SCREEN_LINK_REPLACED = "This projector link has been replaced; ask the facilitator for the new one."
NOTES_LINK_REPLACED = "This note-taker link has been replaced; ask the facilitator for the new one."


class LinkCheck(Enum):
    """What a link's key (or a note-taker's cookie) is worth. Only VALID is true, so
    ``if check_screen_key(...)`` reads as before; REPLACED says why, for a clear refusal."""

    VALID = "valid"
    REPLACED = "replaced"  # signed for this session, but for an older generation
    INVALID = "invalid"

    def __bool__(self) -> bool:
        return self is LinkCheck.VALID


def link_generation(session: WorkshopSession, link: str) -> int:
    """The current generation of the session's ``screen`` or ``notes`` link."""
    version = session.screen_key_version if link == "screen" else session.notes_key_version
    return version or 0  # a row made before the column was filled in


def _generation_check(session: WorkshopSession, link: str, generation) -> LinkCheck:
    # bool is an int to Python: a JSON true is no generation.
    if not isinstance(generation, int) or isinstance(generation, bool):
        return LinkCheck.INVALID
    current = link_generation(session, link)
    if generation == current:
        return LinkCheck.VALID
    return LinkCheck.REPLACED if 0 <= generation < current else LinkCheck.INVALID


def _link_key(link: str, session: WorkshopSession) -> str:
    return _signer(link).dumps([session.code, link_generation(session, link)])


def _check_link_key(link: str, session: WorkshopSession, key: str | None) -> LinkCheck:
    if not key or not isinstance(key, str):
        return LinkCheck.INVALID
    try:
        data = _signer(link).loads(key)
    except BadSignature:
        return LinkCheck.INVALID
    if isinstance(data, str):
        data = [data, 0]  # a key made before links had generations: the first one
    if not isinstance(data, list) or len(data) != 2 or data[0] != session.code:
        return LinkCheck.INVALID
    return _generation_check(session, link, data[1])


def screen_key(session: WorkshopSession) -> str:
    """The key that lets a projector without a facilitator login show a session."""
    return _link_key("screen", session)


def check_screen_key(session: WorkshopSession, key: str | None) -> LinkCheck:
    return _check_link_key("screen", session, key)


# Note-takers ------------------------------------------------------------------------------
# The console's invitation link carries a notes key; whoever opens it gives a short label
# ("Table A scribe") and gets a signed cookie for that session holding the label and the
# link's generation.

NOTETAKER_LABEL_MAX = 22  # "notetaker:" + the label fits the log's 32-character actor
FACILITATOR_LABEL = (
    f"“{FACILITATOR_AUTHOR}” is how the facilitator's own notes are signed; please choose "
    "another name, such as “Table A scribe”."
)


def notetaker_label_refusal(label: str) -> str | None:
    """Why a note-taker may not use ``label``, or None. A label that reads as the
    facilitator's author name ("facilitator", "Ｆacilitator", "FACILITATOR (host)") would
    sign their notes like the facilitator's own in the console and notes.csv; compared on
    the folded text (text.fold), so case, width, look-alikes and invisible characters do
    not get round it."""
    folded, facilitator = fold(label), fold(FACILITATOR_AUTHOR)
    rest = folded.removeprefix(facilitator)
    if rest != folded and not rest[:1].isalpha():  # the word itself, not "facilitators"
        return FACILITATOR_LABEL
    return None


def notes_key(session: WorkshopSession) -> str:
    """The key in the console's "Invite a note-taker" link."""
    return _link_key("notes", session)


def check_notes_key(session: WorkshopSession, key: str | None) -> LinkCheck:
    return _check_link_key("notes", session, key)


def notetaker_cookie_name(code: str) -> str:
    return f"notetaker_{code}"


def notetaker_token(session: WorkshopSession, label: str) -> str:
    """The note-taker's cookie: the session, their label and the link's generation, so
    revoking the link also shuts out whoever already joined through it."""
    return _signer("notetaker").dumps(
        {"c": session.code, "l": label, "g": link_generation(session, "notes")}
    )


def notetaker_cookie(cookies, session: WorkshopSession) -> tuple[LinkCheck, str | None]:
    """What the note-taker cookie for ``session`` is worth, and its label when VALID."""
    token = cookies.get(notetaker_cookie_name(session.code))
    if not token:
        return LinkCheck.INVALID, None
    try:
        data = _signer("notetaker").loads(token)
    except BadSignature:
        return LinkCheck.INVALID, None
    if not isinstance(data, dict) or data.get("c") != session.code:
        return LinkCheck.INVALID, None
    label = data.get("l")
    if not isinstance(label, str) or not label or len(label) > NOTETAKER_LABEL_MAX:
        return LinkCheck.INVALID, None
    if notetaker_label_refusal(label):  # signed before labels were checked for this
        return LinkCheck.INVALID, None
    check = _generation_check(session, "notes", data.get("g", 0))  # no "g": made before
    return check, label if check else None


def notetaker_from_cookies(cookies, session: WorkshopSession) -> str | None:
    """The label of the note-taker whose signed cookie for ``session`` this is."""
    return notetaker_cookie(cookies, session)[1]
