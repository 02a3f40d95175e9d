"""What a participant withdrew, or a purge deleted, is gone from the disk, not only from the
tables: no file of the instance folder (the SQLite database, its ``-wal`` and ``-shm``
files) holds a byte of it.

SQLite in WAL mode writes every change to the ``-wal`` file first; the frames that held the
withdrawn text stay there until the file is checkpointed and truncated, and without
``secure_delete`` a deleted row's bytes stay in the database file's free space. The files
are read raw, as anyone with a copy of the folder could.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from facilitation import db as db_module
from facilitation.db import database
from facilitation.extensions import socketio
from facilitation.models import WorkshopSession
from facilitation.workshop import operations
from tests.factories import Client, Workshop, client_id
from tests.support.live import joined as joined_as_phone
from tests.support.scenario import PLAN, open_stage

# Distinctive enough never to appear by chance; one per way the text went in.
NAME = "Zqxnamemarker"
WORD = "zqxwordmarker"
COMMENT = "zqxcommentmarker"
MARKERS = (NAME, WORD, COMMENT)


@pytest.fixture
def workshop(app, tmp_path):
    path = tmp_path / "every-activity.yaml"
    path.write_text(PLAN)
    workshop = Workshop(app, socketio, path)
    yield workshop
    workshop.close()


def phone_joined(workshop: Workshop, display_name: str) -> Client:
    """A phone that joined through the join page, as a person does."""
    http = workshop.app.test_client()
    response = http.post(
        f"/j/{workshop.code}",
        data={"display_name": display_name, "sector": "Health", "consent": "on"},
    )
    assert joined_as_phone(response, workshop.code), response.get_data(as_text=True)
    phone = Client(workshop.app, socketio, {"code": workshop.code, "role": "participant"}, http)
    workshop.clients.append(phone)
    return phone


def contribute(workshop: Workshop, phone: Client) -> None:
    """Word-cloud words and a comment, each holding a marker; and someone else's, kept."""
    open_stage(workshop, "words")
    ack = phone.emit(
        "answer", {"stage": "words", "client_id": client_id(), "value": {"text": f"{WORD} fair"}}
    )
    assert ack["ok"], ack
    open_stage(workshop, "light")
    ack = phone.emit(
        "comment", {"stage": "light", "client_id": client_id(), "text": f"I think {COMMENT}"}
    )
    assert ack["ok"], ack


def files_holding_markers(folder: Path) -> dict[str, list[str]]:
    """Which files of ``folder`` hold which markers, read raw (any case)."""
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes().lower()
        held = [marker for marker in MARKERS if marker.lower().encode() in data]
        if held:
            found[path.name] = held
    return found


def test_a_withdrawal_leaves_its_text_in_no_file_of_the_instance_folder(workshop, tmp_path):
    phone = phone_joined(workshop, f"{NAME} Person")
    contribute(workshop, phone)
    # Before the withdrawal the text is on disk (so the check below can fail).
    assert files_holding_markers(tmp_path)

    ack = phone.emit("withdraw")
    assert ack["ok"], ack

    assert files_holding_markers(tmp_path) == {}
    assert (tmp_path / "app.db-wal").stat().st_size == 0


def test_a_purge_leaves_the_sessions_text_in_no_file_of_the_instance_folder(
    workshop, app, tmp_path
):
    phone = phone_joined(workshop, f"{NAME} Person")
    contribute(workshop, phone)
    phone.disconnect()
    with workshop.db() as db:
        operations.end_session(db, workshop.session_id)
        db.get(WorkshopSession, workshop.session_id).ended_at = datetime(2025, 1, 1, tzinfo=UTC)
        db.commit()
    assert files_holding_markers(tmp_path)

    result = app.test_cli_runner().invoke(args=["purge"])
    assert "Purged 1 session." in result.output, result.output

    assert files_holding_markers(tmp_path) == {}
    assert (tmp_path / "app.db-wal").stat().st_size == 0


def test_a_reader_left_open_blocks_the_checkpoint_until_it_ends(workshop, tmp_path, monkeypatch):
    """Why every session must be closed (streamed downloads included): a read transaction
    left open keeps the ``-wal`` file, and the text in it, until it ends."""
    monkeypatch.setattr(db_module, "CHECKPOINT_TRIES", 2)  # fail fast when blocked
    phone = phone_joined(workshop, f"{NAME} Person")
    contribute(workshop, phone)
    engine = database(workshop.app).engine

    with workshop.db() as reader:
        reader.get(WorkshopSession, workshop.session_id)  # a read transaction, left open
        with workshop.db() as db:
            assert db_module.forget_deleted(db) is False
        assert (tmp_path / "app.db-wal").stat().st_size > 0
    with workshop.db() as db:
        assert db_module.forget_deleted(db) is True
    assert engine.pool.checkedout() == 0
    assert (tmp_path / "app.db-wal").stat().st_size == 0
