"""A session of a plan with every activity type, played through the real operations:
answers of every kind, comments and statements with votes and moderation, notes, a
participant who allowed their name, one who did not, and one who withdrew (the scenario is
``tests/support/scenario.py``, shared with the privacy tests)."""

from __future__ import annotations

import pytest

from facilitation.extensions import socketio
from tests.factories import Workshop, log_in
from tests.support.scenario import ANSWERS, PLAN, Played, play

__all__ = ["ANSWERS", "PLAN", "Played", "login", "play", "produce", "read_csv"]


@pytest.fixture
def every(app, tmp_path) -> Workshop:
    path = tmp_path / "every-activity.yaml"
    path.write_text(PLAN)
    workshop = Workshop(app, socketio, path)
    yield workshop
    workshop.close()


@pytest.fixture
def played(every) -> Played:
    return play(every)


def read_csv(text: str) -> list[dict]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text)))


def produce(workshop, name: str, sessions=None) -> str | bytes:
    """One export format of the workshop's session (or the given sessions), whole."""
    from facilitation.exports import formats
    from facilitation.models import WorkshopSession

    with workshop.db() as db:
        chosen = sessions or [db.get(WorkshopSession, workshop.session_id)]
        chunks = list(formats.REGISTRY[name].produce(db, chosen))
    if all(isinstance(c, bytes) for c in chunks):
        return b"".join(chunks)
    return "".join(chunks)


def login(app, role: str = "facilitator"):
    """A test client logged in as a new account with ``role``; returns (client, account)."""
    import itertools

    from facilitation.auth import create_facilitator
    from facilitation.db import database

    global _accounts
    _accounts = globals().get("_accounts") or itertools.count(1)
    with database(app).sessionmaker() as db:
        account = create_facilitator(
            db, f"{role}{next(_accounts)}@example.org", "a-long-password", role=role
        )
        account_id = account.id
    client = app.test_client()
    log_in(app, client, account_id)
    return client, account_id
