"""Plans written in the app: create, import, duplicate, save and delete ``StoredPlan`` rows.

The files in ``PLANS_DIR`` are "built in": read-only here, but any plan can be duplicated
into a stored plan. A stored plan is a *draft* while no session uses it, and *locked*
while a draft, live or paused session of it exists: a locked plan cannot be edited or
deleted, only duplicated. (A session keeps its own copy of the plan's source anyway; the
lock keeps what the room sees and what the plan says the same while it runs.)

Every change validates with the same loader as ``plan check``: an invalid source is
refused with ``PlanInvalid`` and nothing stored changes.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..errors import Refused
from ..models import StoredPlan, WorkshopSession
from ..slides import plan_decks
from .library import plan_file, stored_row
from .loader import decode_plan, is_plan_slug, parse_plan
from .model import MAX_KEY, Plan
from .reader import MAX_TITLE, slugify

# Sessions in these states lock the plan they were opened from.
LOCKING_STATUSES = ("draft", "live", "paused")
# What a new plan starts as: valid, small, and showing the main parts of the format.
STARTER_PLAN = """\
title: New workshop plan
description: What the workshop is for, in a sentence or two.
privacy_notice: |
  We collect your answers and comments, with the name and sector you give (both optional),
  to report what the room thinks. We delete them 90 days after the workshop.
retention_days: 90
sectors:
  - Health
  - Housing
stages:
  - key: welcome
    title: Welcome
    prompt: Thank you for joining.
    type: info
    body: Answer on your phone as we go. There are no right or wrong answers.
  - key: first-question
    title: First question
    prompt: How far is this met?
    type: traffic_light
    comments: true
    items:
      - key: purpose
        label: The purpose is clear
"""


def plan_status(db: Session, slug: str) -> str:
    """ "locked" while a draft, live or paused session uses the plan, else "draft"."""
    return "locked" if locking_sessions(db, slug) else "draft"


def locking_sessions(db: Session, slug: str) -> list[str]:
    """Join codes of the sessions that lock the plan ``slug``."""
    return list(
        db.scalars(
            select(WorkshopSession.code).where(
                WorkshopSession.plan_slug == slug,
                WorkshopSession.status.in_(LOCKING_STATUSES),
            )
        )
    )


def _slug_taken(db: Session, folder: str | Path, slug: str) -> bool:
    return plan_file(folder, slug) is not None or stored_row(db, slug) is not None


def unique_slug(db: Session, folder: str | Path, wanted: str) -> str:
    """``wanted`` made into a slug that no file plan and no stored plan uses yet."""
    base = slugify(wanted)[:MAX_KEY].strip("-") or "plan"
    slug, number = base, 1
    while _slug_taken(db, folder, slug):
        number += 1
        suffix = f"-{number}"
        slug = f"{base[: MAX_KEY - len(suffix)].rstrip('-')}{suffix}"
    return slug


def validate(
    source: str, slug: str = "new-plan", folder: str | Path | None = None, *, builtin=False
) -> Plan:
    """The plan in ``source``; PlanInvalid (every problem, by line and field) if invalid.
    With the plans ``folder``, the logo the plan names there is checked too; ``builtin``:
    the plan is a file there (loader.parse_plan)."""
    return parse_plan(source, slug, folder, builtin=builtin)


def create_plan(
    db: Session,
    folder: str | Path,
    source: str,
    created_by_id: int | None,
    name: str | None = None,
) -> StoredPlan:
    """Store a new plan from ``source``; its slug is made from ``name`` (or its title) and
    made unique. Raises PlanInvalid and stores nothing when the source is invalid."""
    plan = validate(source, folder=folder)
    slug = unique_slug(db, folder, name or plan.title)
    now = clock.now()
    row = StoredPlan(
        slug=slug, source=source, created_by_id=created_by_id, created_at=now, updated_at=now
    )
    db.add(row)
    db.commit()
    return row


def import_plan(
    db: Session, folder: str | Path, data: bytes, filename: str, created_by_id: int | None
) -> StoredPlan:
    """Store the plan in an uploaded YAML file (named after the file, if it can be)."""
    source = decode_plan(data)
    stem = Path(filename or "").stem
    return create_plan(db, folder, source, created_by_id, name=stem or None)


def source_of(db: Session, folder: str | Path, slug: str) -> tuple[str, bool]:
    """(the YAML text of the plan ``slug``, whether it is built in); LookupError if none."""
    path = plan_file(folder, slug)
    if path is not None:
        return path.read_bytes().decode("utf-8-sig", errors="replace"), True
    row = stored_row(db, slug) if is_plan_slug(slug) else None
    if row is None:
        raise LookupError(f"there is no plan called {slug!r}")
    return row.source, False


def duplicate_plan(
    db: Session, folder: str | Path, slug: str, created_by_id: int | None
) -> StoredPlan:
    """A new stored plan copied from the plan ``slug`` (built in or stored, locked or not),
    titled "Copy of ...", with its slide decks; the copy of a broken plan is refused with
    its problems."""
    source, _ = source_of(db, folder, slug)
    plan = validate(source, slug, folder)
    title = f"Copy of {plan.title}"[:MAX_TITLE]
    copy = retitle(source, title)
    row = create_plan(db, folder, copy, created_by_id, name=f"{slug}-copy")
    plan_decks.copy_plan_decks(db, slug, row.slug)  # a built-in plan has none
    db.commit()
    return row


def retitle(source: str, title: str) -> str:
    """``source`` with its top-level title replaced, everything else (comments too) kept."""
    root = yaml.compose(source, Loader=yaml.SafeLoader)
    for key, value in root.value:
        if key.value == "title":
            start, end = value.start_mark.index, value.end_mark.index
            # A JSON string is a valid double-quoted YAML scalar.
            return source[:start] + json.dumps(title, ensure_ascii=False) + source[end:]
    return source


def editable_row(db: Session, folder: str | Path, slug: str) -> StoredPlan:
    """The stored plan ``slug``, refusing built-in and locked plans with the reason."""
    if plan_file(folder, slug) is not None:
        raise Refused(
            "This is a built-in plan (a file in the plans folder): it cannot be changed "
            "here. Duplicate it to make a copy you can edit."
        )
    row = stored_row(db, slug) if is_plan_slug(slug) else None
    if row is None:
        raise LookupError(f"there is no plan called {slug!r}")
    codes = locking_sessions(db, slug)
    if codes:
        sessions = ", ".join(codes)
        raise Refused(
            f"This plan is locked: the session{'s' if len(codes) > 1 else ''} {sessions} "
            f"{'use' if len(codes) > 1 else 'uses'} it. End the session to change it, "
            "or duplicate the plan and edit the copy."
        )
    return row


def save_plan(db: Session, folder: str | Path, slug: str, source: str) -> StoredPlan:
    """Replace the source of the stored plan ``slug``. Refused (Refused) for built-in and
    locked plans; PlanInvalid for an invalid source. Either way nothing changes."""
    row = editable_row(db, folder, slug)
    validate(source, slug, folder)
    row.source = source
    row.updated_at = clock.now()
    db.commit()
    return row


def delete_plan(db: Session, folder: str | Path, slug: str) -> None:
    """Delete the stored plan ``slug`` (refused for built-in and locked plans), with its
    slide decks. Sessions opened from it keep their own copy of the plan and its decks."""
    row = editable_row(db, folder, slug)
    db.delete(row)
    plan_decks.drop_plan_decks(db, slug)
    db.commit()
