"""The dashboard's lifecycle actions: prepare a draft, duplicate, archive, show archived;
and what the join page says about a draft or paused session."""

# The fixtures come from test_views.py; pytest hands them in as arguments.
# ruff: noqa: F811

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitation.db import database
from facilitation.models import Event, WorkshopSession
from facilitation.workshop import operations
from tests.facilitator.test_views import (  # noqa: F401  (fixtures)
    client,
    facilitator,
    only_session,
    open_session,
    plans,
)


def session_by_code(app, code: str) -> WorkshopSession:
    with database(app).sessionmaker() as db:
        return db.scalar(select(WorkshopSession).where(WorkshopSession.code == code))


def end(app, session) -> None:
    with database(app).sessionmaker() as db:
        operations.end_session(db, session.id)


@pytest.mark.parametrize(
    "path", ["/facilitator/sessions/ABC234/duplicate", "/facilitator/sessions/ABC234/archive"]
)
def test_lifecycle_actions_need_a_login(app, path):
    response = app.test_client().post(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_open_session_or_prepare_a_draft(app, plans, client):
    page = client.get("/facilitator/").get_data(as_text=True)
    assert "Prepare as draft" in page and "Open session" in page

    response = client.post(
        "/facilitator/sessions",
        data={"plan": "data-for-public-benefit", "scenario": "arrears-health", "draft": "1"},
    )
    assert response.status_code == 302
    session = only_session(app)
    assert session.status == "draft"
    assert response.headers["Location"].endswith(f"/facilitator/sessions/{session.code}")
    dashboard = client.get("/facilitator/").get_data(as_text=True)
    assert ">Draft<" in dashboard


def test_the_join_page_of_a_draft_says_it_has_not_started(app, plans, client):
    client.post(
        "/facilitator/sessions",
        data={"plan": "data-for-public-benefit", "scenario": "arrears-health", "draft": "1"},
    )
    session = only_session(app)
    phone = app.test_client()
    page = phone.get(f"/j/{session.code}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "This workshop has not started yet" in text and "Check again" in text
    joined = phone.post(
        f"/j/{session.code}", data={"sector": "Health", "consent": "yes", "display_name": ""}
    )
    assert "This workshop has not started yet" in joined.get_data(as_text=True)
    with database(app).sessionmaker() as db:
        operations.start_session(db, session.id)
    assert "has not started" not in phone.get(f"/j/{session.code}").get_data(as_text=True)


def test_a_paused_session_can_still_be_joined(app, plans):
    session = open_session(app)
    with database(app).sessionmaker() as db:
        operations.pause_session(db, session.id)
    page = app.test_client().get(f"/j/{session.code}")
    assert page.status_code == 200 and "has ended" not in page.get_data(as_text=True)


def test_duplicate_makes_a_new_draft_of_the_same_plan(app, plans, client):
    original = open_session(app, scenario="care-prediction")
    end(app, original)
    response = client.post(f"/facilitator/sessions/{original.code}/duplicate")
    assert response.status_code == 302
    code = response.headers["Location"].rsplit("/", 1)[1]
    copy = session_by_code(app, code)
    assert code != original.code
    assert copy.status == "draft" and copy.scenario_key == "care-prediction"
    assert copy.plan_source == original.plan_source
    console = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is ready as a draft" in console
    assert client.post("/facilitator/sessions/ZZZZZZ/duplicate").status_code == 404


def test_archive_hides_an_ended_session_until_show_archived(app, plans, client):
    live = open_session(app)
    ended = open_session(app)
    end(app, ended)
    dashboard = client.get("/facilitator/").get_data(as_text=True)
    assert dashboard.count("Archive<") == 1  # only the ended session offers it

    refused = client.post(f"/facilitator/sessions/{live.code}/archive", follow_redirects=True)
    assert "was not archived" in refused.get_data(as_text=True)
    assert session_by_code(app, live.code).status == "live"

    response = client.post(f"/facilitator/sessions/{ended.code}/archive")
    assert response.status_code == 303
    assert session_by_code(app, ended.code).status == "archived"
    dashboard = client.get("/facilitator/").get_data(as_text=True)
    assert f'class="code">{ended.code}<' not in dashboard
    assert f'class="code">{live.code}<' in dashboard
    assert "Show archived sessions (1)" in dashboard

    shown = client.get("/facilitator/?archived=1").get_data(as_text=True)
    assert f'class="code">{ended.code}<' in shown and ">Archived<" in shown
    assert "Hide archived sessions" in shown
    # Read-only, but the transcript is still there.
    transcript = client.get(f"/facilitator/sessions/{ended.code}/transcript.json")
    assert transcript.status_code == 200 and b"session.archived" in transcript.data
    assert client.get(f"/facilitator/sessions/{ended.code}").status_code == 200
    with database(app).sessionmaker() as db:
        types = db.scalars(
            select(Event.type).where(Event.session_id == ended.id).order_by(Event.seq)
        ).all()
    assert types[-2:] == ["session.ended", "session.archived"]
    assert app.test_client().get(f"/j/{ended.code}").status_code == 410
