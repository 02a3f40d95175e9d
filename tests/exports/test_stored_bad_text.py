"""Exports of rows stored before text was checked on the way in (``facilitation/text.py``):
a lone surrogate, NUL, C1 controls and bidi overrides in answers, comments, notes, names,
labels and table names. Every download, the zip and ``flask export`` still write whole
files that parse, with U+FFFD where a character could not be written."""

from __future__ import annotations

import json

import pytest

from facilitation.models import (
    Answer,
    Comment,
    Event,
    Note,
    Participant,
    Series,
    WorkshopSession,
)
from facilitation.workshop.projection import canonical
from tests.exports.conftest import login
from tests.exports.parsed import download_all, read_folder, unwritable_in
from tests.factories import client_id

# "\ud800" came in as JSON and went back out to the database through JSON columns, which
# escape it; NUL, C1 and a right-to-left override fit in any text column.
SURROGATE = "word\ud800cloud"
CONTROLS = "rude\x00\x1b[31m\x85 text \u202eevil\u202c"


@pytest.fixture
def stored_badly(played):
    """The played session with bad text written straight into the database, as old data."""
    workshop = played.workshop
    with workshop.db() as db:
        named = db.get(Participant, played.named.id)
        named.display_name = "Sam\x00\u202e"
        named.table_key = "Table\x07A"
        answer = db.query(Answer).filter_by(participant_id=named.id, stage_key="words").one()
        answer.value = canonical({"text": SURROGATE})
        seq = db.get(WorkshopSession, workshop.session_id).last_seq + 1
        db.add(
            Event(
                session_id=workshop.session_id,
                seq=seq,
                actor=named.pseudonym,
                participant_id=named.id,
                type="answer.submitted",
                stage_key="words",
                client_id=client_id(),
                payload={"value": {"text": SURROGATE}},
            )
        )
        db.get(WorkshopSession, workshop.session_id).last_seq = seq
        db.get(WorkshopSession, workshop.session_id).tables = ["Table A", "Table B", "\ud800"]
        db.get(Comment, played.comments["talk"]).text = CONTROLS
        note = db.get(Note, played.notes["a"])
        note.text, note.author = CONTROLS, "Scribe\u202e"
        db.commit()
    return played


def test_the_old_rows_are_really_stored(stored_badly):
    with stored_badly.workshop.db() as db:
        answer = db.query(Answer).filter_by(stage_key="words").all()
        assert any(json.loads(a.value)["text"] == SURROGATE for a in answer)
        assert db.get(Comment, stored_badly.comments["talk"]).text == CONTROLS


def test_every_download_parses_with_the_bad_characters_replaced(app, stored_badly, caplog):
    client, _ = login(app)
    parsed = download_all(client, stored_badly.code)
    assert unwritable_in(parsed) == []
    responses = parsed["responses.csv"]
    assert any("word\ufffdcloud" in cell for row in responses for cell in row)
    comments = parsed["comments.csv"]
    assert any("rude\ufffd\ufffd[31m\ufffd text \ufffdevil\ufffd" in c for r in comments for c in r)
    events = parsed["transcript.json"]["events"]
    assert any("word\ufffdcloud" in json.dumps(e, ensure_ascii=False) for e in events)
    assert "word\ufffdcloud" in parsed["export.zip"]["transcript.csv"][-1][-1]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_flask_export_writes_every_file_whole(app, stored_badly, tmp_path):
    out = tmp_path / "out"
    result = app.test_cli_runner().invoke(
        args=["export", stored_badly.code, "--out", str(out), "--format", "zip"]
    )
    assert result.exit_code == 0, result.output
    result = app.test_cli_runner().invoke(args=["export", stored_badly.code, "--out", str(out)])
    assert result.exit_code == 0, result.output
    parsed = read_folder(out)
    assert {"transcript.csv", "transcript.json", "responses.csv", "export.zip"} <= set(parsed)
    assert unwritable_in(parsed) == []


def test_the_live_views_of_old_rows_do_not_fail(app, stored_badly):
    """The console, the projector and a phone read the same rows while the session runs."""
    workshop = stored_badly.workshop
    facilitator, screen = workshop.facilitator(), workshop.screen()
    phone = workshop.phone(participant=stored_badly.named)
    for client in (facilitator, screen, phone):
        reply = client.emit("sync")
        assert "error" not in reply, reply
    with workshop.db() as db:
        series = Series(title="Areas", description="")
        db.add(series)
        db.flush()
        db.get(WorkshopSession, workshop.session_id).series_id = series.id
        db.commit()
        series_id = series.id
    client, _ = login(app)
    pages = (
        "/facilitator/",
        f"/facilitator/sessions/{workshop.code}",
        f"/s/{workshop.code}/screen",
        f"/facilitator/series/{series_id}",
    )
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        response.get_data(as_text=True)
