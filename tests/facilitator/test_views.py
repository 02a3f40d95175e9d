"""The facilitator's dashboard, opening a session, and the console page (HTTP only; the
console's live behaviour is in tests/browser/test_console.py)."""

from __future__ import annotations

import re
import shutil

import pytest
from sqlalchemy import func, select

from facilitation.auth import create_facilitator
from facilitation.db import database
from facilitation.models import WorkshopSession
from facilitation.plans import PlanInvalid, load_plan, parse_plan
from facilitation.workshop import operations
from tests.conftest import BUILTIN_PLAN
from tests.factories import log_in

SMALL_PLAN = """\
title: Quick check-in
description: A two-stage plan without scenarios.
privacy_notice: We keep your answers for a week.
sectors: [Health, Housing]
stages:
  - key: hello
    title: Hello
    prompt: Welcome.
    type: info
  - key: mood
    title: Mood
    prompt: How is the day going?
    type: rating
    items: [Today]
"""

BROKEN_PLAN = """\
title: Broken plan
description: Has a misspelt field.
privacy_notice: Nothing.
sectors: [Health]
stages:
  - key: one
    title: One
    promt: Misspelt
    type: info
"""


@pytest.fixture
def plans(app, tmp_path):
    """A plans folder of our own: the built-in plan, a small one and a broken one."""
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(BUILTIN_PLAN, folder / BUILTIN_PLAN.name)
    (folder / "check-in.yaml").write_text(SMALL_PLAN)
    (folder / "broken.yaml").write_text(BROKEN_PLAN)
    app.config["PLANS_DIR"] = str(folder)
    return folder


@pytest.fixture
def facilitator(app):
    with database(app).sessionmaker() as db:
        return create_facilitator(db, "lead@example.org", "a-long-password")


@pytest.fixture
def client(app, facilitator):
    """A test client logged in as the facilitator."""
    client = app.test_client()
    log_in(app, client, facilitator.id)
    return client


def session_count(app) -> int:
    with database(app).sessionmaker() as db:
        return db.scalar(select(func.count()).select_from(WorkshopSession))


def only_session(app) -> WorkshopSession:
    with database(app).sessionmaker() as db:
        return db.scalars(select(WorkshopSession)).one()


def open_session(app, plan_path=BUILTIN_PLAN, scenario="arrears-health", by=None):
    with database(app).sessionmaker() as db:
        return operations.create_session(db, load_plan(plan_path), by, scenario)


# Logging in --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/facilitator/"),
        ("post", "/facilitator/sessions"),
        ("get", "/facilitator/sessions/ABC234"),
    ],
)
def test_pages_need_a_facilitator_login(app, method, path):
    response = getattr(app.test_client(), method)(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


# Dashboard ---------------------------------------------------------------------------


def test_dashboard_shows_who_is_signed_in_and_a_log_out_form(client, plans):
    page = client.get("/facilitator/").get_data(as_text=True)
    assert "lead@example.org" in page
    assert re.search(r'<form method="post" action="/logout"', page)
    assert ">Log out</button>" in page


def test_dashboard_lists_each_valid_plan_with_an_open_form(client, plans):
    page = client.get("/facilitator/").get_data(as_text=True)
    plan = load_plan(BUILTIN_PLAN)
    assert plan.title in page
    assert f"{len(plan.stages)} stages" in page
    assert "3 scenarios" in page
    assert 'name="plan" value="data-for-public-benefit"' in page
    for scenario in plan.scenarios:
        assert f'<option value="{scenario.key}"' in page
    assert "Quick check-in" in page
    assert "This plan has no scenarios." in page
    assert page.count(">Open session</button>") == 2


def test_dashboard_lists_broken_plans_with_their_line_numbers(client, plans):
    page = client.get("/facilitator/").get_data(as_text=True)
    assert "Plans with errors" in page
    assert "broken.yaml" in page
    assert "Line 8" in page  # the misspelt `promt:`
    assert "promt" in page
    # A broken plan has no "Open session" form.
    assert 'name="plan" value="broken"' not in page


def test_dashboard_with_no_plans_says_where_to_put_them(app, client, tmp_path):
    app.config["PLANS_DIR"] = str(tmp_path / "nowhere")
    page = client.get("/facilitator/").get_data(as_text=True)
    assert "No plan can be opened." in page


def test_dashboard_lists_recent_sessions_with_links(app, client, plans):
    live = open_session(app)
    ended = open_session(app, scenario="care-prediction")
    with database(app).sessionmaker() as db:
        operations.join(db, live.id, "Health")
        operations.join(db, live.id, "Housing")
        operations.end_session(db, ended.id)
    page = client.get("/facilitator/").get_data(as_text=True)
    assert "Your sessions" in page
    for code in (live.code, ended.code):
        assert f'href="/facilitator/sessions/{code}"' in page
        assert f'href="/facilitator/sessions/{code}/transcript.csv"' in page
        assert f'href="/facilitator/sessions/{code}/transcript.json"' in page
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    live_row = next(row for row in rows if live.code in row)
    ended_row = next(row for row in rows if ended.code in row)
    assert "Live" in live_row and '<td class="number">2</td>' in live_row
    assert "Ended" in ended_row and '<td class="number">0</td>' in ended_row


def test_plan_text_is_escaped(app, client, plans):
    (plans / "sneaky.yaml").write_text(
        SMALL_PLAN.replace("Quick check-in", '"<script>alert(1)</script> & co"')
    )
    page = client.get("/facilitator/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


# Opening a session --------------------------------------------------------------------


def test_opening_a_session_redirects_to_its_console(app, client, plans, facilitator):
    response = client.post(
        "/facilitator/sessions",
        data={"plan": "data-for-public-benefit", "scenario": "care-prediction"},
    )
    assert response.status_code == 302
    session = only_session(app)
    assert response.headers["Location"] == f"/facilitator/sessions/{session.code}"
    assert session.plan_slug == "data-for-public-benefit"
    assert session.scenario_key == "care-prediction"
    assert session.created_by_id == facilitator.id
    assert session.status == "live"

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'<p class="join-code" id="join-code">{session.code}</p>' in page
    assert f'data-code="{session.code}"' in page
    assert f"http://localhost/j/{session.code}" in page


def test_a_plan_without_scenarios_opens_without_one(app, client, plans):
    response = client.post("/facilitator/sessions", data={"plan": "check-in"})
    assert response.status_code == 302
    session = only_session(app)
    assert session.plan_slug == "check-in"
    assert session.scenario_key is None


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"plan": "", "scenario": ""}, "Choose a plan to open a session of."),
        ({"plan": "no-such-plan"}, "There is no plan “no-such-plan”."),
        ({"plan": "../../etc/passwd"}, "There is no plan “../../etc/passwd”."),
        ({"plan": "broken"}, "The plan “broken” has errors, so it cannot be opened."),
        (
            {"plan": "data-for-public-benefit", "scenario": ""},
            "Choose the scenario the room will assess.",
        ),
        (
            {"plan": "data-for-public-benefit", "scenario": "made-up"},
            "That scenario is not in this plan.",
        ),
    ],
)
def test_a_bad_form_says_why_and_opens_nothing(app, client, plans, form, message):
    response = client.post("/facilitator/sessions", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The session was not opened." in page
    assert message in page
    assert session_count(app) == 0
    # The dashboard is shown again, with every plan still there to pick.
    assert "Open a session" in page and page.count(">Open session</button>") == 2


def test_a_bad_scenario_is_flagged_next_to_its_field(client, plans):
    page = client.post(
        "/facilitator/sessions", data={"plan": "data-for-public-benefit", "scenario": "made-up"}
    ).get_data(as_text=True)
    assert 'id="scenario-data-for-public-benefit-error"' in page
    assert 'aria-invalid="true"' in page


# Console ------------------------------------------------------------------------------


def test_console_is_404_for_an_unknown_code(client):
    assert client.get("/facilitator/sessions/ZZZ999").status_code == 404
    assert client.get("/facilitator/sessions/not-a-code").status_code == 404


def test_console_page_carries_what_its_script_needs(app, client):
    session = open_session(app)
    response = client.get(f"/facilitator/sessions/{session.code}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'data-code="{session.code}"' in page
    assert re.search(r"/static/vendor/socket\.io\.min\.[0-9a-f]{10}\.js", page)
    assert "/vendor/plotly.min.js" in page
    assert re.search(r'<script type="module" src="/static/js/console\.[0-9a-f]{10}\.js">', page)
    assert "<script>" not in page  # no inline script (the CSP forbids it)
    assert 'id="alert" class="console-alert" role="alert"' in page
    assert f'href="/facilitator/sessions/{session.code}/transcript.csv"' in page
    assert f'href="/facilitator/sessions/{session.code}/transcript.json"' in page
    assert ">End session</button>" in page
    assert 'id="ended-banner" class="ended-banner" hidden' in page


def test_console_of_an_ended_session_says_so(app, client):
    session = open_session(app)
    with database(app).sessionmaker() as db:
        operations.end_session(db, session.id)
    page = client.get(f"/facilitator/sessions/{session.code}").get_data(as_text=True)
    banner = re.search(r'<div id="ended-banner"[^>]*>', page).group(0)
    assert "hidden" not in banner
    assert "This session has ended." in page
    assert 'data-status="ended"' in page


def test_console_address_is_canonical(app, client):
    session = open_session(app)
    response = client.get(f"/facilitator/sessions/{session.code.lower()}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/facilitator/sessions/{session.code}"


def test_console_escapes_the_plan_title(app, client, tmp_path):
    path = tmp_path / "sneaky.yaml"
    path.write_text(SMALL_PLAN.replace("Quick check-in", '"<img src=x onerror=alert(1)>"'))
    session = open_session(app, path, scenario=None)
    page = client.get(f"/facilitator/sessions/{session.code}").get_data(as_text=True)
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_plans_used_here_are_what_the_tests_expect():
    # A typo in SMALL_PLAN would make the tests above pass for the wrong reason.
    assert parse_plan(SMALL_PLAN, "check-in").title == "Quick check-in"
    with pytest.raises(PlanInvalid):
        parse_plan(BROKEN_PLAN, "broken")
