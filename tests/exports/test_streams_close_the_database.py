"""A streamed download closes its database session when the stream ends, finished or
abandoned by the client half-way, every format of a session and of a series.

A session left open holds a pooled connection and a read transaction until the garbage
collector happens to free it; on SQLite that keeps the ``-wal`` file from being checkpointed
(so a withdrawn participant's text stays in it, and the file grows).
"""

from __future__ import annotations

import sqlite3

import pytest

from facilitation.db import database
from facilitation.exports import formats
from facilitation.series import operations as series_operations
from tests.exports.conftest import login

FORMATS = [entry.filename for entry in formats.formats()]


@pytest.fixture
def facilitator(app):
    return login(app)[0]


def url(played, filename: str, series_id: int | None) -> str:
    if series_id is not None:
        return f"/facilitator/series/{series_id}/export/{filename}"
    return f"/facilitator/sessions/{played.code}/export/{filename}"


@pytest.fixture(params=["session", "series"])
def series_id(request, played, app):
    if request.param == "session":
        return None
    with database(app).sessionmaker() as db:
        series = series_operations.create_series(db, "Every activity")
        series_operations.add_session(
            db, series.id, played.workshop.session_id, "Cardiff", "2025-03-01"
        )
        return series.id


def assert_nothing_left_open(app, tmp_path) -> None:
    assert database(app).engine.pool.checkedout() == 0
    # Another process's checkpoint, as a backup tool's would be: nothing blocks it.
    outside = sqlite3.connect(tmp_path / "app.db", timeout=0)
    try:
        busy, _, _ = outside.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        outside.close()
    assert busy == 0
    assert (tmp_path / "app.db-wal").stat().st_size == 0


@pytest.mark.parametrize("filename", FORMATS)
def test_a_full_download_closes_its_session(
    played, facilitator, app, tmp_path, series_id, filename
):
    response = facilitator.get(url(played, filename, series_id))
    assert response.status_code == 200
    assert response.is_streamed
    assert response.get_data()
    assert_nothing_left_open(app, tmp_path)


@pytest.mark.parametrize("filename", FORMATS)
def test_a_download_abandoned_mid_stream_closes_its_session(
    played, facilitator, app, tmp_path, series_id, filename
):
    response = facilitator.get(url(played, filename, series_id))
    assert response.status_code == 200
    chunks = iter(response.response)
    assert next(chunks)  # the first bytes reached the client, which then went away
    response.close()  # what the WSGI server does when the client disconnects
    assert_nothing_left_open(app, tmp_path)


def test_the_transcripts_first_address_closes_its_session(played, facilitator, app, tmp_path):
    for fmt in ("csv", "json"):
        response = facilitator.get(f"/facilitator/sessions/{played.code}/transcript.{fmt}")
        chunks = iter(response.response)
        assert next(chunks)
        response.close()
        assert_nothing_left_open(app, tmp_path)
