"""After a participant withdraws, no export says anything about them but the fact of it.

Every format in ``facilitation/exports/formats.py``'s registry is produced (zips and the
.qdpx project are opened and each file inside is read), so a format added later is checked
without editing this test. The withdrawn participant answered every stage, commented,
agreed and disagreed, gave a display name (and allowed it in exports) and a sector and a
table; none of that may appear anywhere. Their pseudonym may appear only in the transcript's
``participant.joined`` (emptied) and ``participant.withdrew`` events, and as a row of
participants.csv that says they withdrew and nothing else.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from facilitation.exports import formats
from facilitation.extensions import socketio
from facilitation.models import WorkshopSession
from tests.factories import Workshop
from tests.privacy.scenario import GONE_NAME, GONE_TEXT, PLAN, play

# The transcript events that may still name a withdrawn participant.
WITHDRAWAL_EVENTS = {"participant.joined", "participant.withdrew"}


@pytest.fixture
def played(app, tmp_path):
    path = tmp_path / "every-activity.yaml"
    path.write_text(PLAN)
    workshop = Workshop(app, socketio, path)
    yield play(workshop)
    workshop.close()


def files_of(name: str, data: bytes) -> dict[str, bytes]:
    """The file itself, or every file inside it if it is a zip (the bundle, the .qdpx)."""
    if data[:4] == b"PK\x03\x04":
        found = {}
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                found.update(files_of(f"{name}/{member}", archive.read(member)))
        return found
    return {name: data}


def every_export(played, sessions_of) -> dict[str, str]:
    """Every registered format's output for the session, as text by file name."""
    produced = {}
    with played.workshop.db() as db:
        session = db.get(WorkshopSession, played.workshop.session_id)
        for entry in formats.formats():
            chunks = entry.produce(db, sessions_of(session))
            data = b"".join(c.encode() if isinstance(c, str) else c for c in chunks)
            for name, content in files_of(entry.filename, data).items():
                produced[name] = content.decode("utf-8", errors="replace")
    return produced


@pytest.fixture(params=["session", "series"])
def exports(request, played, app, tmp_path):
    """The session's exports, and a series export of it with another session after it."""
    if request.param == "session":
        return every_export(played, lambda session: [session])
    path = tmp_path / "other.yaml"
    path.write_text(PLAN)
    other = Workshop(app, socketio, path)
    other.join("Health", display_name="Someone Else")
    with other.db() as db:
        second = db.get(WorkshopSession, other.session_id)
    try:
        return every_export(played, lambda session: [session, second])
    finally:
        other.close()


def test_the_registry_is_covered(played):
    names = {entry.name for entry in formats.formats()}
    assert {"transcript-csv", "transcript-json", "zip"} <= names
    produced = every_export(played, lambda s: [s])
    assert "transcript.csv" in produced and "export.zip/transcript.csv" in produced


def test_no_export_holds_their_name_or_words(played, exports):
    for name, text in exports.items():
        assert GONE_NAME not in text, name
        assert GONE_TEXT not in text, name
    # Others' names and words are still there (the check above can fail).
    assert any("Sam Jones" in text for text in exports.values())
    assert any("ask people first" in text for text in exports.values())


def test_their_pseudonym_only_marks_the_withdrawal(played, exports):
    gone = played.gone.pseudonym
    for name, text in exports.items():
        if gone not in text:
            continue
        base = name.rsplit("/", 1)[-1]
        if base == "transcript.csv":
            rows = [r for r in csv.DictReader(io.StringIO(text)) if gone in json.dumps(r)]
            assert {r["type"] for r in rows} == WITHDRAWAL_EVENTS, name
            for row in rows:
                assert row["actor"] == gone and not row["sector"] and not row["table"], row
                assert row["content"] in ("", '{"withdrawn": true}'), row
        elif base == "transcript.json":
            events = [e for e in json.loads(text)["events"] if gone in json.dumps(e)]
            assert {e["type"] for e in events} == WITHDRAWAL_EVENTS, name
            for event in events:
                assert event["sector"] is None and event["table"] is None, event
                assert event["content"] in ({}, {"withdrawn": True}), event
        elif base == "participants.csv":
            rows = [r for r in csv.DictReader(io.StringIO(text)) if gone in json.dumps(r)]
            assert len(rows) == 1, name
            row = rows[0]
            assert row.get("withdrawn_at") or row.get("withdrawn") not in ("", "false"), row
            for column in ("sector", "table", "display_name"):
                assert not row.get(column), (column, row)
        else:
            raise AssertionError(f"{name} mentions the withdrawn participant {gone}")


def test_their_answers_and_votes_are_not_counted(played, exports):
    responses = list(csv.DictReader(io.StringIO(exports["responses.csv"])))
    assert played.gone.pseudonym not in {r["pseudonym"] for r in responses}
    # Three people answered the rating stage; one withdrew: two remain.
    rated = {r["pseudonym"] for r in responses if r["stage"] == "rate"}
    assert rated == {played.named.pseudonym, played.unnamed.pseudonym}

    comments = {
        r["text"].lstrip("'"): r for r in csv.DictReader(io.StringIO(exports["comments.csv"]))
    }
    # Their disagreement with another's comment is gone; the agreement that stays is counted.
    kept = comments["@risk: ask people first"]
    assert (kept["agree"], kept["disagree"]) == ("1", "0")
    # Their vote for another's statement is gone too; the pass that stays is counted.
    statement = comments["Data should stay local"]
    assert (statement["agree"], statement["disagree"], statement["passes"]) == ("0", "0", "1")
