"""The report's framework profile: its figure and table carry the room's scores, intervals
and n as ``compute_profile`` gives them, with the method; the same twice; as kept after a
purge; and a series' sessions pooled."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from facilitation.exports.report import report_html
from facilitation.models import WorkshopSession
from facilitation.privacy import retention
from facilitation.workshop import operations
from facilitation.workshop.profile import SEED, compute_profile, pool, session_answers
from tests.exports.test_report import figures, without_plotly
from tests.support.framework_room import framework_room

SECTORS = ["Health"] * 4 + ["Housing"] * 3
LIGHTS = ["met", "met", "partly", "not_met", "partly", "not_met", "not_met"]
RATINGS = [5, 4, 4, 2, 3, 1, 2]
SECTION = re.compile(r'<section class="stage profile" id="framework-profile".*?</section>', re.S)
ROW = re.compile(
    r'<tr class="profile-(\w+)">\s*<th scope="row">(.*?)</th>\s*<td class="num">(\d+)</td>\s*'
    r'<td class="num">(.*?)</td>\s*<td class="num">(.*?)</td>',
    re.S,
)


def report(workshop, sessions=None) -> str:
    with workshop.db() as db:
        chosen = sessions or [db.get(WorkshopSession, workshop.session_id)]
        return without_plotly("".join(report_html(db, chosen)))


def profile_section(document: str) -> str:
    found = SECTION.search(document)
    assert found, "no framework profile in the report"
    return found.group(0)


@pytest.fixture
def answered(workshop):
    with workshop.db() as db:
        framework_room(db, workshop.plan, workshop.session_id, SECTORS, LIGHTS, RATINGS)
    return workshop


def test_the_report_shows_the_rooms_profile(answered):
    document = report(answered)
    section = profile_section(document)
    with answered.db() as db:
        profile = compute_profile(answered.plan, session_answers(db, answered.session()))
    rows = ROW.findall(section)
    assert [part for part, *_ in rows] == ["test"] * 3 + ["feature"] * 5 + ["acceptability"]
    scores = [*profile.tests, *profile.features, profile.acceptability]
    for (_, _title, n, score, interval), expected in zip(rows, scores, strict=True):
        assert int(n) == expected.n == 7
        assert score == f"{expected.score:.0f}"
        assert interval == f"{expected.interval.low:.0f} to {expected.interval.high:.0f}"
    assert rows[0][1] == "Test 1: Purposeful" and "Acceptability score" in rows[-1][1]
    # met 2, partly 2, not met 3 of 7: 300/7 = 43; shares in the detail.
    assert rows[0][3] == "43" and "met 29% · partly 29% · not met 43%" in section
    assert f'class="acceptability">{profile.acceptability.score:.0f} (95 % interval' in section
    # The method, with the seed that makes it reproducible, and where the formulas are.
    assert f"fixed seed {SEED}" in section and "docs/framework.md" in section
    # The figure: one bar per score, its interval as an error bar.
    (figure,) = (f for f in figures(section).values())
    bars = figure["data"][0]
    assert bars["x"] == [round(s.score, 1) for s in scores]
    assert bars["error_x"]["array"][0] == pytest.approx(
        profile.tests[0].interval.high - profile.tests[0].score
    )
    assert figure["layout"]["xaxis"]["range"] == [0, 100]
    assert '<a href="#framework-profile">Framework profile</a>' in document
    # The plan's profile stage points there rather than drawing the profile a second time.
    stage = document.split('data-stage="verdict"')[1].split("</section>")[0]
    assert 'class="profile-stage"' in stage and 'href="#framework-profile"' in stage
    assert 'class="chart"' not in stage and "<table" not in stage
    assert document.count('class="acceptability"') == 1
    # Made twice, the same numbers (the seed is fixed).
    assert profile_section(report(answered)) == section


def test_no_profile_section_without_answers(workshop):
    document = report(workshop)
    assert 'id="framework-profile"' not in document
    assert 'href="#framework-profile"' not in document
    assert "no one answered the framework’s stages" in document


def test_a_purged_session_shows_the_profile_kept(answered):
    before = ROW.findall(profile_section(report(answered)))
    with answered.db() as db:
        operations.end_session(db, answered.session_id)
        db.get(WorkshopSession, answered.session_id).ended_at = datetime(2025, 1, 1, tzinfo=UTC)
        db.commit()
        retention.purge(db, now=datetime(2026, 1, 1, tzinfo=UTC), keep_aggregates=True)
    section = profile_section(report(answered))
    assert "as kept when the raw data was deleted" in section
    assert ROW.findall(section) == before


def test_a_series_report_pools_its_sessions(answered):
    with answered.db() as db:
        first = db.get(WorkshopSession, answered.session_id)
        second = operations.create_session(db, answered.plan, None, answered.plan.scenarios[0].key)
        framework_room(db, answered.plan, second.id, ["Health"] * 3, ["met"] * 3, [5] * 3)
        pooled = compute_profile(
            answered.plan, pool([session_answers(db, first), session_answers(db, second)])
        )
        sessions = [first, db.get(WorkshopSession, second.id)]
        document = without_plotly("".join(report_html(db, sessions)))
    section = profile_section(document)
    assert "Everyone in the 2 sessions with their answers kept, pooled" in section
    rows = ROW.findall(section)
    assert int(rows[0][2]) == pooled.tests[0].n == 10
    assert rows[0][3] == f"{pooled.tests[0].score:.0f}"  # (300/7 x 7 + 300) / 10 = 60
    assert rows[0][3] == "60"
