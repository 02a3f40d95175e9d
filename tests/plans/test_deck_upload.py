"""The plan editor's Slide decks panel over HTTP: upload (with the editor's script, JSON, and
without it), refusals in plain words, the request-size limit of this route only, removal,
thumbnails, locks, saving a plan whose deck is not uploaded yet, duplicating and deleting a
plan with decks, and opening a session of it.

Rendering is the store's (tests/slides/): ``prepare_deck`` and ``keep_deck`` are replaced
here by ones that keep rows made directly (tests/plans/deck_rows.py).
"""

from __future__ import annotations

import io
import json
import re
import shutil
from html import unescape

import pytest
from sqlalchemy import select

from facilitation import request_size
from facilitation.access import is_facilitator
from facilitation.auth import create_facilitator
from facilitation.db import database
from facilitation.models import PlanDeck, SessionDeck, StoredPlan, WorkshopSession
from facilitation.plans import stored, views
from facilitation.slides import plan_decks
from facilitation.slides.errors import DeckRefused
from facilitation.workshop import operations
from tests.conftest import BUILTIN_PLAN
from tests.factories import log_in
from tests.plans.deck_rows import insert_deck
from tests.plans.test_slides_plan import PLAN

JSON = {"Accept": "application/json"}
SLUG = "slides-and-a-question"


@pytest.fixture
def folder(app, tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(BUILTIN_PLAN, folder / BUILTIN_PLAN.name)
    app.config["PLANS_DIR"] = str(folder)
    return folder


@pytest.fixture
def client(app, folder):
    with database(app).sessionmaker() as db:
        account = create_facilitator(db, "lead@example.org", "a-long-password")
        stored.create_plan(db, folder, PLAN, account.id)
    client = app.test_client()
    log_in(app, client, account.id)
    return client


@pytest.fixture
def uploads(app, monkeypatch):
    """The files prepare_deck was given; each becomes a deck of 6 pages (3 for a .pptx)."""
    given: list[tuple[bytes, str]] = []

    def prepare_deck(db, data, filename):
        given.append((data, filename))
        db.rollback()  # as the store's: the transaction ends before rendering
        return filename

    def keep_deck(db, filename):
        return insert_deck(db, pages=3 if filename.lower().endswith(".pptx") else 6)

    monkeypatch.setattr(views, "prepare_deck", prepare_deck)
    monkeypatch.setattr(views, "keep_deck", keep_deck)
    return given


def upload(client, name="framework.pdf", data=b"%PDF-1.7 a deck", headers=JSON, slug=SLUG):
    return client.post(
        f"/facilitator/plans/{slug}/decks",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers=headers,
    )


def plan_deck_names(app, slug=SLUG) -> dict[str, int]:
    with database(app).sessionmaker() as db:
        return {name: deck.page_count for name, deck in plan_decks.decks_of_plan(db, slug).items()}


def test_an_upload_keeps_the_deck_under_its_file_name(app, client, uploads):
    response = upload(client)
    assert response.status_code == 200
    reply = response.get_json()
    assert reply["ok"] is True
    assert reply["message"] == (
        "Uploaded framework.pdf: 6 pages. Choose it as the deck of a slides stage."
    )
    assert uploads == [(b"%PDF-1.7 a deck", "framework.pdf")]
    assert plan_deck_names(app) == {"framework.pdf": 6}
    panel = unescape(reply["decks_panel"])
    assert f"/facilitator/plans/{SLUG}/decks/framework.pdf/1.webp" in panel
    assert "6 pages" in panel and "shown by stages 1, 3" in panel
    assert '"name": "framework.pdf", "pages": 6' in panel  # the stage form's list
    # The other deck the plan names is still missing: the panel says so.
    assert "the deck Other deck_2.PPTX is not uploaded yet" in panel


def test_the_same_name_replaces_the_deck(app, client, uploads):
    upload(client)
    upload(client, data=b"%PDF-1.7 the second version")
    assert plan_deck_names(app) == {"framework.pdf": 6}
    with database(app).sessionmaker() as db:
        assert len(db.scalars(select(PlanDeck)).all()) == 1


def test_a_file_name_is_made_a_deck_name(app, client, uploads):
    upload(client, name="Café Deck (final).PDF")
    upload(client, name="Other deck_2.PPTX")
    upload(client, name="../talk.odp")
    assert plan_deck_names(app) == {
        "Cafe Deck -final.PDF": 6,
        "Other deck_2.PPTX": 3,
        "talk.odp": 6,
    }


def test_without_the_script_an_upload_comes_back_to_the_editor(client, uploads):
    response = upload(client, headers={})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/facilitator/plans/{SLUG}#slide-decks")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Uploaded framework.pdf: 6 pages." in unescape(page)
    assert 'id="deck-upload"' in page and 'enctype="multipart/form-data"' in page


def test_a_refused_deck_is_told_in_plain_words(app, client, monkeypatch):
    def refuse(db, data, filename):
        raise DeckRefused("This PDF is protected by a password: save it without one.")

    monkeypatch.setattr(views, "prepare_deck", refuse)
    response = upload(client)
    assert response.status_code == 400
    assert response.get_json()["error"] == (
        "This PDF is protected by a password: save it without one."
    )
    assert plan_deck_names(app) == {}
    page = client.get(upload(client, headers={}).headers["Location"]).get_data(as_text=True)
    assert "Not done. This PDF is protected by a password" in unescape(page)


def test_a_file_that_is_not_a_deck_is_refused_before_the_store(client, uploads):
    response = upload(client, name="notes.docx")
    assert response.status_code == 400
    assert "“notes.docx” is not a kind of deck the app takes: upload a PDF (.pdf)" in (
        response.get_json()["error"]
    )
    # A Keynote deck is a deck: the person is told how to export it, not that it is none.
    response = upload(client, name="Talk.KEY")
    assert response.status_code == 400
    assert response.get_json()["error"] == (
        "Keynote decks cannot be converted here. In Keynote, export the deck as PDF "
        "(File, Export To, PDF) and upload the PDF."
    )
    response = upload(client, name="")
    assert response.status_code == 400
    assert response.get_json()["error"] == "Choose a deck to upload."
    assert uploads == []


def test_this_route_takes_more_than_the_apps_request_limit(app, client, uploads):
    big = b"%PDF-1.7 " + b"x" * (2 * app.config["MAX_CONTENT_LENGTH"])
    assert upload(client, data=big).status_code == 200
    assert uploads[0][0] == big
    # ...and no other route does.
    other = client.post(
        "/facilitator/plans/import",
        data={"file": (io.BytesIO(big), "plan.yaml")},
        content_type="multipart/form-data",
    )
    assert other.status_code == 413


def test_an_upload_over_the_routes_limit_is_told_its_size(app, client, uploads, monkeypatch):
    monkeypatch.setitem(request_size._LARGER, "plans.upload_deck", (4096, is_facilitator))
    response = upload(client, data=b"x" * 8192)
    assert response.status_code == 413
    assert response.get_json()["error"] == (
        "The file is too large: a deck can be at most 50 MB. Export it with smaller images, "
        "or split it into two decks."
    )
    assert uploads == []


def test_remove_takes_the_deck_off_the_plan(app, client, uploads):
    upload(client)
    response = client.post(f"/facilitator/plans/{SLUG}/decks/framework.pdf/remove", headers=JSON)
    assert response.status_code == 200
    assert response.get_json()["message"] == "Removed framework.pdf."
    assert "No slide decks yet." in response.get_json()["decks_panel"]
    assert plan_deck_names(app) == {}
    missing = client.post(f"/facilitator/plans/{SLUG}/decks/framework.pdf/remove", headers=JSON)
    assert missing.status_code == 404


def test_a_thumbnail_is_the_rendered_page_only(client, uploads):
    upload(client)
    response = client.get(f"/facilitator/plans/{SLUG}/decks/framework.pdf/1.webp")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/webp"
    assert response.headers["Cache-Control"].startswith("private")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data[:4] == b"RIFF" and response.data[8:12] == b"WEBP"
    assert client.get(f"/facilitator/plans/{SLUG}/decks/framework.pdf/7.webp").status_code == 404
    assert client.get(f"/facilitator/plans/{SLUG}/decks/other.pdf/1.webp").status_code == 404
    other_plan = f"/facilitator/plans/{BUILTIN_PLAN.stem}/decks/framework.pdf/1.webp"
    assert client.get(other_plan).status_code == 404


def test_deck_routes_need_a_facilitators_login(app, client, uploads):
    upload(client)
    anonymous = app.test_client()
    for response in (
        anonymous.get(f"/facilitator/plans/{SLUG}/decks/framework.pdf/1.webp"),
        anonymous.post(f"/facilitator/plans/{SLUG}/decks"),
        anonymous.post(f"/facilitator/plans/{SLUG}/decks/framework.pdf/remove"),
    ):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    assert plan_deck_names(app) == {"framework.pdf": 6}


def test_a_builtin_plan_takes_no_deck(client, uploads):
    response = upload(client, slug=BUILTIN_PLAN.stem)
    assert response.status_code == 409
    assert response.get_json()["error"].startswith("This is a built-in plan")
    page = client.get(f"/facilitator/plans/{BUILTIN_PLAN.stem}").get_data(as_text=True)
    assert "A built-in plan cannot hold slide decks." in unescape(page)
    assert 'id="deck-upload"' not in page
    assert uploads == []


def open_session(client):
    return client.post("/facilitator/sessions", data={"plan": SLUG})


def test_a_session_opens_once_every_deck_is_there_and_locks_them(app, client, uploads):
    upload(client)
    response = open_session(client)
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    assert (
        "The session was not opened. Stage 4 (“All of it”) shows the slide deck "
        "Other deck_2.PPTX, which has not been uploaded: upload it in the plan's editor, "
        "under Slide decks."
    ) in page
    with database(app).sessionmaker() as db:
        assert db.scalars(select(WorkshopSession)).all() == []

    upload(client, name="Other deck_2.PPTX")
    assert open_session(client).status_code == 302
    with database(app).sessionmaker() as db:
        session = db.scalars(select(WorkshopSession)).one()
        kept = {row.name for row in db.scalars(select(SessionDeck)).all()}
        assert kept == {"framework.pdf", "Other deck_2.PPTX"}
        assert session.plan_slug == SLUG

    # The session locks the plan: its decks neither change nor go.
    refused = upload(client)
    assert refused.status_code == 409
    assert refused.get_json()["error"].startswith("This plan is locked")
    removal = client.post(f"/facilitator/plans/{SLUG}/decks/framework.pdf/remove", headers=JSON)
    assert removal.status_code == 409
    assert plan_deck_names(app) == {"framework.pdf": 6, "Other deck_2.PPTX": 3}
    page = client.get(f"/facilitator/plans/{SLUG}").get_data(as_text=True)
    assert "Decks cannot be uploaded or removed while a session uses the plan." in unescape(page)
    assert 'class="inline-form deck-remove"' not in page


def test_a_plan_naming_a_deck_not_uploaded_is_saved_with_the_problem_shown(app, client):
    source = PLAN.replace("Slides and a question", "Slides, edited")
    response = client.post(f"/facilitator/plans/{SLUG}", data={"source": source}, headers=JSON)
    assert response.status_code == 200
    reply = response.get_json()
    assert reply["ok"] is True
    assert [problem["field"] for problem in reply["deck_problems"]] == [
        "stages[1].deck",
        "stages[3].deck",
        "stages[4].deck",
    ]
    assert reply["deck_problems"][0]["message"] == (
        "the deck framework.pdf is not uploaded yet: upload framework.pdf below, under Slide decks"
    )
    with database(app).sessionmaker() as db:
        assert db.scalar(select(StoredPlan.source).where(StoredPlan.slug == SLUG)) == source
    # The editor page says it too, in the panel, by line and field.
    page = unescape(client.get(f"/facilitator/plans/{SLUG}").get_data(as_text=True))
    assert "Before a session can open this plan:" in page
    assert "upload framework.pdf below, under Slide decks" in page
    # Without the script the save comes back to the editor with the problems.
    response = client.post(f"/facilitator/plans/{SLUG}", data={"source": source})
    page = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Before a session can open this plan: line 10: stages[1].deck: the deck" in page


def test_duplicate_carries_the_decks_and_delete_drops_them(app, client, uploads):
    upload(client)
    response = client.post(f"/facilitator/plans/{SLUG}/duplicate")
    copy = response.headers["Location"].rsplit("/", 1)[1]
    assert copy != SLUG and plan_deck_names(app, copy) == {"framework.pdf": 6}
    assert client.post(f"/facilitator/plans/{SLUG}/delete").status_code == 302
    assert plan_deck_names(app) == {}
    assert plan_deck_names(app, copy) == {"framework.pdf": 6}
    thumbnail = client.get(f"/facilitator/plans/{copy}/decks/framework.pdf/1.webp")
    assert thumbnail.status_code == 200


def test_a_session_of_a_plan_without_slides_is_not_concerned(app, client):
    with database(app).sessionmaker() as db:
        plan = stored.validate(stored.STARTER_PLAN)
        session = operations.create_session(db, plan, None)
        assert plan_decks.decks_of_session(db, session.id) == {}


def preview_stage(client, stage: str, slug: str = SLUG) -> dict:
    response = client.post(
        "/facilitator/plans/preview", data={"source": PLAN, "stage": stage, "slug": slug}
    )
    page = response.get_data(as_text=True)
    return json.loads(unescape(re.search(r"data-preview='([^']*)'", page).group(1)))["stage"]


def test_the_preview_shows_a_slides_stages_pages_of_the_plans_deck(client, uploads):
    upload(client)
    slides = preview_stage(client, "tests")["slides"]
    assert [(s["index"], s["of"], s["text"]) for s in slides] == [
        (0, 2, "Page 5"),
        (1, 2, "Page 6"),
    ]
    assert slides[0]["image"] == f"/facilitator/plans/{SLUG}/decks/framework.pdf/5.webp"
    assert client.get(slides[0]["image"]).headers["Content-Type"] == "image/webp"
    # A deck not uploaded yet, or no stored plan to take it from: the phone's own words.
    assert preview_stage(client, "all")["slides"] == [
        {"error": "This stage's slides are missing. Go on to the next stage."}
    ]
    assert preview_stage(client, "tests", slug="")["slides"][0]["error"]
    assert "slides" not in preview_stage(client, "clear")
