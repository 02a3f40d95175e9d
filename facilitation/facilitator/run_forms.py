"""The forms of a self-paced run: publishing one, extending it, making invitations.

Each keeps what was typed (so nothing is lost when it is shown again with its errors) and
says what is wrong field by field. Dates and times are read in the time zone the form
names: the browser's (``static/js/run-publish.js`` fills the hidden ``zone`` field with
its IANA name, so a date across a change of summer time is still read right), or UTC
when the page ran no script. Stored moments are UTC.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from flask import request
from flask_babel import gettext

from .. import clock
from ..plans import Plan
from ..whole_numbers import whole_number
from ..workshop import runs
from ..workshop.run_operations import MAX_BATCH

UTC_NAME = "UTC"
ANYONE, INVITATION = "anyone", "invitation"
SETTING_NAMES = ("results", "comments", "approve_comments", "profile")
DEFAULT_DAYS = 14  # a new run's suggested length


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_of(name: str) -> zoneinfo.ZoneInfo | None:
    """The time zone named ``name`` (an IANA name such as Europe/London), or None."""
    if name == UTC_NAME:
        return zoneinfo.ZoneInfo("UTC")
    if name not in _zone_names():
        return None
    return zoneinfo.ZoneInfo(name)


def read_moment(day: str, hour: str, zone: zoneinfo.ZoneInfo) -> datetime | str:
    """The moment a date (YYYY-MM-DD) and a time (HH:MM) name in ``zone``, in UTC; or what
    is wrong with them, to show beside the field."""
    if not day:
        return gettext("Enter a date.")
    if not hour:
        return gettext("Enter a time.")
    try:
        parsed_day = date.fromisoformat(day)
    except ValueError:
        return gettext("Enter the date as year-month-day, for example 2027-03-01.")
    try:
        parsed_hour = time.fromisoformat(hour)
    except ValueError:
        return gettext("Enter the time as hours:minutes, for example 09:30.")
    local = datetime.combine(parsed_day, parsed_hour.replace(second=0, microsecond=0))
    try:
        return local.replace(tzinfo=zone).astimezone(UTC)
    except OverflowError:  # the first or last day of the calendar, moved across a zone
        return gettext("That date is too far away: a run is open for a year at most.")


def local_fields(moment: datetime, zone: zoneinfo.ZoneInfo) -> tuple[str, str]:
    """``moment`` as the date and time fields show it in ``zone``."""
    local = clock.aware(moment).astimezone(zone)
    return local.date().isoformat(), local.strftime("%H:%M")


@dataclass
class RunForm:
    """What the facilitator asked for in a "Self-paced run" form, and what was wrong."""

    plan: str = ""
    scenario: str = ""
    opens_date: str = ""
    opens_time: str = ""
    closes_date: str = ""
    closes_time: str = ""
    zone: str = UTC_NAME
    results: bool = True
    comments: bool = True
    approve_comments: bool = True
    profile: bool = True
    access: str = ANYONE
    errors: dict[str, str] = field(default_factory=dict)
    opens_at: datetime | None = None
    closes_at: datetime | None = None

    @classmethod
    def suggested_for(cls, plan: Plan | None = None, now: datetime | None = None) -> RunForm:
        """A new form: open from the next whole hour (UTC) for two weeks, with the plan's
        ``self_paced:`` settings."""
        now = now or clock.now()
        opens = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        closes = opens + timedelta(days=DEFAULT_DAYS)
        utc = zoneinfo.ZoneInfo("UTC")
        form = cls()
        form.opens_date, form.opens_time = local_fields(opens, utc)
        form.closes_date, form.closes_time = local_fields(closes, utc)
        if plan is not None:
            for name in SETTING_NAMES:
                setattr(form, name, getattr(plan.self_paced, name))
        return form

    @classmethod
    def from_request(cls) -> RunForm:
        text = {
            f.name: request.form.get(f.name, "").strip()[:100]
            for f in fields(cls)
            if f.type == "str"
        }
        form = cls(**text)
        for name in SETTING_NAMES:
            setattr(form, name, request.form.get(name) == "1")
        return form

    def validate(self) -> None:
        """Reads the dates into ``opens_at`` and ``closes_at``; each problem goes in
        ``errors`` under its field's name (the plan and scenario are the view's)."""
        zone = zone_of(self.zone)
        if zone is None:
            self.errors["zone"] = gettext(
                "The time zone “%(zone)s” is not known; the times were not read. "
                "Check them and send the form again.",
                zone=self.zone,
            )
            self.zone = UTC_NAME
            return
        opens = read_moment(self.opens_date, self.opens_time, zone)
        closes = read_moment(self.closes_date, self.closes_time, zone)
        if isinstance(opens, str):
            self.errors["opens"] = opens
        else:
            self.opens_at = opens
        if isinstance(closes, str):
            self.errors["closes"] = closes
        else:
            self.closes_at = closes
        if self.opens_at and self.closes_at:
            window = window_problem(self.opens_at, self.closes_at)
            if window:
                self.errors["closes"] = window
        if self.access not in (ANYONE, INVITATION):
            self.errors["access"] = gettext("Choose who may take part.")

    def settings(self) -> runs.RunSettings:
        return runs.RunSettings(
            **{name: getattr(self, name) for name in SETTING_NAMES},
            invitation_only=self.access == INVITATION,
        )


def window_problem(opens_at: datetime, closes_at: datetime, now: datetime | None = None) -> str:
    """What is wrong with a run's window ("" when nothing): the same rules as
    run_operations, said beside the closing date before anything is tried."""
    now = now or clock.now()
    if closes_at <= opens_at:
        return gettext("The closing date must be after the opening date.")
    if closes_at <= now:
        return gettext("The closing date must be in the future.")
    longest = timedelta(days=runs.MAX_RUN_DAYS)
    if closes_at - now > longest or closes_at - opens_at > longest:
        return gettext("A run can stay open for at most %(days)d days.", days=runs.MAX_RUN_DAYS)
    return ""


@dataclass
class ExtendForm:
    """A new closing date for a run."""

    closes_date: str = ""
    closes_time: str = ""
    zone: str = UTC_NAME
    errors: dict[str, str] = field(default_factory=dict)
    closes_at: datetime | None = None

    @classmethod
    def for_run(cls, closes_at: datetime | None) -> ExtendForm:
        """Prefilled with a week after the current closing date (UTC)."""
        base = max(clock.aware(closes_at) or clock.now(), clock.now())
        form = cls()
        form.closes_date, form.closes_time = local_fields(
            base + timedelta(days=7), zoneinfo.ZoneInfo("UTC")
        )
        return form

    @classmethod
    def from_request(cls) -> ExtendForm:
        return cls(
            **{
                name: request.form.get(name, "").strip()[:100]
                for name in ("closes_date", "closes_time", "zone")
            }
        )

    def validate(self, opens_at: datetime | None) -> None:
        zone = zone_of(self.zone)
        if zone is None:
            self.errors["closes"] = gettext(
                "The time zone “%(zone)s” is not known; check the date and send it again.",
                zone=self.zone,
            )
            self.zone = UTC_NAME
            return
        closes = read_moment(self.closes_date, self.closes_time, zone)
        if isinstance(closes, str):
            self.errors["closes"] = closes
            return
        problem = window_problem(clock.aware(opens_at) or clock.now(), closes)
        if problem:
            self.errors["closes"] = problem
        else:
            self.closes_at = closes


@dataclass
class InvitationsForm:
    count: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    number: int = 0

    @classmethod
    def from_request(cls) -> InvitationsForm:
        return cls(count=request.form.get("count", "").strip()[:12])

    def validate(self) -> None:
        number = whole_number(self.count, 1, MAX_BATCH)
        if number is None:
            self.errors["count"] = gettext(
                "Enter a whole number from 1 to %(most)d.", most=MAX_BATCH
            )
        else:
            self.number = number
