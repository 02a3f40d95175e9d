"""The plan editor's pages over HTTP: login, list, create, edit, refused edits, locks,
export, import, duplicate, delete, preview, and opening a session of a stored plan."""

from __future__ import annotations

import io
import json
import re
import shutil
from html import unescape

import pytest
from sqlalchemy import select

from facilitation.auth import create_facilitator
from facilitation.db import database
from facilitation.models import StoredPlan, WorkshopSession
from facilitation.plans import parse_plan
from facilitation.plans.library import find_plan
from facilitation.workshop import operations
from tests.conftest import BUILTIN_PLAN
from tests.factories import log_in
from tests.plans.test_stored import SMALL


@pytest.fixture
def folder(app, tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(BUILTIN_PLAN, folder / BUILTIN_PLAN.name)
    app.config["PLANS_DIR"] = str(folder)
    return folder


@pytest.fixture
def facilitator(app):
    with database(app).sessionmaker() as db:
        return create_facilitator(db, "lead@example.org", "a-long-password")


@pytest.fixture
def client(app, facilitator, folder):
    client = app.test_client()
    log_in(app, client, facilitator.id)
    return client


def stored_source(app, slug: str) -> str:
    with database(app).sessionmaker() as db:
        return db.scalar(select(StoredPlan.source).where(StoredPlan.slug == slug))


def import_small(client, name="check-in.yaml", text=SMALL):
    return client.post(
        "/facilitator/plans/import",
        data={"file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/facilitator/plans/"),
        ("post", "/facilitator/plans/new"),
        ("post", "/facilitator/plans/import"),
        ("get", "/facilitator/plans/data-for-public-benefit"),
        ("post", "/facilitator/plans/data-for-public-benefit"),
        ("get", "/facilitator/plans/data-for-public-benefit/export.yaml"),
        ("post", "/facilitator/plans/data-for-public-benefit/duplicate"),
        ("post", "/facilitator/plans/preview"),
        ("post", "/facilitator/plans/parse"),
    ],
)
def test_every_page_needs_a_login(app, folder, method, path):
    response = getattr(app.test_client(), method)(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_list_shows_built_in_and_stored_plans_with_their_status(app, client):
    import_small(client)
    page = client.get("/facilitator/plans/").get_data(as_text=True)
    assert "Data for Public Benefit" in page and "Quick check-in" in page
    assert re.search(r'data-slug="data-for-public-benefit".*?Built in', page, re.S)
    assert re.search(r'data-slug="check-in".*?Draft', page, re.S)


def test_new_plan_starts_from_the_starter_and_opens_the_editor(app, client):
    response = client.post("/facilitator/plans/new")
    assert response.status_code == 302
    slug = response.headers["Location"].rsplit("/", 1)[1]
    assert slug == "new-workshop-plan"
    page = client.get(f"/facilitator/plans/{slug}").get_data(as_text=True)
    form = json.loads(unescape(re.search(r"data-plan='([^']*)'", page).group(1)))
    assert form["title"] == "New workshop plan"
    assert [s["type"] for s in form["stages"]] == ["info", "traffic_light"]
    assert 'data-readonly="false"' in page


def test_edit_saves_a_valid_plan(app, client):
    import_small(client)
    edited = SMALL.replace("Quick check-in", "Morning check-in")
    response = client.post("/facilitator/plans/check-in", data={"source": edited})
    assert response.status_code == 302
    assert stored_source(app, "check-in") == edited
    # The JSON form of the same request, as the editor's script sends it.
    again = edited.replace("Morning", "Evening")
    response = client.post(
        "/facilitator/plans/check-in",
        data={"source": again},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200 and response.json["ok"] is True
    assert stored_source(app, "check-in") == again


def test_invalid_edit_keeps_the_saved_version_and_shows_line_errors(app, client):
    import_small(client)
    broken = SMALL.replace("type: rating", "type: rate").replace("title: Hello", "titel: Hello")
    response = client.post("/facilitator/plans/check-in", data={"source": broken})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Line 9" in page and "stages[1].titel" in page
    assert "Line 15" in page and "stages[2].type" in page
    assert "(did you mean &#39;rating&#39;?)" in page or "(did you mean 'rating'?)" in page
    assert "type: rate\n" in unescape(page)  # what was typed is still in the editor
    assert stored_source(app, "check-in") == SMALL

    response = client.post(
        "/facilitator/plans/check-in",
        data={"source": broken},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    errors = response.json["errors"]
    assert {"line": 15, "field": "stages[2].type"}.items() <= errors[-1].items()
    assert stored_source(app, "check-in") == SMALL


def test_a_locked_plan_refuses_edits_and_deletes(app, client, facilitator):
    import_small(client)
    with database(app).sessionmaker() as db:
        session = operations.create_session(
            db, find_plan(app.config["PLANS_DIR"], "check-in", db), facilitator.id
        )
        code = session.code
    page = client.get("/facilitator/plans/check-in").get_data(as_text=True)
    assert "Locked" in page and code in page and 'data-readonly="true"' in page

    edited = SMALL.replace("Quick", "Slow")
    response = client.post(
        "/facilitator/plans/check-in",
        data={"source": edited},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 409
    assert "locked" in response.json["refused"]
    response = client.post("/facilitator/plans/check-in", data={"source": edited})
    assert response.status_code == 409
    assert stored_source(app, "check-in") == SMALL

    response = client.post("/facilitator/plans/check-in/delete", follow_redirects=True)
    assert "was not deleted" in response.get_data(as_text=True)
    assert stored_source(app, "check-in") == SMALL
    # Duplicating still works.
    response = client.post("/facilitator/plans/check-in/duplicate")
    assert response.headers["Location"].endswith("/facilitator/plans/check-in-copy")


def test_built_in_plan_is_read_only(app, client):
    page = client.get("/facilitator/plans/data-for-public-benefit").get_data(as_text=True)
    assert "Built-in plan" in page and 'data-readonly="true"' in page
    response = client.post("/facilitator/plans/data-for-public-benefit", data={"source": SMALL})
    assert response.status_code == 409
    assert client.get("/facilitator/plans/no-such-plan").status_code == 404


def test_export_round_trips_through_import(app, client):
    response = client.get("/facilitator/plans/data-for-public-benefit/export.yaml")
    assert response.status_code == 200
    assert 'filename="data-for-public-benefit.yaml"' in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text == BUILTIN_PLAN.read_text()

    response = import_small(client, "data-for-public-benefit.yaml", text)
    assert response.status_code == 302
    slug = response.headers["Location"].rsplit("/", 1)[1]
    assert slug == "data-for-public-benefit-2"  # never the built-in plan's name
    assert client.get(f"/facilitator/plans/{slug}/export.yaml").get_data(as_text=True) == text
    assert parse_plan(text, "a") == parse_plan(stored_source(app, slug), "a")


def test_import_refuses_an_invalid_file_with_line_errors_and_keeps_the_text(app, client):
    broken = SMALL.replace("sectors: [Health, Housing]", "sectors: [Health, health]")
    response = import_small(client, "broken.yaml", broken)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "was not imported" in page
    assert "Line 5" in page and "sectors[2]" in page and "duplicate sector" in page
    assert "sectors: [Health, health]" in unescape(page)  # offered back to fix
    with database(app).sessionmaker() as db:
        assert db.scalar(select(StoredPlan)) is None

    fixed = broken.replace("health]", "Schools]")
    response = client.post("/facilitator/plans/import", data={"source": fixed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/facilitator/plans/quick-check-in")

    assert import_small(client, "empty.yaml", "").status_code == 400
    assert client.post("/facilitator/plans/import", data={}).status_code == 400


def test_delete_asks_first_then_deletes(app, client, folder):
    import_small(client)
    page = client.get("/facilitator/plans/check-in/delete").get_data(as_text=True)
    assert "Delete “Quick check-in”?" in page
    response = client.post("/facilitator/plans/check-in/delete")
    assert response.status_code == 302
    assert stored_source(app, "check-in") is None
    # Built-in plans cannot be deleted.
    response = client.get(
        "/facilitator/plans/data-for-public-benefit/delete", follow_redirects=True
    )
    assert "cannot be deleted" in response.get_data(as_text=True)
    assert (folder / BUILTIN_PLAN.name).is_file()


def test_parse_gives_the_form_or_the_problems(client):
    response = client.post("/facilitator/plans/parse", data={"source": SMALL})
    form = response.json["plan"]
    assert form["tables"] == ["Table A", "Table B"]
    assert form["stages"][1]["items"] == [{"key": "today", "label": "Today", "description": ""}]
    assert form["stages"][1]["scale"] == {"min": 1, "max": 5, "min_label": "", "max_label": ""}
    assert form["moderation"] == {"profanity_filter": True, "word_limit": None}
    response = client.post("/facilitator/plans/parse", data={"source": "title: [x"})
    assert response.status_code == 400 and response.json["ok"] is False


def test_preview_renders_a_stage_for_the_frame(client):
    response = client.post("/facilitator/plans/preview", data={"source": SMALL, "stage": "mood"})
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    page = response.get_data(as_text=True)
    data = json.loads(unescape(re.search(r"data-preview='([^']*)'", page).group(1)))
    assert data["stage"]["key"] == "mood" and data["stage"]["type"] == "rating"
    assert data["stage_index"] == 1 and data["stage_count"] == 2
    assert "js/plan-preview.js" in page

    response = client.post("/facilitator/plans/preview", data={"source": "title: x", "stage": "a"})
    assert "cannot be previewed" in response.get_data(as_text=True)


def test_a_session_opens_from_a_stored_plan(app, client):
    import_small(client)
    dashboard = client.get("/facilitator/").get_data(as_text=True)
    assert "Quick check-in" in dashboard and "written in the app" in dashboard
    response = client.post("/facilitator/sessions", data={"plan": "check-in"})
    assert response.status_code == 302
    with database(app).sessionmaker() as db:
        session = db.scalars(select(WorkshopSession)).one()
        assert session.plan_slug == "check-in" and session.plan_source == SMALL
