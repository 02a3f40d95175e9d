"""The series page's framework profiles: one workshop and one self-paced run of the built-in
plan, over HTTP: both pools' profiles side by side, the difference with its interval and
what it says, by sector with small sectors folded, each session's own row; a series of one
kind says what a comparison needs; and the recurring comments include the run's."""

from __future__ import annotations

import re

import pytest

from facilitation.auth import create_facilitator
from facilitation.db import database
from facilitation.exports.common import series_sessions
from facilitation.models import WorkshopSession
from facilitation.plans import load_plan
from facilitation.series import operations as series_ops
from facilitation.series.comparison import session_columns
from facilitation.series.profiles import compare_profiles
from facilitation.workshop import operations, payloads
from facilitation.workshop.profile import compute_profile, difference, session_answers
from tests.conftest import BUILTIN_PLAN
from tests.factories import log_in as sign_in
from tests.support.framework_room import framework_room

PLAN = load_plan(BUILTIN_PLAN)
# The workshop: four of Health, three of Housing, mostly met and rating high.
WORKSHOP = (["Health"] * 4 + ["Housing"] * 3, ["met"] * 5 + ["partly"] * 2, [5, 5, 4, 4, 4, 3, 4])
# The run: three of Health and two of Welfare (too few to show), mostly not met, rating low.
RUN = (["Health"] * 3 + ["Welfare"] * 2, ["not_met"] * 4 + ["partly"], [1, 2, 1, 2, 1])


def make_session(db, series_id: int, place: str, day: str, room, *, said: str = ""):
    session = operations.create_session(db, PLAN, None, PLAN.scenarios[0].key)
    series_ops.add_session(db, series_id, session.id, place, day)
    people = framework_room(db, PLAN, session.id, *room)
    if said:
        comment(db, session.id, people[0].id, said)
    return session


def make_run(db, session) -> None:
    """A self-paced run is a session with its pace set (a run made by the lead's operations
    is one from the start; the answers above went through the live operations first)."""
    db.get(WorkshopSession, session.id).pace = "self"
    db.commit()


def comment(db, session_id: int, person_id: int, text: str, key: str = "purposeful") -> None:
    operations.go_to_stage(db, session_id, PLAN.stage_index(key))
    operations.open_input(db, session_id)
    payload = payloads.CommentPayload(key, f"c-{session_id}-{person_id}", text)
    operations.post_comment(db, session_id, person_id, payload)


@pytest.fixture
def series(app):
    with database(app).sessionmaker() as db:
        account = create_facilitator(db, "lead@example.org", "a-long-password")
        made = series_ops.create_series(db, "Room and public", "", account.id)
        said = "Tenants must be told who sees their arrears."
        workshop = make_session(db, made.id, "Leeds", "2026-05-01", WORKSHOP, said=said)
        said = "People should be told who sees their arrears data."
        run = make_session(db, made.id, "Online", "2026-05-08", RUN, said=said)
        make_run(db, run)
        return {"series": made.id, "account": account.id, "workshop": workshop, "run": run}


def page(app, series) -> str:
    client = app.test_client()
    sign_in(app, client, series["account"])
    response = client.get(f"/facilitator/series/{series['series']}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def section(html: str) -> str:
    start = html.index('<section class="series-section profiles"')
    return html[start : html.index("</section>", start)]


def test_the_workshop_beside_the_run(app, series):
    with database(app).sessionmaker() as db:
        workshop = session_answers(db, db.get(WorkshopSession, series["workshop"].id))
        run = session_answers(db, db.get(WorkshopSession, series["run"].id))
    live, public = compute_profile(PLAN, workshop), compute_profile(PLAN, run)
    found = difference(PLAN, workshop, run)
    html = section(page(app, series))
    assert "Professionals in workshops vs the public online" in html
    assert "7 people, 1 session" in html and "5 people, 1 self-paced run" in html
    # Both pools drawn side by side, each score with its interval.
    figure = re.search(r"data-figure='([^']+)'", html).group(1)
    assert '"name": "Professionals in workshops"' in figure.replace("&#34;", '"')
    # The difference table: a row per test and feature and the acceptability score.
    rows = re.findall(r'<tr class="difference-(\w+)" data-stage="([^"]+)">(.*?)</tr>', html, re.S)
    assert [stage for _, stage, _ in rows] == [
        *PLAN.framework.tests,
        *(f.stage for f in PLAN.framework.features),
        "acceptability",
    ]
    purposeful = rows[0][2]
    # Workshop: 5 met, 2 partly of 7: (500 + 100) / 7 = 86; the run: 4 not met, 1 partly: 10.
    assert f'<strong class="score">{live.tests[0].score:.0f}</strong>' in purposeful
    assert live.tests[0].score == pytest.approx(600 / 7) and public.tests[0].score == 10
    d = found[0]
    assert f"<strong>{round(d.difference):+d}</strong>" in purposeful
    assert f"({round(d.interval.low):+d} to {round(d.interval.high):+d})" in purposeful
    # Every resample of the run scores at most 50 and of the workshop at least 50: below 0.
    assert (
        d.interval.high < 0 and "The public scored it lower; the interval excludes 0" in purposeful
    )
    acceptability = rows[-1][2]
    assert f"{round(found[-1].difference):+d}" in acceptability


def test_by_sector_folds_small_sectors(app, series):
    html = section(page(app, series))
    sectors = re.findall(r'<th scope="rowgroup"[^>]*>(.*?)</th>', html)
    # The workshop: Health 4 and Housing 3 both show. The run: Welfare's two are too few,
    # and the run's total minus Health would give them away, so its Health folds in with
    # them as "Other groups" (5); Welfare is named nowhere.
    assert sectors == ["Health", "Housing", "Other groups"]
    rows = dict(re.findall(r'<th scope="rowgroup"[^>]*>(.*?)</th>(.*?)</tbody>', html, re.S))
    first_row = rows["Health"].split("</tr>")[0]
    workshop_cell, public_cell = re.findall(r"<td>(.*?)</td>", first_row, re.S)
    assert 'class="score"' in workshop_cell and "n = 4" in workshop_cell
    assert "fewer than 3 people" in public_cell
    assert "n = 5" in rows["Other groups"] and "Welfare" not in html


def test_each_sessions_own_profile(app, series):
    html = section(page(app, series))
    workshop = re.search(
        rf'<tr data-session="{series["workshop"].code}">(.*?)</tr>', html, re.S
    ).group(1)
    run = re.search(rf'<tr data-session="{series["run"].code}">(.*?)</tr>', html, re.S).group(1)
    assert "Workshop" in workshop and "Self-paced run" in run
    assert workshop.count('class="score"') == 9 and "n = 7" in workshop


def test_a_small_session_is_withheld_in_its_pool(app, series):
    with database(app).sessionmaker() as db:
        small = make_session(
            db, series["series"], "York", "2026-05-15", (["Health"] * 2, ["met"] * 2, [5, 5])
        )
        sessions = series_sessions(db, series["series"])
        found = compare_profiles(db, session_columns(db, sessions))
    own = {entry.column.code: entry.profile for entry in found.sessions}
    # York's two people: withheld; and Leeds' too, or the workshops' pool minus Leeds
    # would give York's two away.
    assert all(t.withheld for t in own[small.code].tests)
    assert all(t.withheld for t in own[series["workshop"].code].tests)
    assert not any(t.withheld for t in own[series["run"].code].tests)
    assert found.live.profile.n == 9


def test_a_series_of_one_kind_says_what_a_comparison_needs(app):
    with database(app).sessionmaker() as db:
        account = create_facilitator(db, "solo@example.org", "a-long-password")
        made = series_ops.create_series(db, "Workshops only", "", account.id)
        make_session(db, made.id, "Leeds", "2026-05-01", WORKSHOP)
    html = section(page(app, {"series": made.id, "account": account.id}))
    assert "This series holds only workshops" in html
    assert "add a self-paced run of the same plan and scenario" in html
    assert 'class="difference-' not in html
    assert "profile-chart" in html  # each session's profile drawn


def test_recurring_comments_include_the_runs(app, series):
    html = page(app, series)
    recurring = html[html.index('id="stage-purposeful"') :].split("</section>")[0]
    assert "Came up in" in recurring
    chips = re.findall(r'<span class="session-chip">(.*?)</span>', recurring)
    assert chips == ["Leeds", "Online"]


def test_a_run_comment_awaiting_approval_does_not_recur(app, series):
    with database(app).sessionmaker() as db:
        from facilitation.models import Comment

        for found in db.query(Comment).filter_by(session_id=series["run"].id):
            found.hidden = found.awaiting = True  # as a run that moderates first holds it
        db.commit()
    html = page(app, series)
    recurring = html[html.index('id="stage-purposeful"') :].split("</section>")[0]
    assert "Came up in" not in recurring
