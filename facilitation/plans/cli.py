"""``flask --app facilitation plan check FILE...`` and ``plan list``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from .library import list_plans, plans_folder
from .loader import PlanError, PlanInvalid, load_plan

plan_cli = AppGroup("plan", help="Check and list workshop plans (YAML files).")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def format_error(file: str, error: PlanError) -> str:
    """``FILE:LINE: FIELD: message``, the form editors and CI logs link to the line."""
    place = f"{file}:{error.line}" if error.line is not None else file
    field = f" {error.field}:" if error.field else ""
    return f"{place}:{field} {error.message}"


# No app context: checking a file needs neither the database nor the configuration.
@plan_cli.command("check", with_appcontext=False)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def check(files: tuple[str, ...]) -> None:
    """Check each plan FILE, printing every problem with its line; exit 1 if any."""
    failed = False
    for file in files:
        try:
            plan = load_plan(file)
        except PlanInvalid as invalid:
            failed = True
            for error in invalid.errors:
                click.echo(format_error(file, error), err=True)
            continue
        except OSError as exc:
            failed = True
            click.echo(f"{file}: cannot read the file: {exc.strerror}", err=True)
            continue
        counts = f"{_plural(len(plan.stages), 'stage')}, {_plural(len(plan.scenarios), 'scenario')}"
        click.echo(f"{file}: ok ({counts})")
    if failed:
        raise SystemExit(1)


@plan_cli.command("list")
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of plans to list instead of PLANS_DIR.",
)
def list_command(folder: Path | None) -> None:
    """List the plans a facilitator can pick, and those that are broken."""
    folder = folder or plans_folder()
    listings = list_plans(folder)
    if not listings:
        click.echo(f"No plans in {folder}.")
        return
    width = max(len(listing.slug) for listing in listings)
    for listing in listings:
        if listing.valid:
            click.echo(f"{listing.slug:<{width}}  {listing.title}")
        else:
            problems = _plural(len(listing.errors), "error")
            click.echo(
                f"{listing.slug:<{width}}  INVALID ({problems}): "
                f"see `flask --app facilitation plan check {listing.path}`"
            )
