"""A self-paced run's facilitator pages over HTTP: publishing (dates, time zone, settings,
who may take part), the dashboard's numbers against a run made by hand, moderation,
closing and extending, invitations (the sheet and the CSV), and who may do what."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from facilitation import clock
from facilitation.db import database
from facilitation.extensions import socketio
from facilitation.models import Comment, Event, Invitation, WorkshopSession
from facilitation.workshop import operations, run_operations, runs
from facilitation.workshop.payloads import AnswerPayload, CommentPayload
from tests.conftest import BUILTIN_PLAN
from tests.factories import Run, client_id
from tests.privacy.test_researchers import login_as

SLUG = "data-for-public-benefit"


@pytest.fixture
def facilitator(app):
    return login_as(app, "facilitator")


@pytest.fixture
def run(app):
    made = Run(app, socketio, BUILTIN_PLAN)
    yield made
    made.close()


def later(days: float = 0, hours: float = 0) -> datetime:
    return clock.now() + timedelta(days=days, hours=hours)


def publish_form(**changes) -> dict:
    opens, closes = later(hours=2), later(days=10)
    form = {
        "plan": SLUG,
        "scenario": "arrears-health",
        "zone": "UTC",
        "opens_date": opens.date().isoformat(),
        "opens_time": opens.strftime("%H:%M"),
        "closes_date": closes.date().isoformat(),
        "closes_time": closes.strftime("%H:%M"),
        "results": "1",
        "comments": "1",
        "approve_comments": "1",
        "profile": "1",
        "access": "anyone",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def runs_in(app) -> list[WorkshopSession]:
    with database(app).sessionmaker() as db:
        return list(db.scalars(select(WorkshopSession).where(WorkshopSession.pace == "self")))


# Publishing ------------------------------------------------------------------------------


def test_the_dashboard_offers_a_run_prefilled_from_the_plan(facilitator):
    page = facilitator.get("/facilitator/").get_data(as_text=True)
    assert "Self-paced run (online consultation)" in page
    assert 'action="/facilitator/runs"' in page
    assert "Times are in" in page and "UTC" in page
    # The built-in plan leaves self_paced: at its defaults: every setting ticked.
    form = page.split('action="/facilitator/runs"', 1)[1].split("</form>", 1)[0]
    for name in ("results", "comments", "approve_comments", "profile"):
        assert re.search(rf'name="{name}" value="1" checked', form), name
    # The legend speaks of the plan, not of its YAML.
    assert "(as the plan sets them)" in form and "self_paced:" not in form


def test_publishing_a_run_goes_to_its_dashboard(app, facilitator):
    answer = facilitator.post(
        "/facilitator/runs", data=publish_form(comments=None, access="invitation")
    )
    assert answer.status_code == 302
    (run,) = runs_in(app)
    assert answer.headers["Location"].endswith(f"/facilitator/runs/{run.code}")
    settings = runs.RunSettings.of(run)
    assert settings.comments is False and settings.results is True
    assert settings.invitation_only is True
    assert run.scenario_key == "arrears-health"
    page = facilitator.get(f"/facilitator/runs/{run.code}").get_data(as_text=True)
    assert "Scheduled" in page and "Invitation codes only" in page


def test_times_are_read_in_the_zone_the_form_names(app, facilitator):
    # 1 July in London is summer time (UTC+1), 1 December is not: each date its own offset.
    year = clock.now().year + 1
    form = publish_form(
        zone="Europe/London",
        opens_date=f"{year}-07-01",
        opens_time="09:00",
        closes_date=f"{year}-12-01",
        closes_time="09:00",
    )
    assert facilitator.post("/facilitator/runs", data=form).status_code == 302
    (run,) = runs_in(app)
    assert clock.aware(run.opens_at) == datetime(year, 7, 1, 8, 0, tzinfo=UTC)
    assert clock.aware(run.closes_at) == datetime(year, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"opens_date": ""}, "opens", "Enter a date."),
        ({"closes_time": ""}, "closes", "Enter a time."),
        ({"opens_date": "1 March"}, "opens", "year-month-day"),
        ({"closes_time": "25:99"}, "closes", "hours:minutes"),
        ({"closes_date": "2020-01-01"}, "closes", "must be after the opening date"),
        ({"zone": "Mars/Olympus"}, "zone", "is not known"),
        ({"scenario": "nowhere"}, "scenario", "not in this plan"),
        ({"access": "everyone"}, "access", "Choose who may take part"),
        ({"plan": "no-such-plan"}, "plan", "There is no plan"),
    ],
)
def test_a_bad_field_is_refused_with_its_reason_and_nothing_lost(
    app, facilitator, changes, field, message
):
    form = publish_form(comments=None, **changes)
    answer = facilitator.post("/facilitator/runs", data=form)
    assert answer.status_code == 400, field
    page = answer.get_data(as_text=True)
    assert message in page
    assert "The run was not published" in page
    assert runs_in(app) == []
    if field != "plan":
        # The form comes back open, as it was typed: the unticked setting stays unticked.
        run_form = page.split('action="/facilitator/runs"', 1)[1].split("</form>", 1)[0]
        assert 'name="comments" value="1" checked' not in run_form
        assert 'name="results" value="1" checked' in run_form
        if field != "zone":
            assert f'value="{form["closes_time"]}"' in run_form


def test_a_run_longer_than_a_year_is_refused(app, facilitator):
    far = later(days=400)
    answer = facilitator.post(
        "/facilitator/runs", data=publish_form(closes_date=far.date().isoformat())
    )
    assert answer.status_code == 400
    assert "at most 366 days" in answer.get_data(as_text=True)
    assert runs_in(app) == []


# The dashboard's numbers -----------------------------------------------------------------


def _answer(db, run, person, stage, value):
    index = run.plan.stage_index(stage)
    for step in range(1, index + 1):
        run_operations.pace_to(db, run.session_id, person.id, step)
    operations.record_answer(
        db, run.session_id, person.id, AnswerPayload(stage, client_id(), value)
    )


def make_hand_run(run):
    """Four people: A answered Purposeful and Proportionate, B Purposeful only, C stopped
    at the scenario card, D withdrew after answering; one comment awaits approval."""
    people = [run.join("Health"), run.join("Housing"), run.join("Welfare"), run.join("Health")]
    a, b, c, d = people
    with run.db() as db:
        _answer(db, run, a, "purposeful", {"lights": {"purposeful": "met"}})
        _answer(db, run, a, "proportionate", {"lights": {"proportionate": "partly"}})
        _answer(db, run, b, "purposeful", {"lights": {"purposeful": "not_met"}})
        run_operations.pace_to(db, run.session_id, c.id, 1)
        run_operations.pace_to(db, run.session_id, c.id, 2)
        _answer(db, run, d, "purposeful", {"lights": {"purposeful": "met"}})
        operations.withdraw(db, run.session_id, d.id)
        operations.post_comment(
            db, run.session_id, b.id, CommentPayload("purposeful", client_id(), "<b>Too vague</b>")
        )
    return people


def test_the_numbers_match_a_run_made_by_hand(app, run, facilitator):
    make_hand_run(run)
    data = facilitator.get(f"/facilitator/runs/{run.code}/statistics.json").get_json()
    assert data["status"] == "open"
    assert data["joined"] == 3  # D withdrew
    assert data["finished"] == 0
    assert data["awaiting"] == 1
    stages = {stage["key"]: stage for stage in data["stages"]}
    assert stages["welcome"]["answered"] is None  # a card asks nothing
    assert stages["sector"]["answered"] == 3  # answered at join
    assert stages["purposeful"]["answered"] == 2
    assert stages["purposeful"]["share"] == 67
    assert stages["proportionate"]["answered"] == 1
    assert stages["responsible"]["answered"] == 0
    # Drop-off: C stopped at the scenario, B at Purposeful, A at Proportionate.
    stopped = {key: stage["stopped"] for key, stage in stages.items() if stage["stopped"]}
    assert stopped == {"scenario": 1, "purposeful": 1, "proportionate": 1}
    # Over time: four joins (D's too: the log keeps that they joined), and six answers:
    # three sectors given at joining, A's two and B's one (a withdrawal deletes D's).
    assert data["timeline"]["unit"] == "hour"
    assert data["timeline"]["total_joins"] == 4
    assert data["timeline"]["total_answers"] == 6
    figure = data["timeline"]["figure"]
    assert sum(figure["data"][0]["y"]) == 6 and sum(figure["data"][1]["y"]) == 4
    # The page shows the same numbers without a script.
    page = facilitator.get(f"/facilitator/runs/{run.code}").get_data(as_text=True)
    assert re.search(r'data-stat="joined">3<', page)
    row = page.split('data-stage="3"', 1)[1].split("</tr>", 1)[0]
    assert "Test 1: Purposeful" in row and ">2<" in row and "67 %" in row


@pytest.mark.services
def test_the_numbers_on_postgresql(postgres_url, tmp_path, monkeypatch):
    """The hourly buckets are the database's own SQL (date_trunc on PostgreSQL)."""
    import uuid

    from facilitation.migrations import upgrade_database
    from tests.conftest import app_for
    from tests.support.cluster import postgres_schema

    monkeypatch.setenv("FACILITATION_INSTANCE", str(tmp_path))
    with postgres_schema(postgres_url, f"runs_{uuid.uuid4().hex[:12]}") as url:
        upgrade_database(url)
        pg = app_for(url)
        made = Run(pg, socketio, BUILTIN_PLAN)
        try:
            make_hand_run(made)
            data = login_as(pg, "facilitator").get(f"/facilitator/runs/{made.code}/statistics.json")
            data = data.get_json()
            assert (data["joined"], data["awaiting"]) == (3, 1)
            assert data["timeline"]["total_joins"] == 4
            assert data["timeline"]["total_answers"] == 6
            figure = data["timeline"]["figure"]
            assert sum(figure["data"][1]["y"]) == 4
            assert all(x.endswith(":00:00+00:00") for x in figure["data"][1]["x"])  # whole hours
        finally:
            made.close()
            database(pg).engine.dispose()


def test_the_timeline_buckets_by_day_for_a_long_run(app, facilitator):
    made = Run(app, socketio, BUILTIN_PLAN, opens_at=clock.now() - timedelta(days=5))
    try:
        made.join()
        data = facilitator.get(f"/facilitator/runs/{made.code}/statistics.json").get_json()
        assert data["timeline"]["unit"] == "day"
        assert len(data["timeline"]["figure"]["data"][0]["x"]) == 6  # five days ago to today
        assert sum(data["timeline"]["figure"]["data"][1]["y"]) == 1
    finally:
        made.close()


def test_early_in_a_run_the_axis_spans_only_its_hours_and_the_joins_show(app, run, facilitator):
    from datetime import datetime

    run.join()
    data = facilitator.get(f"/facilitator/runs/{run.code}/statistics.json").get_json()
    figure = data["timeline"]["figure"]
    start, end = (datetime.fromisoformat(x) for x in figure["layout"]["xaxis"]["range"])
    # Opened an hour ago: a few hours of axis, not a day with the data squeezed at the left.
    assert end - start <= timedelta(hours=5)
    joins = figure["data"][1]
    assert sum(joins["y"]) == 1 and joins["marker"]["size"] >= 10  # visible on its bar
    page = facilitator.get(f"/facilitator/runs/{run.code}").get_data(as_text=True)
    assert "those who withdrew are not in it, but the chart below keeps that they joined" in page


def test_the_profile_so_far(app, run, facilitator):
    make_hand_run(run)
    page = facilitator.get(f"/facilitator/runs/{run.code}").get_data(as_text=True)
    # The dashboard links to it (its script puts it in place): it takes seconds at 20,000.
    assert f'href="/facilitator/runs/{run.code}/profile"' in page
    assert f'data-profile="/facilitator/runs/{run.code}/profile?part=1"' in page
    part = facilitator.get(f"/facilitator/runs/{run.code}/profile?part=1").get_data(as_text=True)
    assert "<html" not in part and 'id="profile-chart"' in part
    page = facilitator.get(f"/facilitator/runs/{run.code}/profile").get_data(as_text=True)
    assert "Framework profile so far" in page and "<html" in page
    profile = page.split('class="run-profile"', 1)[1].split("</table>", 1)[0]
    # A met and B not met on Purposeful: 50 of 100.
    row = profile.split("Test 1: Purposeful", 1)[1].split("</tr>", 1)[0]
    assert ">50<" in row


# Moderation ------------------------------------------------------------------------------


def _comment(app, run) -> Comment:
    with database(app).sessionmaker() as db:
        return db.scalar(select(Comment).where(Comment.session_id == run.session_id))


def test_the_queue_shows_waiting_comments_escaped_oldest_first(app, run, facilitator):
    make_hand_run(run)
    page = facilitator.get(f"/facilitator/runs/{run.code}").get_data(as_text=True)
    queue = page.split('class="queue"', 1)[1].split("</ol>", 1)[0]
    assert "&lt;b&gt;Too vague&lt;/b&gt;" in queue and "<b>Too vague" not in queue
    assert "Test 1: Purposeful" in queue


@pytest.mark.parametrize("decision, hidden", [("approve", False), ("reject", True)])
def test_approve_and_reject(app, run, facilitator, decision, hidden):
    make_hand_run(run)
    comment = _comment(app, run)
    answer = facilitator.post(
        f"/facilitator/runs/{run.code}/moderate",
        data={"comment": str(comment.id), "decision": decision},
    )
    assert answer.status_code == 303
    after = _comment(app, run)
    assert (after.awaiting, after.hidden) == (False, hidden)
    page = facilitator.get(f"/facilitator/runs/{run.code}").get_data(as_text=True)
    assert "Too vague" not in page.split('id="moderation"', 1)[1].split("</section>", 1)[0]


def test_moderating_a_comment_of_another_session_is_refused(app, run, workshop, facilitator):
    make_hand_run(run)
    comment = _comment(app, run)
    other = Run(app, socketio, BUILTIN_PLAN)
    try:
        facilitator.post(
            f"/facilitator/runs/{other.code}/moderate",
            data={"comment": str(comment.id), "decision": "approve"},
        )
        assert _comment(app, run).awaiting is True
        answer = facilitator.post(
            f"/facilitator/runs/{run.code}/moderate", data={"comment": "x", "decision": "approve"}
        )
        assert answer.status_code == 303 and _comment(app, run).awaiting is True
    finally:
        other.close()


# Closing and extending -------------------------------------------------------------------


def test_close_needs_the_confirmation(app, run, facilitator):
    answer = facilitator.post(f"/facilitator/runs/{run.code}/close", data={})
    assert answer.status_code == 303
    assert run.session().status == "live"
    facilitator.post(f"/facilitator/runs/{run.code}/close", data={"confirm": "1"})
    assert run.session().status == "ended"
    data = facilitator.get(f"/facilitator/runs/{run.code}/statistics.json").get_json()
    assert data["status"] == "closed"


def test_extend_moves_the_closing_date_and_reopens_a_closed_run(app, run, facilitator):
    facilitator.post(f"/facilitator/runs/{run.code}/close", data={"confirm": "1"})
    new = later(days=20)
    answer = facilitator.post(
        f"/facilitator/runs/{run.code}/extend",
        data={
            "closes_date": new.date().isoformat(),
            "closes_time": "10:30",
            "zone": "UTC",
        },
    )
    assert answer.status_code == 303
    session = run.session()
    assert session.status == "live"
    assert clock.aware(session.closes_at) == datetime.combine(
        new.date(), datetime.min.time(), tzinfo=UTC
    ).replace(hour=10, minute=30)


@pytest.mark.parametrize(
    "form, message",
    [
        ({"closes_date": "2020-01-01", "closes_time": "10:00", "zone": "UTC"}, "must be after"),
        ({"closes_date": "", "closes_time": "10:00", "zone": "UTC"}, "Enter a date."),
        ({"closes_date": "2030-01-01", "closes_time": "10:00", "zone": "Nowhere"}, "not known"),
    ],
)
def test_a_bad_extension_is_refused_and_kept(app, run, facilitator, form, message):
    before = run.session().closes_at
    answer = facilitator.post(f"/facilitator/runs/{run.code}/extend", data=form)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert message in page
    if form["closes_date"]:
        assert f'value="{form["closes_date"]}"' in page
    assert run.session().closes_at == before


# Invitations -----------------------------------------------------------------------------


def test_invitations_sheet_and_csv(app, facilitator, request):
    run = Run(app, socketio, BUILTIN_PLAN, invitation_only=True)
    request.addfinalizer(run.close)
    answer = facilitator.post(f"/facilitator/runs/{run.code}/invitations", data={"count": "5"})
    assert answer.status_code == 303
    with database(app).sessionmaker() as db:
        codes = list(
            db.scalars(select(Invitation.code).where(Invitation.session_id == run.session_id))
        )
    assert len(codes) == 5
    # One is used: the sheet leaves it out, the CSV says when.
    run.join(invitation=codes[0])
    sheet = facilitator.get(f"/facilitator/runs/{run.code}/invitations/sheet")
    assert sheet.status_code == 200
    text = sheet.get_data(as_text=True)
    assert text.count('class="invitation-card"') == 4
    assert text.count("<svg") == 4
    for code in codes[1:]:
        assert f"{code[:5]} {code[5:]}" in text
    assert f"{codes[0][:5]} {codes[0][5:]}" not in text
    assert f"/j/{run.code}" in text
    assert "@page" not in text  # print rules live in the stylesheet
    csv_answer = facilitator.get(f"/facilitator/runs/{run.code}/invitations.csv")
    assert csv_answer.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(csv_answer.get_data(as_text=True))))
    assert [row["code"] for row in rows] == codes
    assert [rows[0]["used"], rows[1]["used"]] == ["yes", "no"]
    assert rows[1]["link"].endswith(f"/j/{run.code}?invite={codes[1]}")
    data = facilitator.get(f"/facilitator/runs/{run.code}/statistics.json").get_json()
    assert data["invitations"] == {"made": 5, "used": 1}


def test_a_run_open_to_anyone_offers_no_invitations(app, run, facilitator):
    page = facilitator.get(f"/facilitator/runs/{run.code}").get_data(as_text=True)
    assert "it takes no invitation codes" in page
    assert "Make invitations" not in page


@pytest.mark.parametrize("count", ["0", "1001", "ten", ""])
def test_a_bad_number_of_invitations_is_refused(app, facilitator, count, request):
    run = Run(app, socketio, BUILTIN_PLAN, invitation_only=True)
    request.addfinalizer(run.close)
    answer = facilitator.post(f"/facilitator/runs/{run.code}/invitations", data={"count": count})
    assert answer.status_code == 400
    assert "Enter a whole number from 1 to 1000" in answer.get_data(as_text=True)
    with database(app).sessionmaker() as db:
        assert db.scalar(select(Invitation.id)) is None


# Where runs show, and who may do what ----------------------------------------------------


def test_the_sessions_list_and_the_console_lead_to_the_run(app, run, facilitator):
    page = facilitator.get("/facilitator/").get_data(as_text=True)
    row = page.split(f'<span class="code">{run.code}</span>', 1)[1].split("</tr>", 1)[0]
    assert "Self-paced run" in row and "Open" in row and "UTC" in row
    assert f'href="/facilitator/runs/{run.code}"' in row
    answer = facilitator.get(f"/facilitator/sessions/{run.code}")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/facilitator/runs/{run.code}")


def test_a_live_session_has_no_run_dashboard(workshop, facilitator):
    assert facilitator.get(f"/facilitator/runs/{workshop.code}").status_code == 404


def test_only_facilitators(app, run):
    researcher = login_as(app, "researcher")
    anonymous = app.test_client()
    for url in (
        f"/facilitator/runs/{run.code}",
        f"/facilitator/runs/{run.code}/statistics.json",
        f"/facilitator/runs/{run.code}/profile",
        f"/facilitator/runs/{run.code}/invitations/sheet",
        f"/facilitator/runs/{run.code}/invitations.csv",
    ):
        assert researcher.get(url).status_code == 403, url
        assert anonymous.get(url).status_code == 302, url
    assert (
        researcher.post(f"/facilitator/runs/{run.code}/close", data={"confirm": "1"}).status_code
        == 403
    )
    assert researcher.post("/facilitator/runs", data=publish_form()).status_code == 403
    assert run.session().status == "live"


def test_every_form_needs_its_csrf_token(app, run, facilitator):
    app.config["WTF_CSRF_ENABLED"] = True
    for url, data in (
        ("/facilitator/runs", publish_form()),
        (f"/facilitator/runs/{run.code}/close", {"confirm": "1"}),
        (f"/facilitator/runs/{run.code}/extend", {"closes_date": "2030-01-01"}),
        (f"/facilitator/runs/{run.code}/invitations", {"count": "3"}),
        (f"/facilitator/runs/{run.code}/moderate", {"comment": "1", "decision": "approve"}),
    ):
        answer = facilitator.post(url, data=data)
        assert answer.status_code == 400 and "CSRF" in answer.get_data(as_text=True), url
    assert run.session().status == "live"
    assert len(runs_in(app)) == 1
    with database(app).sessionmaker() as db:
        types = set(db.scalars(select(Event.type).where(Event.session_id == run.session_id)))
    assert "run.extended" not in types
    # The dashboard's forms carry the token.
    page = facilitator.get(f"/facilitator/runs/{run.code}").get_data(as_text=True)
    forms = page.split('<form method="post"')[1:]
    assert len(forms) >= 3  # log out, close, extend
    assert all('name="csrf_token"' in form.split("</form>", 1)[0] for form in forms)


def test_closing_and_extending_tell_the_runs_open_phones(app, run, facilitator):
    phone = run.phone()
    phone.emit("sync")
    phone.received()
    facilitator.post(f"/facilitator/runs/{run.code}/close", data={"confirm": "1"})
    assert len(phone.received("run_changed")) == 1
    assert phone.emit("pace", {"index": 0})["state"]["input_open"] is False
    new = later(days=20)
    facilitator.post(
        f"/facilitator/runs/{run.code}/extend",
        data={"closes_date": new.date().isoformat(), "closes_time": "10:30", "zone": "UTC"},
    )
    assert len(phone.received("run_changed")) == 1
    assert phone.emit("pace", {"index": 0})["state"]["input_open"] is True
