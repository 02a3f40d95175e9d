"""Known XSS and formula payloads through every input: the display name, table choice,
comments, statements, word-cloud words, note-taker labels and notes, and the facilitator's
plan text. Server-rendered pages escape them, JSON messages keep them as literal text, the
HTML report escapes them, and every CSV export neutralises formula cells.

The browser side (phone, projector and console render the text and run none of it) is
tests/browser/test_hostile_text.py.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile
from collections.abc import Iterator

import pytest
from markupsafe import escape

from facilitation.extensions import socketio
from facilitation.workshop.identity import notes_key
from tests.factories import Client, Workshop, client_id
from tests.security.hostile import FORMULA_STARTS, FORMULAS, RAW, XSS, hostile_plan
from tests.security.test_csp import Scripts
from tests.security.walk import walk
from tests.support.live import joined as joined_as_phone

TEXTS = XSS + FORMULAS
# A note-taker's label is at most 22 characters.
LABEL = "<svg onload=alert(1)>"


def one_line(text: str) -> str:
    return " ".join(text.split())  # how comments and names are stored


def strings(value) -> Iterator[str]:
    """Every string in a JSON message, however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


@pytest.fixture
def hostile(app, tmp_path):
    """A session of the hostile plan, fed every payload through every participant input."""
    path = tmp_path / "hostile.yaml"
    path.write_text(hostile_plan())
    room = Workshop(app, socketio, path)
    facilitator = room.facilitator()
    phones = []
    for n, name in enumerate(XSS):
        http = app.test_client()
        sector = room.plan.sectors[n % len(room.plan.sectors)]
        table = room.plan.tables[n % len(room.plan.tables)]
        form = {"display_name": name, "sector": sector, "table": table, "consent": "yes"}
        answer = http.post(f"/j/{room.code}", data={**form, "name_consent": "yes"})
        assert joined_as_phone(answer, room.code), answer.get_data(as_text=True)
        phone = Client(app, socketio, {"code": room.code, "role": "participant"}, http)
        assert phone.connected
        phones.append(phone)

    def go(stage: str) -> None:
        assert facilitator.emit("goto", {"index": room.stage_index(stage)})["ok"]
        assert facilitator.emit("open_input")["ok"]

    go("talk")
    for n, text in enumerate(TEXTS):
        ack = phones[n % len(phones)].emit(
            "comment", {"stage": "talk", "client_id": client_id(), "text": text}
        )
        assert ack["ok"], (text, ack)
    go("statements")
    for n, text in enumerate(TEXTS):
        ack = phones[n % len(phones)].emit(
            "comment", {"stage": "statements", "client_id": client_id(), "text": text}
        )
        assert ack["ok"], (text, ack)
    go("words")
    for n, text in enumerate(TEXTS):
        words = " ".join(text.split()[:3])[:80]
        ack = phones[n % len(phones)].emit(
            "answer", {"stage": "words", "client_id": client_id(), "value": {"text": words}}
        )
        assert ack["ok"], (text, ack)
    for text in TEXTS:
        assert facilitator.emit("note", {"client_id": client_id(), "text": text})["ok"]
    scribe = app.test_client()
    with app.test_request_context():
        key = notes_key(room.session())
    assert scribe.post(f"/n/{room.code}", data={"key": key, "label": LABEL}).status_code == 302
    notetaker = Client(app, socketio, {"code": room.code, "role": "notetaker"}, scribe)
    assert notetaker.emit("note", {"client_id": client_id(), "text": XSS[0]})["ok"]
    assert facilitator.emit("reveal")["ok"]
    room.facilitator_client, room.phones = facilitator, phones
    yield room
    room.close()


def test_json_messages_keep_the_text_literal(hostile):
    facilitator = hostile.facilitator_client
    seen = set(strings(facilitator.emit("sync")))
    for phone in hostile.phones:
        seen |= set(strings(phone.emit("sync")))
    for message in facilitator.received() + hostile.phones[0].received():
        seen |= set(strings(message))
    for text in TEXTS:
        assert one_line(text) in seen, text  # as sent: not escaped, not mangled
    assert hostile.plan.title in seen and XSS[1] in seen  # plan text and display names
    assert not any("&lt;" in text for text in seen)  # escaping is the page's job


def test_every_page_escapes_the_text(app, hostile):
    with hostile.db() as db:
        from facilitation.models import Participant

        participant = db.query(Participant).filter_by(session_id=hostile.session_id).first()
    pages = [page for page in walk(app, hostile.code, participant) if page.is_html]
    join_page = next(p for p in pages if p.endpoint == "participant.join" and p.status == 200)
    # The plan's texts are on the join page, escaped, and {{7*7}} stays as typed.
    assert str(escape(XSS[1])) in join_page.text
    assert "{{7*7}} ${7*7} {% raw %}" in html.unescape(join_page.text)
    for page in pages:
        where = f"{page.who} GET {page.url}"
        for raw in RAW:
            assert raw not in page.text, f"{where}: {raw!r} unescaped"
        scanner = Scripts()
        scanner.feed(page.text)
        assert not scanner.problems, f"{where}: {scanner.problems}"


def download(client, code: str, filename: str) -> bytes:
    answer = client.get(f"/facilitator/sessions/{code}/export/{filename}")
    assert answer.status_code == 200, filename
    data = answer.get_data()
    answer.close()
    return data


def test_the_html_report_escapes_the_text(app, hostile):
    from tests.privacy.test_researchers import login_as

    report = download(login_as(app, "facilitator"), hostile.code, "report.html").decode()
    for raw in RAW:
        assert raw not in report, raw
    assert str(escape(one_line(XSS[0]))) in report  # a comment, shown as text
    scanner = Scripts()
    scanner.feed(report)
    # Only the report's own two inline scripts (plotly.js and its chart code) have code.
    code = [p for p in scanner.problems if p.startswith("inline <script>")]
    assert len(code) == 2 and len(scanner.problems) == 2, scanner.problems
    # The charts' JSON cannot end its <script> element.
    for data in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', report, re.S):
        assert "<" not in data and json.loads(data) is not None


def csv_files(client, code: str) -> dict[str, str]:
    from facilitation.exports import formats

    files = {}
    for entry in formats.formats():
        if entry.filename.endswith(".csv"):
            files[entry.filename] = download(client, code, entry.filename).decode("utf-8")
    bundle = zipfile.ZipFile(io.BytesIO(download(client, code, "export.zip")))
    for name in bundle.namelist():
        if name.endswith(".csv"):
            files[f"export.zip:{name}"] = bundle.read(name).decode("utf-8")
    transcript = client.get(f"/facilitator/sessions/{code}/transcript.csv")
    files["transcript.csv (console link)"] = transcript.get_data(as_text=True)
    return files


def test_no_csv_export_has_a_cell_a_spreadsheet_would_run(app, hostile):
    from tests.privacy.test_researchers import login_as

    files = csv_files(login_as(app, "facilitator"), hostile.code)
    assert {"comments.csv", "responses.csv", "notes.csv", "participants.csv"} <= set(files)
    cells = []
    for name, text in files.items():
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                assert not cell.startswith(FORMULA_STARTS), f"{name}: {cell!r}"
                cells.append(cell)
    # The formulas are there, each as text behind an apostrophe (how the export guards it).
    for formula in FORMULAS:
        assert "'" + one_line(formula) in cells, formula
    assert "'=1+1" in cells  # the tab or CR first is gone (one line), the = still guarded
