"""Command line: ``flask --app facilitation facilitator|plan|export|db ...``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from . import auth
from .db import database
from .live.errors import Refused
from .live.sessions import session_by_code
from .migrations import upgrade_database

facilitator_cli = AppGroup("facilitator", help="Manage facilitator accounts.")
db_cli = AppGroup("db", help="Database migrations.")
session_cli = AppGroup("session", help="Open and list workshop sessions.")


@facilitator_cli.command("create")
@click.argument("email")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="At least 10 characters; asked for when not given.",
)
def create_facilitator(email: str, password: str) -> None:
    """Create a facilitator who can log in with EMAIL."""
    with database().sessionmaker() as db:
        try:
            facilitator = auth.create_facilitator(db, email, password)
        except Refused as refused:
            raise click.ClickException(refused.message) from None
        click.echo(f"Created facilitator {facilitator.email}.")


@facilitator_cli.command("set-password")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def set_password(email: str, password: str) -> None:
    """Give the facilitator EMAIL a new password."""
    with database().sessionmaker() as db:
        facilitator = auth.find_facilitator(db, email)
        if facilitator is None:
            raise click.ClickException(f"No facilitator with the email {email}.")
        try:
            auth.set_password(db, facilitator, password)
        except Refused as refused:
            raise click.ClickException(refused.message) from None
        click.echo(f"Password changed for {facilitator.email}.")


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
    from .live import operations
    from .plans import PlanInvalid
    from .plans.library import find_plan

    with database().sessionmaker() as db:
        try:
            plan = find_plan(current_app.config["PLANS_DIR"], plan_slug, db)
        except (LookupError, PlanInvalid) as error:
            raise click.ClickException(f"No valid plan {plan_slug!r}: {error}") from None
        if scenario is None and plan.scenarios:
            scenario = plan.scenarios[0].key
        try:
            session = operations.create_session(db, plan, None, scenario)
        except Refused as refused:
            raise click.ClickException(refused.message) from None
        click.echo(f"Opened a session of {plan.title!r}; participants join with the code:")
        click.echo(session.code)


@session_cli.command("list")
def list_sessions() -> None:
    """The most recent sessions: code, status, plan."""
    from .live.sessions import recent_sessions

    with database().sessionmaker() as db:
        for session in recent_sessions(db):
            created = session.created_at.strftime("%Y-%m-%d %H:%M")
            click.echo(f"{session.code}  {session.status:5}  {created}  {session.plan_title}")


@click.command("export")
@click.argument("code")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the export files into (created if missing).",
)
@with_appcontext
def export_session(code: str, out_dir: Path) -> None:
    """Export the session with join CODE: transcript.csv and transcript.json."""
    from .exports.transcript import write_transcripts

    with database().sessionmaker() as db:
        session = session_by_code(db, code)
        if session is None:
            raise click.ClickException(f"No session with the code {code}.")
        out_dir.mkdir(parents=True, exist_ok=True)
        for path in write_transcripts(db, session, out_dir):
            click.echo(f"Wrote {path}")


def register_commands(app: Flask) -> None:
    from .plans.cli import plan_cli

    for command in (facilitator_cli, db_cli, session_cli, plan_cli, export_session):
        app.cli.add_command(command)
