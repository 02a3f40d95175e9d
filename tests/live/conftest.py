"""Fixtures for tests that must hold on each database: ``on`` is a live session of the
built-in plan on SQLite and (marked ``services``) on PostgreSQL."""

from __future__ import annotations

import uuid

import pytest

from facilitation.db import database
from facilitation.extensions import socketio
from facilitation.migrations import upgrade_database
from tests.conftest import BUILTIN_PLAN, app_for
from tests.factories import Workshop
from tests.support.cluster import postgres_schema


@pytest.fixture
def pg_app(postgres_url, tmp_path, monkeypatch):
    """The app on a freshly migrated schema of its own in the test database."""
    monkeypatch.setenv("FACILITATION_INSTANCE", str(tmp_path))
    with postgres_schema(postgres_url, f"live_{uuid.uuid4().hex[:12]}") as url:
        upgrade_database(url)
        app = app_for(url)
        yield app
        database(app).engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def on(request) -> Workshop:
    """A live session of the built-in plan, on each database."""
    if request.param == "sqlite":
        return request.getfixturevalue("workshop")
    workshop = Workshop(request.getfixturevalue("pg_app"), socketio, BUILTIN_PLAN)
    request.addfinalizer(workshop.close)
    return workshop
