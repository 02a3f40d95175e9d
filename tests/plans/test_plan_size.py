"""One size limit for a plan on every way in (plans/loader.py: MAX_PLAN_BYTES, 512 KB),
with the app's own message, and the app's own 413 answer (request_size.py) for a request
over MAX_CONTENT_LENGTH anywhere: a page like its other error pages, or JSON."""

from __future__ import annotations

import io
from html import unescape

import pytest
from flask import Flask
from sqlalchemy import func, select

from facilitation.db import database
from facilitation.models import StoredPlan
from facilitation.plans import PlanInvalid, parse_plan
from facilitation.plans.cli import plan_cli
from facilitation.plans.library import list_plans
from facilitation.plans.loader import MAX_PLAN_BYTES, load_plan
from tests.plans.test_editor_views import client, facilitator, folder, import_small  # noqa: F401
from tests.plans.test_stored import SMALL

TOO_BIG = "the plan is too big: at most 512 KB; this one has 600 KB"
LIMIT_ONLY = "the plan is too big: at most 512 KB"
EDITOR = "/facilitator/plans/check-in"
JSON = {"Accept": "application/json"}
MB = 1024 * 1024


def plan_of_size(size: int) -> str:
    """SMALL made ``size`` bytes long by a comment: a valid plan in every other way."""
    padding = size - len(SMALL.encode()) - len("# \n")
    return SMALL + "# " + "x" * padding + "\n"


BIG = plan_of_size(600 * 1024)
LARGEST = plan_of_size(MAX_PLAN_BYTES)


def stored_plans(app) -> int:
    with database(app).sessionmaker() as db:
        return db.scalar(select(func.count()).select_from(StoredPlan))


def test_the_loader_refuses_a_plan_over_the_limit_before_reading_it():
    assert len(BIG.encode()) == 600 * 1024 and len(LARGEST.encode()) == MAX_PLAN_BYTES
    with pytest.raises(PlanInvalid) as refused:
        parse_plan(BIG, "big")
    assert [str(error) for error in refused.value.errors] == [TOO_BIG]
    assert parse_plan(LARGEST, "largest").title == "Quick check-in"
    # Bytes, not characters: 200,000 three-byte characters are 600,000 bytes.
    with pytest.raises(PlanInvalid, match="at most 512 KB; this one has 587 KB"):
        parse_plan(SMALL + "# " + "€" * 200_000 + "\n", "euros")


def test_an_upload_over_the_limit_is_refused(app, client):  # noqa: F811
    upload = client.post(
        "/facilitator/plans/import",
        data={"file": (io.BytesIO(BIG.encode()), "big.yaml")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 400 and TOO_BIG in upload.get_data(as_text=True)
    assert stored_plans(app) == 0


def test_a_pasted_source_over_the_limit_is_refused(app, client):  # noqa: F811
    # Before: the import's `source` field had no limit, and 600 KB was imported.
    pasted = client.post("/facilitator/plans/import", data={"source": BIG})
    assert pasted.status_code == 400 and TOO_BIG in pasted.get_data(as_text=True)
    assert stored_plans(app) == 0


def test_an_editor_save_over_the_limit_is_refused_and_the_saved_plan_kept(app, client):  # noqa: F811
    import_small(client)
    page = client.post(EDITOR, data={"source": BIG})
    assert page.status_code == 400 and TOO_BIG in page.get_data(as_text=True)
    answer = client.post(EDITOR, data={"source": BIG}, headers=JSON)
    assert answer.status_code == 400
    assert answer.json["errors"] == [{"line": None, "field": "", "message": TOO_BIG}]
    with database(app).sessionmaker() as db:
        assert db.scalar(select(StoredPlan.source).where(StoredPlan.slug == "check-in")) == SMALL


def test_a_plan_of_exactly_the_limit_is_saved_from_the_editor(app, client):  # noqa: F811
    # Flask's own form limit (500,000 bytes) used to refuse it with a bare 413.
    import_small(client)
    answer = client.post(EDITOR, data={"source": LARGEST}, headers=JSON)
    assert answer.status_code == 200 and answer.json["ok"] is True


@pytest.mark.parametrize("helper", ["parse", "check", "preview"])
def test_the_editors_helpers_refuse_a_plan_over_the_limit(client, helper):  # noqa: F811
    answer = client.post(f"/facilitator/plans/{helper}", data={"source": BIG, "stage": "mood"})
    if helper == "preview":
        assert TOO_BIG in unescape(answer.get_data(as_text=True))
    else:
        assert answer.json["ok"] is False
        assert answer.json["errors"] == [{"line": None, "field": "", "message": TOO_BIG}]


def test_a_plan_file_over_the_limit_is_refused_by_the_cli_and_the_library(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "big.yaml").write_text(BIG)
    (plans / "small.yaml").write_text(SMALL)
    with pytest.raises(PlanInvalid, match="at most 512 KB"):
        load_plan(plans / "big.yaml")
    listings = {listing.slug: listing for listing in list_plans(plans)}
    assert listings["small"].valid and not listings["big"].valid
    assert [str(error) for error in listings["big"].errors] == [TOO_BIG]
    cli = Flask(__name__)
    cli.cli.add_command(plan_cli)
    result = cli.test_cli_runner().invoke(args=["plan", "check", str(plans / "big.yaml")])
    assert result.exit_code == 1
    assert result.stderr == f"{plans / 'big.yaml'}: {TOO_BIG}\n"


# Requests over MAX_CONTENT_LENGTH ---------------------------------------------------------


def test_a_ten_megabyte_upload_gets_the_plans_page_with_the_plan_limit(app, client):  # noqa: F811
    upload = client.post(
        "/facilitator/plans/import",
        data={"file": (io.BytesIO(b"x" * 10 * MB), "huge.yaml")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 413
    page = upload.get_data(as_text=True)
    assert LIMIT_ONLY in page and "Import" in page  # the plans page, not Werkzeug's
    assert "Request Entity Too Large" not in page
    assert stored_plans(app) == 0


def test_a_ten_megabyte_save_answers_the_editor_in_json(app, client):  # noqa: F811
    import_small(client)
    answer = client.post(EDITOR, data={"source": "x" * 10 * MB}, headers=JSON)
    assert answer.status_code == 413
    assert answer.json["ok"] is False
    assert answer.json["errors"] == [{"line": None, "field": "", "message": LIMIT_ONLY}]
    page = client.post(EDITOR, data={"source": "x" * 10 * MB})
    assert page.status_code == 413 and LIMIT_ONLY in page.get_data(as_text=True)
    assert "Quick check-in" in unescape(page.get_data(as_text=True))  # the saved plan shown


def test_over_the_limit_anyone_else_gets_the_apps_own_413_page(app, folder):  # noqa: F811
    app.config["WTF_CSRF_ENABLED"] = True  # as served: CSRF reads the body before the login
    anonymous = app.test_client()
    for path in ("/facilitator/plans/import", "/login", "/j/ABCDEF"):
        answer = anonymous.post(path, data={"source": "x" * 2 * MB})
        page = answer.get_data(as_text=True)
        assert answer.status_code == 413, path
        assert "That was too much to send at once: at most 1 MB." in page
        assert "/static/css/base." in page and "Request Entity Too Large" not in page
        assert "check-in" not in page and "Data for public benefit" not in page  # no plan list
    answer = anonymous.post("/login", data={"source": "x" * 2 * MB}, headers=JSON)
    assert answer.status_code == 413
    assert answer.json == {"ok": False, "error": "That was too much to send at once: at most 1 MB."}
