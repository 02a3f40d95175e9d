"""The join form: what a participant types before taking part, checked field by field.

Plain dataclasses rather than WTForms: the sector list comes from each session's plan,
and every message is written for a person holding a phone, next to the field it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext

from ..errors import Refused
from ..plans import Plan
from ..text import clean_text
from ..workshop.moderation import check_display_name
from ..workshop.payloads import MAX_DISPLAY_NAME

MAX_INVITATION_TYPED = 40  # a code is 10 characters; room for the spaces and dashes typed


@dataclass
class JoinForm:
    display_name: str = ""
    sector: str = ""
    table: str = ""  # "" = not known yet: the facilitator can place them later
    consent: bool = False
    # May research exports include the display name? Without this, only the pseudonym.
    name_consent: bool = False
    invitation: str = ""  # a run open by invitation only: the code from the invitation
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_request(cls, form) -> JoinForm:
        return cls(
            display_name=form.get("display_name", ""),
            sector=form.get("sector", ""),
            table=form.get("table", ""),
            consent=bool(form.get("consent")),
            name_consent=bool(form.get("name_consent")),
            invitation=form.get("invitation", "").strip()[:MAX_INVITATION_TYPED],
        )

    @property
    def clean_display_name(self) -> str | None:
        """The name as stored (text.clean_text), or None to stay anonymous; a name that
        cannot be stored reads as none here, and ``validate`` says why."""
        try:
            return clean_text(self.display_name) or None
        except Refused:
            return None

    @property
    def clean_table(self) -> str | None:
        return self.table or None

    def validate(
        self, plan: Plan, tables: list[str] | tuple[str, ...] = (), invitation_only: bool = False
    ) -> bool:
        self.errors = {}
        if invitation_only and not self.invitation:  # operations.join checks the code itself
            self.errors["invitation"] = gettext(
                "Please type the invitation code from your invitation."
            )
        try:
            name = clean_text(self.display_name)
        except Refused as refused:  # in the participant's language when the catalogue has it
            self.errors["display_name"] = gettext(refused.message)
            name = ""
        if len(name) > MAX_DISPLAY_NAME:
            self.errors["display_name"] = gettext(
                "A display name can be at most %(most)d characters (this one has %(count)d).",
                most=MAX_DISPLAY_NAME,
                count=len(name),
            )
        try:  # operations.join checks it too; here the message goes next to the field
            check_display_name(plan, name)
        except Refused as refused:
            self.errors["display_name"] = gettext(refused.message)
        if not self.sector:
            self.errors["sector"] = gettext("Please choose the sector you work in.")
        elif self.sector not in plan.sectors:
            self.errors["sector"] = gettext("Please choose one of the sectors listed.")
        if self.table and self.table not in tables:
            self.errors["table"] = gettext(
                "Please choose one of the tables listed, or “I don’t know yet”."
            )
        if not self.consent:
            self.errors["consent"] = gettext(
                "Please tick the box to say you have read this and want to take part."
            )
        return not self.errors
