"""The transcript export over real HTTP download and the CLI, read back with csv and json."""

from __future__ import annotations

import csv
import io
import json

from facilitation.workshop import operations, payloads
from tests.factories import client_id


def play(workshop):
    person = workshop.join("Housing", display_name="Sam")
    with workshop.db() as db:
        operations.go_to_stage(db, workshop.session_id, workshop.stage_index("trust"))
        operations.open_input(db, workshop.session_id)
        operations.post_comment(
            db,
            workshop.session_id,
            person.id,
            payloads.CommentPayload("trust", client_id(), '=HYPERLINK("x") clear purpose'),
        )
    return person


def test_transcript_csv_and_json_downloads(workshop):
    person = play(workshop)
    facilitator = workshop.facilitator()
    response = facilitator.http.get(f"/facilitator/sessions/{workshop.code}/transcript.csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["seq"] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    comment = rows[-1]
    assert comment["type"] == "comment.posted" and comment["actor"] == person.pseudonym
    assert comment["sector"] == "Housing" and comment["stage"] == "trust"
    assert json.loads(comment["content"])["text"].startswith("=HYPERLINK")
    assert not comment["content"].startswith("=")  # formula injection guarded

    data = facilitator.http.get(f"/facilitator/sessions/{workshop.code}/transcript.json").get_json()
    assert data["session"] == workshop.code
    assert [e["type"] for e in data["events"]][:2] == ["session.created", "scenario.chosen"]
    assert data["events"][-1]["content"]["text"].startswith("=HYPERLINK")


def test_transcript_needs_a_facilitator(app, workshop):
    response = app.test_client().get(f"/facilitator/sessions/{workshop.code}/transcript.csv")
    assert response.status_code in (302, 401)


def test_export_cli_writes_both_files(app, workshop, tmp_path):
    play(workshop)
    result = app.test_cli_runner().invoke(
        args=["export", workshop.code, "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "transcript.csv").read_text().startswith("session,seq,time,actor")
    events = json.loads((tmp_path / "out" / "transcript.json").read_text())["events"]
    assert events[-1]["type"] == "comment.posted"
    bad = app.test_cli_runner().invoke(args=["export", "NOPE22", "--out", str(tmp_path)])
    assert bad.exit_code != 0 and "No session" in bad.output


def test_facilitator_create_cli(app):
    runner = app.test_cli_runner()
    ok = runner.invoke(
        args=["facilitator", "create", "a@example.org", "--password", "long-enough-pw"]
    )
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(
        args=["facilitator", "create", "A@example.org", "--password", "long-enough-pw"]
    )
    assert again.exit_code != 0 and "already exists" in again.output
    short = runner.invoke(args=["facilitator", "create", "b@example.org", "--password", "short"])
    assert short.exit_code != 0 and "at least 10" in short.output


def test_healthz(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok" and response.get_json()["version"]


def test_plotly_js_is_served_by_the_app(app):
    response = app.test_client().get("/vendor/plotly.min.js")
    assert response.status_code == 200 and len(response.data) > 1_000_000
