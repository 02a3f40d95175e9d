"""Fixtures for the fault-tolerance tests: an in-process app on any database URL, with a
short SQLite busy timeout so a held lock turns into "can't save" quickly."""

from __future__ import annotations

import uuid

import pytest

from facilitation.db import database, make_engine
from facilitation.extensions import socketio
from facilitation.migrations import upgrade_database
from tests.conftest import BUILTIN_PLAN, app_for
from tests.factories import Workshop

# Seconds a write waits on someone else's SQLite lock in these tests (30 in production).
BUSY_TIMEOUT = 0.3


@pytest.fixture
def make_app(tmp_path, monkeypatch):
    """Factory: ``make_app(database_url)`` is the app as tests/conftest.py's ``app`` makes it."""
    monkeypatch.setenv("FACILITATION_INSTANCE", str(tmp_path))
    made = []

    def make(database_url: str):
        app = app_for(database_url, DATABASE_BUSY_TIMEOUT=BUSY_TIMEOUT)
        made.append(app)
        return app

    yield make
    for app in made:
        database(app).engine.dispose()


@pytest.fixture
def make_workshop():
    """Factory: ``make_workshop(app)`` is a live session of the built-in plan."""
    made = []

    def make(app) -> Workshop:
        workshop = Workshop(app, socketio, BUILTIN_PLAN)
        made.append(workshop)
        return workshop

    yield make
    for workshop in made:
        workshop.close()


@pytest.fixture
def pg_schema(postgres_url):
    """A migrated schema of its own in the test database; dropped afterwards."""
    schema = f"fault_{uuid.uuid4().hex[:12]}"
    admin = make_engine(postgres_url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        upgrade_database(f"{postgres_url}?options=-csearch_path%3D{schema}")
        yield schema
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


# The browser fixtures (Chromium, phone and projector contexts, the live server) are the
# browser tests' own; the tests here that use them are marked `browser` themselves.
from tests.browser.conftest import (  # noqa: E402, F401
    artifacts_dir,
    browser,
    chromium_path,
    live_server,
    phone_context,
    playwright,
    projector_context,
)
