"""Series operations: the same-plan rule, membership, and when a series may be deleted."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from facilitation.auth import create_facilitator
from facilitation.models import Grant, Series, WorkshopSession
from facilitation.plans import load_plan, parse_plan
from facilitation.series import operations as series
from facilitation.series.operations import Invalid
from facilitation.workshop import operations
from tests.conftest import BUILTIN_PLAN

OTHER_PLAN = """\
title: Quick check-in
description: A small plan.
privacy_notice: We keep your answers for a week.
sectors: [Health, Housing]
stages:
  - key: mood
    title: Mood
    prompt: How is the day going?
    type: rating
    items: [Today]
"""


@pytest.fixture
def plan():
    return load_plan(BUILTIN_PLAN)


def new_session(db, plan) -> WorkshopSession:
    return operations.create_session(
        db, plan, None, plan.scenarios[0].key if plan.scenarios else None
    )


def test_create_rename_and_validate(db):
    made = series.create_series(db, "  Data   sharing 2025 ", "Six areas.\r\nTwo lines.")
    assert made.title == "Data sharing 2025"
    assert made.description == "Six areas.\nTwo lines."
    with pytest.raises(Invalid) as refused:
        series.create_series(db, "   ")
    assert refused.value.field == "title"
    with pytest.raises(Invalid) as refused:
        series.create_series(db, "x" * 201)
    assert "200 characters" in refused.value.message
    with pytest.raises(Invalid) as refused:
        series.create_series(db, "Fine", "d" * 2001)
    assert refused.value.field == "description"

    series.rename_series(db, made.id, "Workshops 2025")
    db.expire_all()
    renamed = db.get(Series, made.id)
    assert (renamed.title, renamed.description) == ("Workshops 2025", "Six areas.\nTwo lines.")
    series.rename_series(db, made.id, "Workshops 2025", "")
    assert db.get(Series, made.id).description == ""
    with pytest.raises(Invalid):
        series.rename_series(db, made.id, "")
    assert db.get(Series, made.id).title == "Workshops 2025"


def test_add_session_with_place_and_date(db, plan):
    made = series.create_series(db, "Workshops")
    session = new_session(db, plan)
    series.add_session(db, made.id, session.id, " Leeds ", "2025-06-12")
    db.expire_all()
    stored = db.get(WorkshopSession, session.id)
    assert (stored.series_id, stored.place, stored.held_on) == (made.id, "Leeds", date(2025, 6, 12))
    # Adding it again updates its place and date.
    series.add_session(db, made.id, session.id, "Leeds (Civic Hall)", date(2025, 6, 13))
    db.expire_all()
    stored = db.get(WorkshopSession, session.id)
    assert (stored.place, stored.held_on) == ("Leeds (Civic Hall)", date(2025, 6, 13))


@pytest.mark.parametrize(
    ("place", "held_on", "field", "words"),
    [
        ("", "2025-06-12", "place", "Say where"),
        ("Leeds", "", "held_on", "Give the date"),
        ("Leeds", "12/06/2025", "held_on", "day, month and year"),
        ("L" * 201, "2025-06-12", "place", "200 characters"),
    ],
)
def test_add_session_refuses_a_bad_place_or_date(db, plan, place, held_on, field, words):
    made = series.create_series(db, "Workshops")
    session = new_session(db, plan)
    with pytest.raises(Invalid) as refused:
        series.add_session(db, made.id, session.id, place, held_on)
    assert refused.value.field == field
    assert words in refused.value.message
    db.expire_all()
    assert db.get(WorkshopSession, session.id).series_id is None


def test_a_series_holds_sessions_of_one_plan(db, plan):
    made = series.create_series(db, "Workshops")
    first = new_session(db, plan)
    other = operations.create_session(db, parse_plan(OTHER_PLAN, "check-in"), None)
    assert series.series_plan(db, made.id) is None
    series.add_session(db, made.id, first.id, "Leeds", "2025-06-12")
    assert series.series_plan(db, made.id) == (plan.slug, plan.title)

    with pytest.raises(Invalid) as refused:
        series.add_session(db, made.id, other.id, "Bristol", "2025-06-19")
    message = refused.value.message
    assert refused.value.field == "session"
    assert f"Session {other.code} runs the plan “Quick check-in” (check-in)" in message
    assert f"“{plan.title}” ({plan.slug})" in message
    assert "one plan only" in message
    db.expire_all()
    assert db.get(WorkshopSession, other.id).series_id is None

    # Another session of the same plan joins.
    second = new_session(db, plan)
    series.add_session(db, made.id, second.id, "Bristol", "2025-06-19")

    # An empty series takes a session of any plan.
    empty = series.create_series(db, "Check-ins")
    series.add_session(db, empty.id, other.id, "Online", "2025-07-01")
    assert series.series_plan(db, empty.id) == ("check-in", "Quick check-in")


def test_a_session_belongs_to_one_series(db, plan):
    first, second = series.create_series(db, "First"), series.create_series(db, "Second")
    session = new_session(db, plan)
    series.add_session(db, first.id, session.id, "Leeds", "2025-06-12")
    with pytest.raises(Invalid) as refused:
        series.add_session(db, second.id, session.id, "Leeds", "2025-06-12")
    assert "already in the series “First”" in refused.value.message
    assert "remove it from that series first" in refused.value.message

    series.remove_session(db, first.id, session.id)
    db.expire_all()
    removed = db.get(WorkshopSession, session.id)
    # Out of the series; where and when it was held stay with the session.
    assert (removed.series_id, removed.place, removed.held_on) == (
        None,
        "Leeds",
        date(2025, 6, 12),
    )
    with pytest.raises(Invalid) as refused:
        series.remove_session(db, first.id, session.id)
    assert "not in this series" in refused.value.message
    series.add_session(db, second.id, session.id, "Leeds", "2025-06-12")


def test_only_an_empty_series_is_deleted_with_its_grants(db, plan):
    made = series.create_series(db, "Workshops")
    researcher = create_facilitator(db, "r@example.org", "a-long-password", role="researcher")
    db.add(Grant(researcher_id=researcher.id, series_id=made.id))
    db.commit()
    session = new_session(db, plan)
    series.add_session(db, made.id, session.id, "Leeds", "2025-06-12")

    with pytest.raises(Invalid) as refused:
        series.delete_series(db, made.id)
    assert "still holds 1 session" in refused.value.message
    assert db.get(Series, made.id) is not None

    series.remove_session(db, made.id, session.id)
    series.delete_series(db, made.id)
    db.expire_all()
    assert db.get(Series, made.id) is None
    assert db.scalars(select(Grant)).all() == []
    assert db.get(WorkshopSession, session.id) is not None  # sessions are never deleted
    with pytest.raises(Invalid) as refused:
        series.delete_series(db, made.id)
    assert "does not exist" in refused.value.message


def test_membership_is_not_written_to_the_session_log(db, plan):
    made = series.create_series(db, "Workshops")
    session = new_session(db, plan)
    before = db.get(WorkshopSession, session.id).last_seq
    series.add_session(db, made.id, session.id, "Leeds", "2025-06-12")
    series.remove_session(db, made.id, session.id)
    db.expire_all()
    assert db.get(WorkshopSession, session.id).last_seq == before
