"""``flask --app facilitation export``: a session or a series into a folder, every format or
the ones picked with --format."""

from __future__ import annotations

import json
import zipfile

from facilitation.exports import formats
from facilitation.models import Series, WorkshopSession
from tests.exports.conftest import read_csv


def run(app, *args):
    return app.test_cli_runner().invoke(args=["export", *args])


def test_export_writes_every_file_of_the_zip(app, played, tmp_path):
    out = tmp_path / "out"
    result = run(app, played.code, "--out", str(out))
    assert result.exit_code == 0, result.output
    with played.workshop.db() as db:
        session = db.get(WorkshopSession, played.workshop.session_id)
        expected = [entry.filename for entry in formats.bundled(db, [session])]
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    assert result.output.count("Wrote ") == len(expected)
    rows = read_csv((out / "responses.csv").read_text(encoding="utf-8"))
    assert {row["session"] for row in rows} == {played.code}
    assert json.loads((out / "datapackage.json").read_text())["resources"]


def test_format_picks_files_by_name_or_file_name(app, played, tmp_path):
    out = tmp_path / "some"
    result = run(
        app,
        played.code,
        "--out",
        str(out),
        "--format",
        "notes",
        "--format",
        "responses.csv",
        "--format",
        "zip",
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["export.zip", "notes.csv", "responses.csv"]
    assert "notes.csv" in zipfile.ZipFile(out / "export.zip").namelist()

    bad = run(app, played.code, "--out", str(out), "--format", "spreadsheet")
    assert bad.exit_code != 0 and "No export format 'spreadsheet'" in bad.output


def test_export_a_series(app, played, every, tmp_path):
    with every.db() as db:
        series = Series(title="Six areas", description="")
        db.add(series)
        db.flush()
        db.get(WorkshopSession, every.session_id).series_id = series.id
        db.commit()
        series_id = series.id
    out = tmp_path / "series"
    result = run(app, "--series", str(series_id), "--out", str(out), "--format", "participants")
    assert result.exit_code == 0, result.output
    rows = read_csv((out / "participants.csv").read_text(encoding="utf-8"))
    assert {row["session"] for row in rows} == {played.code}

    missing = run(app, "--series", "999", "--out", str(out))
    assert missing.exit_code != 0 and "No series" in missing.output


def test_export_needs_a_session_or_a_series(app, played, tmp_path):
    neither = run(app, "--out", str(tmp_path))
    assert neither.exit_code != 0 and "CODE or --series" in neither.output
    both = run(app, played.code, "--series", "1", "--out", str(tmp_path))
    assert both.exit_code != 0
    unknown = run(app, "NOPE22", "--out", str(tmp_path))
    assert unknown.exit_code != 0 and "No session" in unknown.output
