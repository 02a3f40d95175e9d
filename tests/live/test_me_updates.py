"""A phone hears its own table at once: when the facilitator moves a participant, or changes
the session's tables so that someone's table is gone, that participant's phone gets a `me`
message (the `sync` reply's `me`), and nobody else's does."""

from __future__ import annotations

import pytest

from facilitation.extensions import socketio
from facilitation.workshop import operations
from tests.factories import Workshop

PLAN = """\
title: Tables
description: A small plan with tables.
privacy_notice: We keep your sector and table.
sectors: [Health, Housing]
tables: [Table A, Table B]
stages:
  - {key: welcome, title: Welcome, prompt: Welcome, type: info, body: Hello.}
"""


@pytest.fixture
def tabled(app, tmp_path) -> Workshop:
    path = tmp_path / "tables.yaml"
    path.write_text(PLAN)
    workshop = Workshop(app, socketio, path, scenario=None)
    yield workshop
    workshop.close()


def seated_phone(workshop: Workshop, sector: str, table: str | None):
    with workshop.db() as db:
        person = operations.join(db, workshop.session_id, sector, None, table)
    return workshop.phone(sector, person)


def test_the_moved_participant_gets_me_with_the_new_table_and_others_nothing(tabled):
    facilitator = tabled.facilitator()
    moved = seated_phone(tabled, "Health", None)
    other = seated_phone(tabled, "Housing", "Table A")
    moved.received(), other.received()

    ack = facilitator.emit(
        "move_participant", {"pseudonym": moved.participant.pseudonym, "table": "Table B"}
    )
    assert ack["ok"]
    mine = moved.received("me")
    assert len(mine) == 1
    me = mine[0]
    assert me["table"] == "Table B"
    assert me["pseudonym"] == moved.participant.pseudonym
    assert me["sector"] == "Health" and me["withdrawn"] is False
    assert me == moved.emit("sync")["me"]  # the same dict as the sync reply's
    assert other.received("me") == []
    assert facilitator.received("me") == []

    # Taken off every table: told too.
    facilitator.emit("move_participant", {"pseudonym": moved.participant.pseudonym, "table": None})
    assert [m["table"] for m in moved.received("me")] == [None]
    assert other.received("me") == []


def test_new_tables_tell_only_those_whose_table_is_gone(tabled):
    facilitator = tabled.facilitator()
    at_a = seated_phone(tabled, "Health", "Table A")
    at_b = seated_phone(tabled, "Housing", "Table B")
    nowhere = seated_phone(tabled, "Housing", None)
    for phone in (at_a, at_b, nowhere):
        phone.received()

    assert facilitator.emit("set_tables", {"tables": ["Table A", "Window"]})["ok"]
    gone = at_b.received("me")
    assert [m["table"] for m in gone] == [None]
    assert at_a.received("me") == [] and nowhere.received("me") == []
