"""Command line: ``flask --app facilitation facilitator|plan|export|db ...``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import auth
from .db import database
from .live.errors import Refused
from .live.sessions import session_by_code
from .migrations import upgrade_database

facilitator_cli = AppGroup("facilitator", help="Manage facilitator accounts.")
db_cli = AppGroup("db", help="Database migrations.")


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


@click.command("export")
@click.argument("code")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the export files into (created if missing).",
)
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

    for command in (facilitator_cli, db_cli, plan_cli, export_session):
        app.cli.add_command(command)
