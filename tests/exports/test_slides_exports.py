"""Slides in the research exports: every ``slide.shown`` event in the transcript with the
page's text, the report's pages of each slides stage (shown or not, escaped, from the log
once the deck is gone), ``slides.csv`` described by ``datapackage.json`` (frictionless
validates it), and the pages the room saw in the .qdpx's text source."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, date, datetime, timedelta

import frictionless
import markupsafe
import pytest
from sqlalchemy import delete, select

from facilitation.exports import formats
from facilitation.exports.formats import write_export
from facilitation.extensions import socketio
from facilitation.models import Deck, DeckPage, PlanDeck, Series, SessionDeck, WorkshopSession
from facilitation.plans import parse_plan
from facilitation.privacy.retention import purge_session
from facilitation.workshop import operations
from tests.exports.conftest import login, read_csv
from tests.exports.qualitative import XSS
from tests.factories import Workshop

PLAN = """\
title: Slides between the activities
description: The framework explained in two parts, with a rating between them.
privacy_notice: We keep your sector and answers for 30 days.
retention_days: 30
sectors: [Health, Housing]
scenarios:
  - {key: arrears, title: Rent arrears and health, summary: The council shares arrears.}
stages:
  - {key: framework, title: The framework, prompt: Listen, type: slides,
     deck: framework.pdf, pages: 1-3}
  - key: rate
    title: How well?
    prompt: "How well does it do?"
    type: rating
    scale: {min: 1, max: 5}
    items: [{key: outcomes, label: Outcomes}]
  - {key: more, title: "The framework, part two", prompt: Listen again, type: slides,
     deck: framework.pdf, pages: 4-5}
"""
LONG_WORD = "Datenschutzgrundverordnungsdurchführungsbestimmungen" * 6
PAGES = {
    1: "The framework\nThree tests and five features",
    2: f"Test 1: Purposeful {XSS}",
    3: "Test 2: Proportionate (never shown)",
    4: f"Feature 1: Respect – naïve café {LONG_WORD}",
    5: "",  # a page of pictures only: no text layer
}


def store_deck(db, plan_slug: str, name: str, pages: dict[int, str]) -> None:
    """The deck with ``pages`` (number -> text), named ``name`` by the plan, once."""
    if db.scalar(select(PlanDeck).where(PlanDeck.plan_slug == plan_slug)) is not None:
        return
    deck = Deck(sha256="0" * 64, page_count=len(pages))
    db.add(deck)
    db.flush()
    for number, text in pages.items():
        db.add(
            DeckPage(
                deck_id=deck.id,
                number=number,
                text=text,
                projector=b"\0",
                projector_width=1,
                projector_height=1,
                phone=b"\0",
                phone_width=1,
                phone_height=1,
            )
        )
    db.add(PlanDeck(plan_slug=plan_slug, name=name, deck_id=deck.id))
    db.commit()


PAGE_SECTION = re.compile(
    r'<section class="stage" id="stage-\d+"[^>]*data-stage="([^"]+)">(.*?)</section>', re.S
)


class SlidesWorkshop(Workshop):
    """A session of ``PLAN`` (a plan written in the app: a plan file cannot hold a deck)
    whose deck is stored as the slides pipeline stores one, images reduced to a byte; the
    session copies it from the plan when it opens."""

    def __init__(self, app):
        self.app, self.socketio, self.clients = app, socketio, []
        self.plan = parse_plan(PLAN, "slides-talk")
        with self.db() as db:
            store_deck(db, self.plan.slug, "framework.pdf", PAGES)
            session = operations.create_session(db, self.plan, None, "arrears")
            self.session_id, self.code = session.id, session.code

    def show_stage(self, key: str) -> None:
        with self.db() as db:
            operations.go_to_stage(db, self.session_id, self.stage_index(key))

    def press(self) -> None:
        with self.db() as db:
            operations.next_press(db, self.session_id)

    def forget_deck(self) -> None:
        """The session's deck gone (a hand-cleaned database): only the log remains."""
        with self.db() as db:
            db.execute(delete(SessionDeck).where(SessionDeck.session_id == self.session_id))
            db.commit()

    def produce(self, name: str) -> str | bytes:
        with self.db() as db:
            chunks = list(formats.REGISTRY[name].produce(db, [self.session(db)]))
        return b"".join(chunks) if isinstance(chunks[0], bytes) else "".join(chunks)

    def session(self, db=None) -> WorkshopSession:
        if db is not None:
            return db.get(WorkshopSession, self.session_id)
        return super().session()


@pytest.fixture
def talk(app):
    """Pages 1 and 2 of the first part shown (3 not), then page 4 and 5 of the second, and
    page 4 once more (stepping back to the stage)."""
    workshop = SlidesWorkshop(app)  # opens on the first stage: page 1
    workshop.press()  # page 2
    workshop.show_stage("more")  # page 4
    workshop.press()  # page 5
    workshop.show_stage("more")  # page 4 again
    yield workshop
    workshop.close()


def escaped(text: str) -> str:
    return str(markupsafe.escape(text))


def sections(document: str) -> dict[str, str]:
    return dict(PAGE_SECTION.findall(document))


def pages_of(section: str) -> dict[int, str]:
    """Each listed page's item in a stage's section, by page number."""
    items = re.findall(r'<li class="slide-page [^"]+">.*?</li>', section, re.S)
    found = {}
    for item in items:
        number = int(re.search(r"Page (\d+)</strong>", item).group(1))
        found[number] = item
    return found


# The transcript ----------------------------------------------------------------------------


def test_the_transcript_has_each_page_shown_in_order_with_its_text(talk):
    events = json.loads(talk.produce("transcript-json"))["events"]
    shown = [event for event in events if event["type"] == "slide.shown"]
    assert [(e["stage"], e["content"]["page"]) for e in shown] == [
        ("framework", 1),
        ("framework", 2),
        ("more", 4),
        ("more", 5),
        ("more", 4),
    ]
    assert [e["content"]["index"] for e in shown] == [0, 1, 0, 1, 0]
    assert {e["content"]["of"] for e in shown} == {3, 2} and len(shown) == 5
    assert {e["content"]["deck"] for e in shown} == {"framework.pdf"}
    assert [e["content"]["text"] for e in shown] == [PAGES[n] for n in (1, 2, 4, 5, 4)]
    # in the log's order, right after the stage it belongs to, by the facilitator
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs)
    stage_shown = next(e for e in events if e["type"] == "stage.shown")
    assert stage_shown["stage"] == "more" and shown[2]["seq"] == stage_shown["seq"] + 1
    assert {e["actor"] for e in shown} == {"facilitator"}
    assert shown[0]["stage_title"] == "The framework"

    rows = [row for row in read_csv(talk.produce("transcript-csv")) if row["type"] == "slide.shown"]
    assert len(rows) == 5
    content = json.loads(rows[1]["content"])
    assert content == {"index": 1, "page": 2, "of": 3, "deck": "framework.pdf", "text": PAGES[2]}


# The report --------------------------------------------------------------------------------


def test_the_report_lists_each_slides_stage_pages_with_their_text_over_http(app, talk):
    facilitator = login(app)[0]
    response = facilitator.get(f"/facilitator/sessions/{talk.code}/export/report.html")
    assert response.status_code == 200 and response.mimetype == "text/html"
    document = response.get_data(as_text=True)
    found = sections(document)
    assert list(found) == ["framework", "rate", "more"]

    first = found["framework"]
    assert "Stage 1 · Slides" in first and "<h2" in first and "The framework" in first
    assert "Pages of framework.pdf" in first
    pages = pages_of(first)
    assert list(pages) == [1, 2, 3]  # the stage's range only, in order
    assert 'class="slide-page shown"' in pages[1] and "Shown</span>" in pages[1]
    assert 'class="slide-page not-shown"' in pages[3] and "Not shown</span>" in pages[3]
    assert escaped(PAGES[1]) in pages[1]  # its lines kept (the CSS keeps them)
    # the deck's text is escaped like any other: no markup of the deck reaches the page
    assert escaped(PAGES[2]) in pages[2]
    assert XSS not in document and "<script>alert" not in document
    assert escaped(PAGES[3]) in pages[3]  # a page not shown has its text from the deck

    second = pages_of(found["more"])
    assert list(second) == [4, 5]
    assert escaped(PAGES[4]) in second[4] and "Shown</span>" in second[4]
    assert "No text on this page." in second[5] and "Shown</span>" in second[5]
    assert "Pages of" not in found["rate"]
    # long text wraps in its box rather than running off the page
    assert re.search(r"\.slide-text \{[^}]*overflow-wrap: anywhere", document)
    assert re.search(r"\.slide-text \{\s*white-space: pre-line", document)


def test_without_the_deck_the_report_takes_each_page_from_the_log(talk):
    talk.forget_deck()
    document = talk.produce("report")
    first = pages_of(sections(document)["framework"])
    # pages 1 and 2 were shown: their text is in the log; page 3's went with the deck
    assert list(first) == [1, 2]
    assert escaped(PAGES[1]) in first[1] and escaped(PAGES[2]) in first[2]
    second = pages_of(sections(document)["more"])
    assert escaped(PAGES[4]) in second[4]
    assert "No text on this page." in second[5]


def test_a_deck_gone_with_no_page_shown_says_so(app):
    workshop = SlidesWorkshop(app)
    try:
        workshop.show_stage("framework")
        workshop.forget_deck()
        document = workshop.produce("report")
    finally:
        workshop.close()
    assert list(pages_of(sections(document)["framework"])) == [1]
    assert "No pages: the deck is no longer kept" in sections(document)["more"]


def test_a_series_report_says_in_which_sessions_each_page_was_shown(app, talk):
    other = SlidesWorkshop(app)
    try:
        other.show_stage("framework")  # page 1 only
        with talk.db() as db:
            series = Series(title="Two areas", description="Slides in two places.")
            db.add(series)
            db.flush()
            for place, workshop, day in (("Leeds", talk, 3), ("York", other, 9)):
                session = workshop.session(db)
                session.series_id, session.place = series.id, place
                session.held_on = date(2026, 5, day)
            db.commit()
            sessions = [talk.session(db), other.session(db)]
            document = "".join(formats.REGISTRY["report"].produce(db, sessions))
    finally:
        other.close()
    pages = pages_of(sections(document)["framework"])
    assert list(pages) == [1, 2, 3]  # the same deck: each page once
    leeds, york = f"Leeds · 3 May 2026 ({talk.code})", f"York · 9 May 2026 ({other.code})"
    assert f"Shown in {leeds}; {york}</span>" in pages[1]
    assert f"Shown in {leeds}, not shown in {york}</span>" in pages[2]
    assert f"Not shown in {leeds}; {york}</span>" in pages[3]


def test_a_purged_session_keeps_its_pages_but_not_whether_they_were_shown(talk):
    with talk.db() as db:
        operations.end_session(db, talk.session_id)
    with talk.db() as db:
        later = datetime.now(UTC) + timedelta(days=400)
        purge_session(db, talk.session(db), now=later, keep_aggregates=True)
    document = talk.produce("report")
    first = sections(document)["framework"]
    assert "whether each page was shown went with the raw data" in first
    pages = pages_of(first)
    assert list(pages) == [1, 2, 3] and escaped(PAGES[3]) in pages[3]
    assert "Shown</span>" not in first and 'class="slide-page unknown"' in pages[1]
    rows = read_csv(talk.produce("slides"))
    assert [row["page"] for row in rows] == ["1", "2", "3", "4", "5"]
    assert {row["shown"] for row in rows} == {""} and {row["times_shown"] for row in rows} == {""}


# slides.csv and the Data Package ------------------------------------------------------------


def test_slides_csv_has_a_row_per_page_and_the_data_package_validates(talk, tmp_path):
    folder = tmp_path / "export"
    with talk.db() as db:
        written = write_export(db, [talk.session(db)], folder)
    assert folder / "slides.csv" in written
    rows = read_csv((folder / "slides.csv").read_text(encoding="utf-8"))
    assert [(r["stage"], r["index"], r["page"]) for r in rows] == [
        ("framework", "0", "1"),
        ("framework", "1", "2"),
        ("framework", "2", "3"),
        ("more", "0", "4"),
        ("more", "1", "5"),
    ]
    assert [r["shown"] for r in rows] == ["true", "true", "false", "true", "true"]
    assert [r["times_shown"] for r in rows] == ["1", "1", "0", "2", "1"]
    assert rows[2]["first_shown_at"] == "" and rows[0]["first_shown_at"].endswith("Z")
    assert [r["text"] for r in rows] == [PAGES[n] for n in range(1, 6)]
    assert {r["deck"] for r in rows} == {"framework.pdf"}
    stages = read_csv((folder / "stages.csv").read_text(encoding="utf-8"))
    assert [row["type"] for row in stages] == ["slides", "rating", "slides"]

    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert "slides" in {task.name for task in report.tasks}
    package = frictionless.Package(str(folder / "datapackage.json"))
    typed = package.get_table_resource("slides").read_rows()
    assert [row["shown"] for row in typed] == [True, True, False, True, True]
    transcript = package.get_table_resource("transcript").read_rows()
    assert [row["content"]["page"] for row in transcript if row["type"] == "slide.shown"] == [
        1,
        2,
        4,
        5,
        4,
    ]


def test_slides_csv_is_offered_only_for_plans_with_a_slides_stage(app, talk, played):
    facilitator = login(app)[0]
    assert facilitator.get(f"/facilitator/sessions/{talk.code}/export/slides.csv").status_code == (
        200
    )
    with talk.db() as db:
        with_slides = [e.name for e in formats.bundled(db, [talk.session(db)])]
        played_session = db.get(WorkshopSession, played.workshop.session_id)
        without = [e.name for e in formats.bundled(db, [played_session])]
    assert "slides" in with_slides and "slides" not in without
    names = zipfile.ZipFile(
        io.BytesIO(facilitator.get(f"/facilitator/sessions/{talk.code}/export/export.zip").data)
    ).namelist()
    assert "slides.csv" in names


# The .qdpx ---------------------------------------------------------------------------------


def test_the_qdpx_source_reads_the_pages_the_room_saw_under_their_stage(talk):
    archive = zipfile.ZipFile(io.BytesIO(talk.produce("qdpx")))
    (source,) = [name for name in archive.namelist() if name.startswith("Sources/")]
    text = archive.read(source).decode("utf-8")
    heading = text.index("== Stage 1: The framework ==")
    first = text.index(f"Page 1 of deck framework.pdf shown: {PAGES[1]}")
    second = text.index(f"Page 2 of deck framework.pdf shown: {PAGES[2]}")
    assert heading < first < second < text.index("== Stage 3: The framework, part two ==")
    assert "Proportionate (never shown)" not in text
    assert text.count("Page 4 of deck framework.pdf shown:") == 1  # each page once
    assert "Page 5 of deck framework.pdf shown (no text on the page)." in text
    project = archive.read("project.qde").decode("utf-8")
    assert "PlainTextSelection" not in project  # context to read, not coded
