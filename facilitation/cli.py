"""Command line: ``flask --app facilitation facilitator|plan|export|db ...``."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from . import auth
from .db import database
from .errors import Refused
from .migrations import upgrade_database
from .whole_numbers import MAX_ID
from .workshop.sessions import session_by_code

# A series id the database can hold: a larger one is a usage error, not an OverflowError.
SERIES_ID = click.IntRange(1, MAX_ID)

facilitator_cli = AppGroup("facilitator", help="Manage facilitator accounts.")
db_cli = AppGroup("db", help="Database migrations.")
session_cli = AppGroup("session", help="Open and list workshop sessions.")


@contextlib.contextmanager
def refusals_as_errors():
    """A change the domain refuses ends the command with its message (exit status 1)."""
    try:
        yield
    except Refused as refused:
        raise click.ClickException(refused.message) from None


def _account(db, email: str):
    account = auth.find_facilitator(db, email)
    if account is None:
        raise click.ClickException(f"No account with the email {email}.")
    return account


@facilitator_cli.command("create")
@click.argument("email")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="At least 10 characters; asked for when not given.",
)
@click.option(
    "--role",
    type=click.Choice(["facilitator", "researcher"]),
    default="facilitator",
    show_default=True,
    help="A researcher only reads the sessions and series granted to it (see `grant`).",
)
def create_facilitator(email: str, password: str, role: str) -> None:
    """Create an account that can log in with EMAIL (a facilitator unless --role)."""
    with database().sessionmaker() as db:
        with refusals_as_errors():
            facilitator = auth.create_facilitator(db, email, password, role=role)
        click.echo(f"Created {role} {facilitator.email}.")


@facilitator_cli.command("set-password")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def set_password(email: str, password: str) -> None:
    """Give the facilitator EMAIL a new password."""
    with database().sessionmaker() as db:
        account = _account(db, email)
        with refusals_as_errors():
            auth.set_password(db, account, password)
        click.echo(f"Password changed for {account.email}.")
        click.echo("Every login of the account has ended: it must log in again.")


@facilitator_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(["facilitator", "researcher"]))
def set_role(email: str, role: str) -> None:
    """Make the account EMAIL a facilitator or a researcher (its logins end)."""
    with database().sessionmaker() as db:
        account = _account(db, email)
        if not auth.set_role(db, account, role):
            click.echo(f"{account.email} is already a {role}; nothing changed.")
            return
        click.echo(f"{account.email} is now a {role}; every login of the account has ended.")


@facilitator_cli.command("delete")
@click.argument("email")
@click.confirmation_option(prompt="Delete this account? Its logins end at once.")
def delete_account(email: str) -> None:
    """Delete the account EMAIL: its logins end and its open consoles are disconnected."""
    with database().sessionmaker() as db:
        account = _account(db, email)
        email = account.email
        auth.delete_account(db, account)
        click.echo(f"Deleted the account {email}; its sessions and plans stay.")


@db_cli.command("upgrade")
def upgrade() -> None:
    """Bring the database schema up to date (SQLite or PostgreSQL)."""
    upgrade_database(current_app.config["DATABASE_URL"])
    click.echo("Database is up to date.")


@session_cli.command("open")
@click.argument("plan_slug")
@click.option("--scenario", help="Key of the scenario the room assesses (default: the first).")
def open_session(plan_slug: str, scenario: str | None) -> None:
    """Open a live session of the plan PLAN_SLUG and print its join code (last line)."""
    from .plans import PlanInvalid
    from .plans.library import find_plan
    from .workshop import operations

    with database().sessionmaker() as db:
        try:
            plan = find_plan(current_app.config["PLANS_DIR"], plan_slug, db)
        except (LookupError, PlanInvalid) as error:
            raise click.ClickException(f"No valid plan {plan_slug!r}: {error}") from None
        if scenario is None and plan.scenarios:
            scenario = plan.scenarios[0].key
        with refusals_as_errors():
            session = operations.create_session(db, plan, None, scenario)
        click.echo(f"Opened a session of {plan.title!r}; participants join with the code:")
        click.echo(session.code)


@session_cli.command("list")
def list_sessions() -> None:
    """The most recent sessions: code, status, plan."""
    from .workshop.sessions import recent_sessions

    with database().sessionmaker() as db:
        for session in recent_sessions(db):
            created = session.created_at.strftime("%Y-%m-%d %H:%M")
            click.echo(f"{session.code}  {session.status:5}  {created}  {session.plan_title}")


@click.command("export")
@click.argument("code", required=False)
@click.option("--series", "series_id", type=SERIES_ID, help="Export every session of this series.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the export files into (created if missing).",
)
@click.option(
    "--format",
    "names",
    multiple=True,
    metavar="NAME",
    help="Only this format (repeatable): transcript-csv, transcript-json, participants, "
    "stages, responses, comments, notes, datapackage, report, qdpx, zip (or a file name "
    "such as responses.csv). Default: every file the zip holds.",
)
@with_appcontext
def export_session(code: str | None, series_id: int | None, out_dir: Path, names) -> None:
    """Export the session with join CODE (or a --series): the transcript, the tidy tables,
    datapackage.json, and the report and REFI-QDA project."""
    from .exports.common import series_sessions
    from .models import Series

    if (code is None) == (series_id is None):
        raise click.UsageError("Give a session's join CODE or --series ID (not both).")
    with database().sessionmaker() as db:
        if code is not None:
            session = session_by_code(db, code)
            if session is None:
                raise click.ClickException(f"No session with the code {code}.")
            sessions = [session]
        else:
            if db.get(Series, series_id) is None:
                raise click.ClickException(f"No series with the id {series_id}.")
            sessions = series_sessions(db, series_id)
        from .exports.formats import write_export

        try:
            paths = write_export(db, sessions, out_dir, names)
        except LookupError as unknown:
            raise click.ClickException(str(unknown.args[0])) from None
        for path in paths:
            click.echo(f"Wrote {path}")


def _grant_target(code: str | None, series_id: int | None) -> str:
    """What a grant or revoke names, as the command says it."""
    if (code is None) == (series_id is None):
        raise click.UsageError("Give either --session CODE or --series ID.")
    return f"session {code.strip().upper()}" if code is not None else f"series {series_id}"


@click.command("grant")
@click.argument("email")
@click.option("--session", "code", help="Join code of the session to grant.")
@click.option(
    "--series",
    "series_id",
    type=SERIES_ID,
    help="Id of the series to grant (all of its sessions).",
)
@with_appcontext
def grant(email: str, code: str | None, series_id: int | None) -> None:
    """Let the researcher EMAIL read a session or a series, and download its exports."""
    from .privacy import grants

    what = _grant_target(code, series_id)
    with database().sessionmaker() as db, refusals_as_errors():
        researcher = grants.researcher_by_email(db, email)
        if code is not None:
            _grant, new = grants.grant_session(db, researcher, code)
        else:
            _grant, new = grants.grant_series(db, researcher, series_id)
        if new:
            click.echo(f"{researcher.email} may now read {what}.")
        else:
            click.echo(f"{researcher.email} could already read {what}.")


@click.command("revoke")
@click.argument("email")
@click.option("--session", "code", help="Join code of the session to take back.")
@click.option("--series", "series_id", type=SERIES_ID, help="Id of the series to take back.")
@with_appcontext
def revoke(email: str, code: str | None, series_id: int | None) -> None:
    """Take back the researcher EMAIL's grant of a session or a series."""
    from .privacy import grants

    what = _grant_target(code, series_id)
    with database().sessionmaker() as db, refusals_as_errors():
        researcher = grants.researcher_by_email(db, email)
        grants.revoke(db, researcher, code=code, series_id=series_id)
        click.echo(f"{researcher.email} can no longer read {what}.")


@click.command("purge")
@click.option(
    "--keep-aggregates",
    is_flag=True,
    help="Keep each stage's aggregate counts (no participant text) before deleting.",
)
@click.option("--dry-run", is_flag=True, help="Say what would be deleted; delete nothing.")
@with_appcontext
def purge(keep_aggregates: bool, dry_run: bool) -> None:
    """Delete the raw data of ended sessions whose retention period has passed."""
    from .privacy import retention

    with database().sessionmaker() as db:
        done = retention.purge(db, keep_aggregates=keep_aggregates, dry_run=dry_run)
        for purged in done:
            click.echo(purged.describe(dry_run))
        sessions = f"{len(done)} session{'' if len(done) == 1 else 's'}"
        if dry_run:
            click.echo(f"Dry run: {sessions} due; nothing was deleted.")
        else:
            click.echo(f"Purged {sessions}.")


def register_commands(app: Flask) -> None:
    from .plans.cli import plan_cli

    for command in (facilitator_cli, db_cli, session_cli, plan_cli, export_session):
        app.cli.add_command(command)
    for command in (grant, revoke, purge):
        app.cli.add_command(command)
