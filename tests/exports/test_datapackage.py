"""datapackage.json on a real export folder: ``frictionless validate`` (the command and the
Python API) passes, foreign keys included, and the schemas say what the CSV files hold."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import frictionless
import pytest

from facilitation.exports import csv_files, datapackage
from facilitation.exports.formats import write_export
from facilitation.exports.transcript import COLUMNS as TRANSCRIPT_COLUMNS
from facilitation.models import WorkshopSession

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def export_folder(workshop, folder: Path) -> Path:
    with workshop.db() as db:
        write_export(db, [db.get(WorkshopSession, workshop.session_id)], folder)
    return folder / "datapackage.json"


@pytest.fixture
def exported(played, tmp_path) -> Path:
    return export_folder(played.workshop, tmp_path / "export")


def test_frictionless_validate_passes_on_a_real_export(exported):
    result = subprocess.run(
        [str(FRICTIONLESS), "validate", str(exported)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr

    report = frictionless.validate(str(exported))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = {task.name for task in report.tasks}
    assert {"participants", "stages", "responses", "comments", "notes", "transcript"} <= names


def test_the_csv_files_read_back_typed_through_the_package(exported, played):
    package = frictionless.Package(str(exported))
    responses = package.get_table_resource("responses").read_rows()
    assert responses and all(isinstance(row["answered_at"].year, int) for row in responses)
    participants = package.get_table_resource("participants").read_rows()
    assert sorted(row["withdrawn"] for row in participants) == [False, False, False, True]
    comments = package.get_table_resource("comments").read_rows()
    assert {type(row["agree"]) for row in comments} == {int}
    assert {type(row["hidden"]) for row in comments} == {bool}
    transcript = package.get_table_resource("transcript").read_rows()
    assert transcript[0]["seq"] == 1
    assert any(isinstance(row["content"], dict) for row in transcript)  # JSON, parsed


def test_a_broken_foreign_key_is_caught(exported, tmp_path):
    folder = tmp_path / "broken"
    shutil.copytree(exported.parent, folder)
    path = folder / "responses.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[1][1] = "P-NOBODY"  # an answer from nobody who joined
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}


def test_schemas_match_the_csv_files_with_types_and_keys(played):
    with played.workshop.db() as db:
        session = db.get(WorkshopSession, played.workshop.session_id)
        descriptor = json.loads("".join(datapackage.datapackage_json(db, [session])))
    assert descriptor["name"] == f"session-{played.code.lower()}"
    assert played.code in descriptor["title"] and descriptor["created"].endswith("Z")
    assert descriptor["licenses"][0]["name"] == "other-closed"
    resources = {r["name"]: r for r in descriptor["resources"]}
    for filename, columns in csv_files.CSV_FILES.items():
        resource = resources[filename.removesuffix(".csv")]
        assert resource["path"] == filename
        assert (resource["format"], resource["encoding"]) == ("csv", "utf-8")
        assert [f["name"] for f in resource["schema"]["fields"]] == list(columns)
        for field in resource["schema"]["fields"]:
            assert field["type"] in ("string", "integer", "boolean", "datetime", "number")
            assert field["description"]
    assert [f["name"] for f in resources["transcript"]["schema"]["fields"]] == list(
        TRANSCRIPT_COLUMNS
    )
    types = {f["name"]: f["type"] for f in resources["participants"]["schema"]["fields"]}
    assert (types["joined_at"], types["withdrawn"]) == ("datetime", "boolean")
    assert resources["participants"]["schema"]["primaryKey"] == ["session", "pseudonym"]
    responses = resources["responses"]["schema"]
    assert {
        "fields": ["session", "pseudonym"],
        "reference": {"resource": "participants", "fields": ["session", "pseudonym"]},
    } in responses["foreignKeys"]
    assert {
        "fields": ["session", "stage"],
        "reference": {"resource": "stages", "fields": ["session", "key"]},
    } in responses["foreignKeys"]
    value = next(f for f in responses["fields"] if f["name"] == "value")
    for activity in ("rating", "traffic_light", "ranking", "points", "grid", "word_cloud"):
        assert activity in value["description"]  # each type's value is documented
    assert resources["transcript-json"]["path"] == "transcript.json"


def test_a_series_package_validates_too(played, every, tmp_path):
    from facilitation.models import Series
    from facilitation.workshop import operations

    with every.db() as db:
        series = Series(title="Six areas", description="")
        db.add(series)
        db.flush()
        first = db.get(WorkshopSession, every.session_id)
        first.series_id = series.id
        other = operations.create_session(db, every.plan, None, every.plan.scenarios[0].key)
        other.series_id = series.id
        db.commit()
        operations.join(db, other.id, "Housing", None)
        sessions = [db.get(WorkshopSession, every.session_id), db.get(WorkshopSession, other.id)]
        write_export(db, sessions, tmp_path / "series")
    descriptor = json.loads((tmp_path / "series" / "datapackage.json").read_text())
    assert descriptor["name"] == f"series-{series.id}" and "Six areas" in descriptor["title"]
    report = frictionless.validate(str(tmp_path / "series" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
