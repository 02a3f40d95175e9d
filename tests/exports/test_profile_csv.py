"""profile.csv: the framework profile of a session of the built-in plan, row for row as
``session_profile`` computes it; described in datapackage.json and valid there; absent for
a plan without a framework; and kept through a purge that keeps aggregates."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import frictionless
import pytest

from facilitation.db import database
from facilitation.exports import formats
from facilitation.exports.formats import write_export
from facilitation.models import KeptAggregate, WorkshopSession
from facilitation.plans import parse_plan
from facilitation.privacy import retention
from facilitation.workshop import operations
from facilitation.workshop.profile import PROFILE_KEPT_KEY, session_profile
from tests.exports.conftest import produce, read_csv
from tests.support.framework_room import answer_framework, framework_room

# Four of Health and three of Housing: both sectors at least min_group_size (3).
SECTORS = ["Health"] * 4 + ["Housing"] * 3
LIGHTS = ["met", "met", "partly", "not_met", "partly", "not_met", "not_met"]
RATINGS = [5, 4, 4, 2, 3, 1, 2]
NO_FRAMEWORK = """\
title: Check-in
description: A small plan.
privacy_notice: We keep your answers for a week.
sectors: [Health]
stages:
  - key: mood
    title: Mood
    prompt: How is the day going?
    type: rating
    items: [Today]
"""


@pytest.fixture
def answered(workshop):
    with workshop.db() as db:
        framework_room(db, workshop.plan, workshop.session_id, SECTORS, LIGHTS, RATINGS)
    return workshop


def as_float(cell: str) -> float | None:
    return None if cell == "" else float(cell)


def test_profile_csv_is_the_sessions_profile(answered):
    rows = read_csv(produce(answered, "profile"))
    with answered.db() as db:
        profile = session_profile(db, answered.session())
    plan = answered.plan
    room = [row for row in rows if row["breakdown"] == "room"]
    # Three tests, five features and the acceptability score.
    assert [(r["part"], r["stage"]) for r in room] == [
        *(("test", key) for key in plan.framework.tests),
        *(("feature", f.stage) for f in plan.framework.features),
        ("acceptability", ""),
    ]
    assert {r["session"] for r in rows} == {answered.code}
    for row, test in zip(room[:3], profile.room.tests, strict=True):
        assert row["title"] == plan.stage(test.stage).title
        assert int(row["n"]) == test.n == 7
        assert as_float(row["score"]) == pytest.approx(test.score, abs=1e-4)
        assert as_float(row["ci_low"]) == pytest.approx(test.interval.low, abs=1e-4)
        assert as_float(row["ci_high"]) == pytest.approx(test.interval.high, abs=1e-4)
        assert as_float(row["share_met"]) == pytest.approx(2 / 7, abs=1e-4)
        assert row["median"] == "" and row["withheld"] == "false"
    # met 2, partly 2, not met 3: (200 + 100) / 7.
    assert as_float(room[0]["score"]) == pytest.approx(300 / 7, abs=1e-4)
    for row, feature in zip(room[3:8], profile.room.features, strict=True):
        assert as_float(row["score"]) == pytest.approx(feature.score, abs=1e-4)
        assert as_float(row["median"]) == pytest.approx(feature.median)
        assert as_float(row["q1"]) == pytest.approx(feature.q1)
        assert as_float(row["q3"]) == pytest.approx(feature.q3)
        assert row["share_met"] == ""
    # Ratings 5 4 4 2 3 1 2 on 1-5: 100 75 75 25 50 0 25, mean 350/7 = 50, every feature.
    assert as_float(room[3]["score"]) == pytest.approx(50.0)
    assert room[-1]["title"] == "Acceptability score"
    assert as_float(room[-1]["score"]) == pytest.approx(profile.room.acceptability.score)
    # By sector: Health and Housing, each with its own profile.
    health = [r for r in rows if r["breakdown"] == "sector" and r["group"] == "Health"]
    assert len(health) == 9
    assert as_float(health[0]["score"]) == pytest.approx(
        profile.by_sector.groups[0].profile.tests[0].score, abs=1e-4
    )
    # Nobody sits at a table: no table breakdown (it would be "No table yet", the room again).
    assert {r["breakdown"] for r in rows} == {"room", "sector"}


def seated(workshop, seats: list[tuple[str | None, str | None]]) -> None:
    """People join at (sector, table) and answer the framework (framework_room's answers)."""
    with workshop.db() as db:
        operations.set_tables(db, workshop.session_id, ["Table 1", "Table 2"])
        people = [
            operations.join(db, workshop.session_id, sector, table=table) for sector, table in seats
        ]
        answer_framework(db, workshop.plan, workshop.session_id, people, LIGHTS, RATINGS)


def groups(rows: list[dict]) -> dict[str, set]:
    """Each breakdown in ``rows`` with its groups."""
    found: dict[str, set] = {}
    for row in rows:
        found.setdefault(row["breakdown"], set()).add(row["group"])
    return found


def test_tables_show_when_people_sit_at_them(workshop):
    seated(workshop, [(s, "Table 1" if s == "Health" else "Table 2") for s in SECTORS])
    rows = read_csv(produce(workshop, "profile"))
    assert groups(rows) == {
        "room": {""},
        "sector": {"Health", "Housing"},
        "table": {"Table 1", "Table 2"},
    }


def test_no_sector_breakdown_when_nobody_gave_a_sector(workshop):
    seated(workshop, [(None, "Table 1")] * 4 + [(None, "Table 2")] * 3)
    rows = read_csv(produce(workshop, "profile"))
    assert groups(rows) == {"room": {""}, "table": {"Table 1", "Table 2"}}


def test_no_breakdown_of_other_groups_alone(workshop):
    # Two of each sector, fewer than min_group_size (3) each: by sector, "Other groups"
    # would hold all seven, the room again. Tables of four and three still show.
    sectors = ["Health", "Health", "Housing", "Housing", "Welfare", "Welfare", "Social care"]
    seated(workshop, [(s, "Table 1" if i < 4 else "Table 2") for i, s in enumerate(sectors)])
    with workshop.db() as db:
        profile = session_profile(db, workshop.session())
    assert [g.label for g in profile.by_sector.groups] == ["Other groups"]
    rows = read_csv(produce(workshop, "profile"))
    assert groups(rows) == {"room": {""}, "table": {"Table 1", "Table 2"}}


def test_profile_csv_is_in_the_data_package_and_valid(answered, tmp_path):
    with answered.db() as db:
        session = db.get(WorkshopSession, answered.session_id)
        paths = write_export(db, [session], tmp_path / "export")
    assert "profile.csv" in {path.name for path in paths}
    report = frictionless.validate(str(tmp_path / "export" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = frictionless.Package(str(tmp_path / "export" / "datapackage.json"))
    rows = package.get_table_resource("profile").read_rows()
    assert rows[0]["n"] == 7 and float(rows[0]["score"]) == pytest.approx(300 / 7, abs=1e-4)
    assert rows[0]["withheld"] is False
    described = {f.name for f in package.get_table_resource("profile").schema.fields}
    assert described == set(read_csv(produce(answered, "profile"))[0])


def test_a_plan_without_a_framework_has_no_profile_csv(app, tmp_path):
    plan = parse_plan(NO_FRAMEWORK, "check-in")
    with database(app).sessionmaker() as db:
        session = operations.create_session(db, plan, None)
        assert "profile" not in {f.name for f in formats.bundled(db, [session])}
        paths = write_export(db, [session], tmp_path / "export")
        descriptor = json.loads((tmp_path / "export" / "datapackage.json").read_text())
    assert "profile.csv" not in {path.name for path in paths}
    assert "profile" not in {resource["name"] for resource in descriptor["resources"]}


def test_a_purge_keeping_aggregates_keeps_the_profile(answered):
    before = produce(answered, "profile")
    with answered.db() as db:
        operations.end_session(db, answered.session_id)
        db.get(WorkshopSession, answered.session_id).ended_at = datetime(2025, 1, 1, tzinfo=UTC)
        db.commit()
        retention.purge(db, now=datetime(2026, 1, 1, tzinfo=UTC), keep_aggregates=True)
        kept = db.query(KeptAggregate).filter_by(stage_key=PROFILE_KEPT_KEY).one()
        assert kept.results["room"]["n"] == 7
    # The same rows, from what was kept: no participant is left to compute them from.
    assert produce(answered, "profile") == before
    # The kept counts' own file lists stages only.
    kept_rows = read_csv(produce(answered, "kept-aggregates"))
    assert kept_rows and PROFILE_KEPT_KEY not in {row["stage"] for row in kept_rows}


def test_a_purge_without_aggregates_leaves_no_profile(answered):
    with answered.db() as db:
        operations.end_session(db, answered.session_id)
        db.get(WorkshopSession, answered.session_id).ended_at = datetime(2025, 1, 1, tzinfo=UTC)
        db.commit()
        retention.purge(db, now=datetime(2026, 1, 1, tzinfo=UTC))
    rows = read_csv(produce(answered, "profile"))
    assert rows == []
