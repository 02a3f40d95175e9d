"""The first facilitator account when several workers start at once on an empty database
(facilitation/first_run.py): one creates it, the others say so instead of crashing."""

from __future__ import annotations

from sqlalchemy import func, select

from facilitation.auth import create_facilitator
from facilitation.db import database
from facilitation.models import Facilitator
from facilitation.server import first_run


def accounts(app) -> list[str]:
    with database(app).sessionmaker() as db:
        return list(db.scalars(select(Facilitator.email)))


def test_the_first_worker_creates_the_account_and_shows_its_password(app):
    message = first_run.first_login(app)
    assert message.startswith(f"First run: log in as {first_run.FIRST_EMAIL} with password ")
    assert accounts(app) == [first_run.FIRST_EMAIL]
    assert first_run.first_login(app).startswith("Log in with your facilitator account")


def test_a_worker_that_loses_the_race_says_so_and_keeps_running(app, monkeypatch):
    # The other worker's insert lands between this worker's count (0) and its insert.
    with database(app).sessionmaker() as db:
        create_facilitator(db, first_run.FIRST_EMAIL, "the-other-workers-password")
    answers = [0]  # what this worker's first count saw, before the other's commit
    real_count = first_run.facilitator_count
    monkeypatch.setattr(
        first_run, "facilitator_count", lambda db: answers.pop() if answers else real_count(db)
    )
    message = first_run.first_login(app)
    assert "another worker created admin@localhost" in message
    assert "password" in message and "the-other-workers-password" not in message
    with database(app).sessionmaker() as db:
        assert db.scalar(select(func.count()).select_from(Facilitator)) == 1
