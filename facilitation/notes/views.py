"""The note-taker's pages: a second laptop or tablet that captures what tables say.

The facilitator's console shows an invitation link ``/n/CODE?key=...`` (the notes key,
signed like the projector's). Whoever opens it gives a short label ("Table A scribe"),
kept in a signed cookie for that session, and gets the note-taking page, a shell that
``static/js/notes.js`` fills from the live feed (role ``notetaker``). Notes themselves are
written over Socket.IO (``note``), through ``operations.post_note``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, redirect, render_template, request, url_for

from ..access import is_facilitator
from ..cookies import set_cookie
from ..errors import Refused
from ..link_pages import NO_STORE, linked_session, unavailable
from ..models import WorkshopSession
from ..text import clean_text
from ..workshop.identity import (
    COOKIE_MAX_AGE,
    NOTETAKER_LABEL_MAX,
    LinkCheck,
    check_notes_key,
    notetaker_cookie,
    notetaker_cookie_name,
    notetaker_label_refusal,
    notetaker_token,
)
from ..workshop.payloads import NOTE_MAX_LENGTH

bp = Blueprint("notes", __name__)


@dataclass
class NameForm:
    """The note-taker's label, checked with a message next to the field."""

    label: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_request(cls, form) -> NameForm:
        return cls(label=form.get("label", ""))

    @property
    def clean_label(self) -> str:
        try:
            return clean_text(self.label)
        except Refused:
            return ""  # validate() says why

    def validate(self) -> bool:
        self.errors = {}
        try:
            label = clean_text(self.label)
        except Refused as refused:
            self.errors["label"] = refused.message
            return False
        if not label:
            self.errors["label"] = "Please give a short name, such as “Table A scribe”."
        elif len(label) > NOTETAKER_LABEL_MAX:
            self.errors["label"] = (
                f"Please keep it to {NOTETAKER_LABEL_MAX} characters (this one has {len(label)})."
            )
        elif refusal := notetaker_label_refusal(label):
            self.errors["label"] = refusal
        return not self.errors


def _unavailable(status: int, heading: str, message: str, *, offer_login: bool = False):
    unavailable("notes/unavailable.html", status, heading, message, offer_login=offer_login)


def _name_page(session: WorkshopSession, form: NameForm, key: str, status: int = 200):
    page = render_template("notes/name.html", session=session, form=form, key=key)
    return page, status, NO_STORE


@bp.route("/n/<code>", methods=["GET", "POST"])
def take_notes(code: str):
    session = linked_session(
        code,
        "notes/unavailable.html",
        "Check the address, or ask the facilitator for the note-taker link again.",
    )
    if code != session.code:  # typed in lower case: one canonical address
        return redirect(url_for(".take_notes", code=session.code, **request.args), 308)

    cookie, label = notetaker_cookie(request.cookies, session)
    key = request.values.get("key", "")
    key_check = check_notes_key(session, key)
    # Only a key that checks out is carried on, so the page never echoes a made-up one.
    key = key if key_check else ""
    if not (key or label or is_facilitator()):
        if LinkCheck.REPLACED in (key_check, cookie):  # the link was revoked in the console
            _unavailable(
                403,
                "This note-taker link has been replaced",
                "Ask the facilitator for the new one: it is under “Invite a note-taker” in "
                "the session's console.",
                offer_login=True,
            )
        _unavailable(
            403,
            "This note-taker link is not valid",
            "Ask the facilitator for the link: it is under “Invite a note-taker” in the "
            "session's console.",
            offer_login=True,
        )

    if request.method == "POST":
        form = NameForm.from_request(request.form)
        if not form.validate():
            return _name_page(session, form, key, 400)
        token = notetaker_token(session, form.clean_label)
        response = redirect(url_for(".take_notes", code=session.code))
        set_cookie(response, notetaker_cookie_name(session.code), token, max_age=COOKIE_MAX_AGE)
        return response

    if label is None or request.args.get("change"):
        return _name_page(session, NameForm(label=label or ""), key)
    page = render_template(
        "notes/take_notes.html",
        session=session,
        label=label,
        note_max_length=NOTE_MAX_LENGTH,
    )
    return page, 200, NO_STORE
