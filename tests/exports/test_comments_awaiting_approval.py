"""comments.csv tells a self-paced run's moderation apart: a comment approved, one rejected
and one still waiting for approval (both of the latter hidden) each read differently, typed
through datapackage.json, which stays valid."""

from __future__ import annotations

import frictionless
import pytest

from facilitation.exports.formats import write_export
from facilitation.extensions import socketio
from facilitation.models import WorkshopSession
from facilitation.workshop import operations
from tests.conftest import BUILTIN_PLAN
from tests.exports.conftest import produce, read_csv
from tests.factories import Run, client_id


@pytest.fixture
def moderated(app):
    """A run that approves comments first, with one comment approved, one rejected and one
    awaiting; the run and the comments' ids by what happened to them."""
    run = Run(app, socketio, BUILTIN_PLAN, approve_comments=True)
    index = next(i for i, stage in enumerate(run.plan.stages) if stage.takes_comments)
    stage = run.plan.stages[index].key
    ids = {}
    for fate in ("approved", "rejected", "waiting"):
        phone = run.phone()
        for step in range(1, index + 1):
            phone.emit("pace", {"index": step})
        posted = phone.emit("comment", {"stage": stage, "text": fate, "client_id": client_id()})
        assert posted["ok"] is True, posted
        ids[fate] = posted["comment_id"]
    with run.db() as db:
        operations.restore_comment(db, run.session_id, ids["approved"])
        operations.hide_comment(db, run.session_id, ids["rejected"])
    yield run, ids
    run.close()


def test_comments_csv_tells_awaiting_approval_from_rejected(moderated):
    run, ids = moderated
    rows = {int(row["comment_id"]): row for row in read_csv(produce(run, "comments"))}
    moderation = {fate: (rows[i]["hidden"], rows[i]["awaiting"]) for fate, i in ids.items()}
    assert moderation == {
        "approved": ("false", "false"),
        "rejected": ("true", "false"),
        "waiting": ("true", "true"),
    }


def test_awaiting_is_described_and_typed_in_the_data_package(moderated, tmp_path):
    run, ids = moderated
    folder = tmp_path / "export"
    with run.db() as db:
        write_export(db, [db.get(WorkshopSession, run.session_id)], folder)
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = frictionless.Package(str(folder / "datapackage.json"))
    comments = package.get_table_resource("comments")
    field = comments.schema.get_field("awaiting")
    assert field.type == "boolean" and "approval" in field.description
    read = {row["comment_id"]: row["awaiting"] for row in comments.read_rows()}
    assert read == {ids["approved"]: False, ids["rejected"]: False, ids["waiting"]: True}
