"""Export downloads over HTTP: every format's content type and file name, the zip's
contents, series downloads, the console's and dashboard's links, and who may download."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from facilitation.exports import formats
from facilitation.models import Grant, Series, WorkshopSession
from tests.exports.conftest import login, read_csv


def url(code: str, filename: str) -> str:
    return f"/facilitator/sessions/{code}/export/{filename}"


@pytest.fixture
def facilitator(app):
    return login(app)[0]


def test_every_format_downloads_with_its_type_and_file_name(played, facilitator):
    assert {"participants", "responses", "datapackage", "zip"} <= {
        e.name for e in formats.formats()
    }
    for entry in formats.formats():
        response = facilitator.get(url(played.code, entry.filename))
        assert response.status_code == 200, entry.filename
        assert response.mimetype == entry.mimetype.split(";")[0]
        # Said once: Werkzeug appends a charset to a text/ mimetype that already has one.
        assert response.headers["Content-Type"].count("charset") <= 1, entry.filename
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="{played.code}-{entry.filename}"'
        )
        assert response.headers["Cache-Control"] == "no-store"
        assert response.is_streamed
        assert response.data
    text = facilitator.get(url(played.code, "responses.csv")).get_data(as_text=True)
    assert read_csv(text)[0]["session"] == played.code
    package = facilitator.get(url(played.code, "datapackage.json")).get_json()
    assert package["resources"][0]["path"] == "transcript.csv"


def test_the_zip_holds_every_file_of_the_export(played, facilitator):
    response = facilitator.get(url(played.code, "export.zip"))
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    names = archive.namelist()
    with played.workshop.db() as db:
        session = db.get(WorkshopSession, played.workshop.session_id)
        assert names == [entry.filename for entry in formats.bundled(db, [session])]
    assert {
        "transcript.csv",
        "transcript.json",
        "participants.csv",
        "stages.csv",
        "responses.csv",
        "comments.csv",
        "notes.csv",
        "datapackage.json",
    } <= set(names)
    for optional in ("report.html", "project.qdpx"):  # when their modules are there
        assert (optional in names) == (formats.find(optional) is not None)
    alone = facilitator.get(url(played.code, "comments.csv")).data
    assert archive.read("comments.csv") == alone
    events = json.loads(archive.read("transcript.json"))["events"]
    assert events[0]["type"] == "session.created"


def test_the_old_transcript_urls_still_work(played, facilitator):
    response = facilitator.get(f"/facilitator/sessions/{played.code}/transcript.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data(as_text=True).startswith("session,seq,time")
    assert facilitator.get(f"/facilitator/sessions/{played.code}/transcript.xml").status_code == (
        404
    )


def test_who_may_download(app, played):
    anonymous = app.test_client().get(url(played.code, "responses.csv"))
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]

    facilitator = login(app)[0]
    assert facilitator.get(url("NOPE22", "responses.csv")).status_code == 404
    assert facilitator.get(url(played.code, "secrets.csv")).status_code == 404
    assert facilitator.get(url(played.code, "report")).status_code == 404  # a name, not a file

    researcher, researcher_id = login(app, "researcher")
    assert researcher.get(url(played.code, "responses.csv")).status_code == 403
    assert researcher.get(f"/facilitator/sessions/{played.code}/transcript.csv").status_code == (
        403
    )
    with played.workshop.db() as db:
        db.add(Grant(researcher_id=researcher_id, session_id=played.workshop.session_id))
        db.commit()
    assert researcher.get(url(played.code, "responses.csv")).status_code == 200
    assert researcher.get(url(played.code, "export.zip")).status_code == 200


def test_series_downloads(app, played, every):
    with every.db() as db:
        series = Series(title="Six areas", description="")
        db.add(series)
        db.flush()
        db.get(WorkshopSession, every.session_id).series_id = series.id
        db.commit()
        series_id = series.id
    facilitator = login(app)[0]
    response = facilitator.get(f"/facilitator/series/{series_id}/export/participants.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="series-{series_id}-participants.csv"'
    )
    assert {row["session"] for row in read_csv(response.get_data(as_text=True))} == {played.code}
    archive = zipfile.ZipFile(
        io.BytesIO(facilitator.get(f"/facilitator/series/{series_id}/export/export.zip").data)
    )
    assert "datapackage.json" in archive.namelist()
    assert facilitator.get("/facilitator/series/999/export/participants.csv").status_code == 404

    researcher, researcher_id = login(app, "researcher")
    series_url = f"/facilitator/series/{series_id}/export/responses.csv"
    assert researcher.get(series_url).status_code == 403
    with every.db() as db:
        db.add(Grant(researcher_id=researcher_id, series_id=series_id))
        db.commit()
    assert researcher.get(series_url).status_code == 200
    # The series grant reaches its sessions too.
    assert researcher.get(url(played.code, "notes.csv")).status_code == 200


def test_console_and_dashboard_link_every_download(app, played, facilitator):
    page = facilitator.get(f"/facilitator/sessions/{played.code}").get_data(as_text=True)
    assert 'id="exports-heading"' in page
    for entry in formats.formats():
        assert f'href="{url(played.code, entry.filename)}"' in page
    # The session bar's transcript buttons are still there.
    assert f'href="/facilitator/sessions/{played.code}/transcript.csv"' in page
    assert "Everything (zip)" in page
    dashboard = facilitator.get("/facilitator/").get_data(as_text=True)
    assert f'href="{url(played.code, "export.zip")}"' in dashboard
    assert f'href="{url(played.code, "responses.csv")}"' in dashboard
