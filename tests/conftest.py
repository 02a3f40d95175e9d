"""Fixtures: an app on a fresh SQLite database per test, and factories for sessions,
facilitators and phones (participants with a Socket.IO connection)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from facilitation import create_app
from facilitation.db import database
from facilitation.extensions import socketio
from facilitation.migrations import upgrade_database
from tests import services
from tests.factories import Workshop

ROOT = Path(__file__).resolve().parent.parent
BUILTIN_PLAN = ROOT / "sessions" / "data-for-public-benefit.yaml"


def app_for(database_url: str, **settings):
    """The app as every test runs it, on DATABASE_URL; SETTINGS add to the config."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": database_url,
            "SOCKETIO_ASYNC_MODE": "threading",
            "BROADCAST_INTERVAL": 0,  # push every change at once: deterministic tests
            "WTF_CSRF_ENABLED": False,
            **settings,
        }
    )


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory) -> Path:
    """A database made by the real migrations once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade_database(f"sqlite:///{path}")
    return path


@pytest.fixture
def app(tmp_path, migrated_db, monkeypatch):
    monkeypatch.setenv("FACILITATION_INSTANCE", str(tmp_path))
    db_path = tmp_path / "app.db"
    shutil.copy(migrated_db, db_path)
    app = app_for(f"sqlite:///{db_path}")
    yield app
    database(app).engine.dispose()


@pytest.fixture
def db(app):
    with database(app).sessionmaker() as session:
        yield session


@pytest.fixture
def workshop(app) -> Workshop:
    """A live session of the built-in plan, with helpers to add a facilitator and phones."""
    workshop = Workshop(app, socketio, BUILTIN_PLAN)
    yield workshop
    workshop.close()


@pytest.fixture
def postgres_url() -> str:
    """The machine's PostgreSQL (TEST_POSTGRES_URL), or a skip outside CI."""
    return services.postgres_url()


@pytest.fixture
def redis_url() -> str:
    """The machine's Redis (TEST_REDIS_URL), or a skip outside CI."""
    return services.redis_url()
