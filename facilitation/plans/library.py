"""The plans a facilitator can pick from: the ``*.yaml`` files of one folder ("built in",
read-only) and, given a database, the plans written in the app (``StoredPlan`` rows,
see ``stored.py``).

The app's folder is ``PLANS_DIR``; the functions take the folder as an argument so that
tests and the CLI can point them anywhere. A broken plan is listed with its problems
rather than hidden, so whoever edited it sees why it cannot be picked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import StoredPlan
from .loader import PlanError, PlanInvalid, is_plan_slug, load_plan, parse_plan
from .model import Plan

SUFFIX = ".yaml"


@dataclass(frozen=True)
class PlanListing:
    """One plan file: its plan when valid, otherwise every problem found in it."""

    slug: str
    path: Path | None  # the file; None for a plan written in the app
    plan: Plan | None
    errors: list[PlanError] = field(default_factory=list)
    stored: bool = False  # written in the app (a StoredPlan) rather than a built-in file
    updated_at: datetime | None = None  # stored plans: when last saved

    @property
    def valid(self) -> bool:
        return self.plan is not None

    @property
    def builtin(self) -> bool:
        return not self.stored

    @property
    def title(self) -> str:
        return self.plan.title if self.plan is not None else self.slug


def plans_folder() -> Path:
    """The current app's plan folder (``PLANS_DIR``)."""
    return Path(current_app.config["PLANS_DIR"])


def list_plans(folder: str | Path, db: Session | None = None) -> list[PlanListing]:
    """Every plan file in ``folder`` (none if there is no folder) and, with ``db``, every
    plan stored in the app; valid or not, sorted by title."""
    folder = Path(folder)
    listings: list[PlanListing] = []
    if folder.is_dir():
        listings = [
            _read(path)
            for path in folder.glob(f"*{SUFFIX}")
            # Editors leave hidden swap and backup files next to the plans they edit.
            if path.is_file() and not path.name.startswith(".")
        ]
    if db is not None:
        files = {listing.slug for listing in listings}
        listings += [_read_stored(row, files, folder) for row in db.scalars(select(StoredPlan))]
    return sorted(listings, key=lambda listing: (listing.title.casefold(), listing.slug))


def plan_file(folder: str | Path, slug: str) -> Path | None:
    """The file of the built-in plan ``slug`` in ``folder``, or None."""
    # The slug often comes from a form or a URL: checking it first means nothing like
    # "../secrets" can make us open a file outside the folder.
    if not is_plan_slug(slug):
        return None
    path = Path(folder) / f"{slug}{SUFFIX}"
    return path if path.is_file() else None


def find_plan(folder: str | Path, slug: str, db: Session | None = None) -> Plan:
    """The valid plan ``slug``: a file in ``folder`` or, with ``db``, a plan stored in the
    app (a file wins if both exist); LookupError when there is none."""
    path = plan_file(folder, slug)
    if path is None:
        row = stored_row(db, slug) if db is not None and is_plan_slug(slug) else None
        if row is None:
            raise LookupError(f"there is no plan called {slug!r}")
        try:
            return parse_plan(row.source, row.slug, folder)
        except PlanInvalid as invalid:
            raise LookupError(f"the plan {slug!r} has errors:\n{invalid}") from invalid
    try:
        return load_plan(path)
    except PlanInvalid as invalid:
        raise LookupError(f"the plan {slug!r} has errors:\n{invalid}") from invalid
    except OSError as exc:
        raise LookupError(f"the plan {slug!r} cannot be read: {exc.strerror}") from exc


def stored_row(db: Session, slug: str) -> StoredPlan | None:
    return db.scalar(select(StoredPlan).where(StoredPlan.slug == slug))


def _read(path: Path) -> PlanListing:
    try:
        plan = load_plan(path)
    except PlanInvalid as invalid:
        return PlanListing(path.stem, path, None, invalid.errors)
    except OSError as exc:
        error = PlanError(None, "", f"the file cannot be read: {exc.strerror}")
        return PlanListing(path.stem, path, None, [error])
    return PlanListing(plan.slug, path, plan, [])


def _read_stored(row: StoredPlan, file_slugs: set[str], folder: Path) -> PlanListing:
    if row.slug in file_slugs:
        # A file added to PLANS_DIR after the plan was written in the app: the file wins.
        error = PlanError(
            None,
            "",
            f"a built-in plan file is also called '{row.slug}', and it is the one sessions "
            "open: duplicate this plan to keep using it under another name",
        )
        return PlanListing(row.slug, None, None, [error], True, row.updated_at)
    try:
        plan = parse_plan(row.source, row.slug, folder)
    except PlanInvalid as invalid:
        return PlanListing(row.slug, None, None, invalid.errors, True, row.updated_at)
    return PlanListing(row.slug, None, plan, [], True, row.updated_at)
