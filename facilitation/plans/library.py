"""The plans a facilitator can pick from: the ``*.yaml`` files of one folder.

The app's folder is ``PLANS_DIR``; the functions take the folder as an argument so that
tests and the CLI can point them anywhere. A broken plan is listed with its problems
rather than hidden, so whoever edited it sees why it cannot be picked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from .loader import PlanError, PlanInvalid, is_plan_slug, load_plan
from .model import Plan

SUFFIX = ".yaml"


@dataclass(frozen=True)
class PlanListing:
    """One plan file: its plan when valid, otherwise every problem found in it."""

    slug: str
    path: Path
    plan: Plan | None
    errors: list[PlanError] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.plan is not None

    @property
    def title(self) -> str:
        return self.plan.title if self.plan is not None else self.slug


def plans_folder() -> Path:
    """The current app's plan folder (``PLANS_DIR``)."""
    return Path(current_app.config["PLANS_DIR"])


def list_plans(folder: str | Path) -> list[PlanListing]:
    """Every plan file in ``folder``, valid or not, sorted by title; [] if there is no folder."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    listings = [
        _read(path)
        for path in folder.glob(f"*{SUFFIX}")
        # Editors leave hidden swap and backup files next to the plans they edit.
        if path.is_file() and not path.name.startswith(".")
    ]
    return sorted(listings, key=lambda listing: (listing.title.casefold(), listing.slug))


def find_plan(folder: str | Path, slug: str) -> Plan:
    """The valid plan ``slug`` in ``folder``; LookupError when there is none."""
    # The slug often comes from a form or a URL: checking it first means nothing like
    # "../secrets" can make us open a file outside the folder.
    if not is_plan_slug(slug):
        raise LookupError(f"there is no plan called {slug!r}")
    path = Path(folder) / f"{slug}{SUFFIX}"
    if not path.is_file():
        raise LookupError(f"there is no plan called {slug!r}")
    try:
        return load_plan(path)
    except PlanInvalid as invalid:
        raise LookupError(f"the plan {slug!r} has errors:\n{invalid}") from invalid
    except OSError as exc:
        raise LookupError(f"the plan {slug!r} cannot be read: {exc.strerror}") from exc


def _read(path: Path) -> PlanListing:
    try:
        plan = load_plan(path)
    except PlanInvalid as invalid:
        return PlanListing(path.stem, path, None, invalid.errors)
    except OSError as exc:
        error = PlanError(None, "", f"the file cannot be read: {exc.strerror}")
        return PlanListing(path.stem, path, None, [error])
    return PlanListing(plan.slug, path, plan, [])
