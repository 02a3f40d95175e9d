"""The plan's logo as the app serves it (GET /s/<code>/logo, docs/security.md): only the
file the session's plan names, only while the session is kept, only a PNG, JPEG or WebP
image by its bytes, with its type said and never sniffed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import update

from facilitation.extensions import socketio
from facilitation.models import WorkshopSession
from facilitation.workshop.identity import screen_key
from tests.conftest import BUILTIN_PLAN
from tests.factories import Workshop
from tests.support.images import SVG, png

LOGO = png()


def themed_plan(folder: Path, theme: str = "  logo: logo.png\n") -> Path:
    path = folder / "themed.yaml"
    path.write_text(BUILTIN_PLAN.read_text(encoding="utf-8") + "theme:\n" + theme)
    return path


@pytest.fixture
def plans(app, tmp_path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "logo.png").write_bytes(LOGO)
    app.config["PLANS_DIR"] = str(folder)
    return folder


@pytest.fixture
def themed(app, plans):
    workshop = Workshop(app, socketio, themed_plan(plans))
    yield workshop
    workshop.close()


def test_the_logo_of_a_session_in_use_is_served(app, themed):
    response = app.test_client().get(f"/s/{themed.code}/logo")
    assert response.status_code == 200
    assert response.data == LOGO
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    again = app.test_client().get(
        f"/s/{themed.code}/logo", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_the_projector_shows_the_logo_and_the_theme(app, themed):
    with app.test_request_context():
        key = screen_key(themed.session())
    page = app.test_client().get(f"/s/{themed.code}/screen?key={key}").get_data(as_text=True)
    assert f'<img class="theme-logo" src="/s/{themed.code}/logo" alt="">' in page
    assert re.search(r'href="/static/css/screen-theme\.[0-9a-f]{10}\.css"', page)
    assert 'data-theme-mode="light"' in page


def test_no_logo_for_a_plan_without_one(app, workshop, plans):
    assert app.test_client().get(f"/s/{workshop.code}/logo").status_code == 404


def test_no_logo_for_a_session_that_does_not_exist(app, plans):
    assert app.test_client().get("/s/ZZZZZZ/logo").status_code == 404
    assert app.test_client().get("/s/../logo").status_code == 404


def test_no_logo_once_the_session_is_archived(app, themed):
    with themed.db() as db:
        db.execute(
            update(WorkshopSession)
            .where(WorkshopSession.id == themed.session_id)
            .values(status="archived")
        )
        db.commit()
    assert app.test_client().get(f"/s/{themed.code}/logo").status_code == 404


def test_a_logo_swapped_for_another_type_after_the_plan_loaded_is_not_served(app, themed, plans):
    (plans / "logo.png").write_bytes(SVG)
    assert app.test_client().get(f"/s/{themed.code}/logo").status_code == 404


def test_a_logo_replaced_by_a_link_out_of_the_folder_is_not_served(app, themed, plans, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(LOGO)
    (plans / "logo.png").unlink()
    (plans / "logo.png").symlink_to(secret)
    assert app.test_client().get(f"/s/{themed.code}/logo").status_code == 404
