"""report.html: self-contained, every chart's data present, participant text escaped,
hidden and withdrawn words absent, series side by side, streamed in chunks."""

from __future__ import annotations

import json
import re
from datetime import date

import markupsafe
import pytest

from facilitation.exports.report import PLOTLY_JS, report_html
from facilitation.extensions import socketio
from facilitation.models import WorkshopSession
from facilitation.workshop.aggregates import stage_results
from facilitation.workshop.plan_cache import plan_of
from tests.conftest import BUILTIN_PLAN
from tests.exports import qualitative
from tests.exports.qualitative import tell
from tests.factories import Workshop

FIGURE = re.compile(
    r'<script type="application/json" class="figure-data" data-chart="([^"]+)">(.*?)</script>',
    re.S,
)
SECTION = re.compile(
    r'<section class="stage" id="stage-\d+"[^>]*data-stage="([^"]+)">(.*?)</section>', re.S
)


def escaped(text: str) -> str:
    """Text as Jinja's autoescaping writes it (markupsafe: quotes as &#34; and &#39;)."""
    return str(markupsafe.escape(text))


def render(db, sessions) -> str:
    return "".join(report_html(db, sessions))


def without_plotly(document: str) -> str:
    """The report less the inlined plotly.js (which is plotly's code, not ours)."""
    start = document.index("/**\n* plotly.js v")
    end = document.index("</script>", start)
    return document[:start] + document[end:]


def sections(document: str) -> dict[str, str]:
    return dict(SECTION.findall(document))


def figures(text: str) -> dict[str, dict]:
    return {chart: json.loads(data) for chart, data in FIGURE.findall(text)}


@pytest.fixture
def story(workshop):
    return tell(workshop, place="Leeds", held_on=date(2026, 5, 3))


def test_report_is_one_self_contained_file(story):
    with story.workshop.db() as db:
        document = render(db, [story.session(db)])
    assert document.startswith("<!doctype html>")
    # plotly.js is inline, whole, from the installed plotly package
    assert PLOTLY_JS.read_text(encoding="utf-8") in document
    ours = without_plotly(document)
    # Nothing of ours names another address, and nothing anywhere loads one.
    assert "http://" not in ours and "https://" not in ours
    assert not re.search(r"<script[^>]+src\s*=", document, re.I)
    assert not re.search(r"<link\b", document, re.I)
    assert not re.search(r"<(img|iframe|object|embed|audio|video|source)\b", ours, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", document, re.I)
    assert "@import" not in ours
    # The drawing script is inline, after plotly.js, and says why that is fine here.
    assert document.rindex("Plotly.newPlot") > document.index("* plotly.js v")
    assert "Content Security Policy" in ours


def test_header_has_plan_scenario_place_date_and_counts(story):
    with story.workshop.db() as db:
        session = story.session(db)
        document = render(db, [session])
        scenario = plan_of(session).scenario(session.scenario_key)
    assert "Data for Public Benefit" in document
    assert escaped(scenario.title) in document
    assert "Leeds" in document and "3 May 2026" in document
    assert f"Session {story.code}" in document
    assert "<dt>Taking part</dt><dd>3 people</dd>" in document
    assert "<dt>Withdrew</dt><dd>1</dd>" in document


def test_every_stage_in_order_with_its_chart_and_numbers(story):
    with story.workshop.db() as db:
        session = story.session(db)
        document = render(db, [session])
        plan = plan_of(session)
    found = sections(document)
    assert list(found) == [stage.key for stage in plan.stages]
    for stage in plan.stages:
        assert escaped(stage.title) in found[stage.key]
    purposeful = figures(found["purposeful"])
    assert len(purposeful) == 1
    (figure,) = purposeful.values()
    counts = {trace["name"]: trace["x"] for trace in figure["data"]}
    # the withdrawn participant's "not met" is gone with them
    assert counts == {"Met": [1], "Partly met": [1], "Not met": [0]}
    assert figure["layout"]["font"]["size"] < 22  # page-sized type, not the projector's
    assert len(figures(found["feature-respect"])) == 1
    # the accessible alternative: the same numbers in a table
    assert re.search(r"<caption[^>]*>Traffic lights", found["purposeful"])
    item = escaped(plan.stage("purposeful").activity.items[0].label)
    cells = "".join(f'<td class="num">{n}</td>' for n in (1, 1, 0, 2))
    assert f'<th scope="row">{item}</th>{cells}' in found["purposeful"]
    assert "<table" not in found["proportionate"]  # nobody answered: no table of zeros
    # stages nobody answered have no chart, and cards none
    assert figures(found["welcome"]) == {} and figures(found["proportionate"]) == {}


def test_participant_text_is_escaped_everywhere(story):
    with story.workshop.db() as db:
        document = render(db, [story.session(db)])
    ours = without_plotly(document)
    assert qualitative.XSS not in document
    assert "<script>alert" not in document and "<img" not in ours
    assert escaped(qualitative.XSS) in ours
    assert "Table said &lt;b&gt;not&lt;/b&gt; without consent – ü" in ours
    assert qualitative.NON_ASCII in ours
    # JSON in <script> elements can never close them early
    for _chart, data in FIGURE.findall(document):
        assert "<" not in data and ">" not in data


def test_hidden_comments_are_left_out_but_counted(story):
    with story.workshop.db() as db:
        document = render(db, [story.session(db)])
    assert qualitative.HIDDEN not in document
    respect = sections(document)["feature-respect"]
    assert "1 comment hidden by the facilitator" in respect
    assert "Respect means asking first" in respect


def test_withdrawn_participants_and_unconsented_names_are_absent(story):
    with story.workshop.db() as db:
        document = render(db, [story.session(db)])
    gone = story.people["gone"]
    assert qualitative.WITHDRAWN not in document
    assert "Gone Person" not in document and gone.pseudonym not in document
    assert "Bo Secret" not in document  # gave a name but did not allow it in exports
    assert "Amira Q" in document  # allowed it
    assert story.people["bo"].pseudonym in document
    assert "Jo Bloggs" not in document  # the note-taker's label is not exported


def more_voters(story, comment: str, sectors: dict[str, int], value: int = 1) -> None:
    """``sectors[s]`` more people of sector s vote on the story's ``comment``."""
    qualitative._open(story.workshop, "purposeful")
    for sector, n in sectors.items():
        for _ in range(n):
            person = qualitative._join(story.workshop, sector)
            qualitative._react(story.workshop, person, story.comments[comment], value)


def test_comments_most_agreed_first_with_consensus(story):
    # The story has one voter per sector; the built-in plan shows sectors of 3 or more.
    more_voters(story, "xss", {"Housing": 2, "Welfare": 2})
    with story.workshop.db() as db:
        document = render(db, [story.session(db)])
    purposeful = sections(document)["purposeful"]
    xss = purposeful.index(escaped(qualitative.XSS)[:20])
    assert xss < purposeful.index(qualitative.NON_ASCII)
    # two sectors (Housing, Welfare) agreed with the first comment
    assert "Agreed across 2 sectors" in purposeful
    assert "Housing 3–0; Welfare 3–0" in purposeful
    assert "6 agree · 0 disagree" in purposeful
    assert "Table said" in purposeful and "shown on the projector" in purposeful


def test_report_streams_in_chunks(story):
    with story.workshop.db() as db:
        chunks = list(report_html(db, [story.session(db)]))
    assert len(chunks) > 10
    assert max(len(chunk) for chunk in chunks) <= 300 * 1024
    assert all(isinstance(chunk, str) for chunk in chunks)


def test_series_report_sets_sessions_side_by_side(app, workshop):
    first = tell(workshop, place="Leeds", held_on=date(2026, 5, 3))
    second_workshop = Workshop(app, socketio, BUILTIN_PLAN)
    try:
        second = tell(second_workshop, place="Bristol", held_on=date(2026, 6, 9))
        for story in (first, second):
            qualitative.a_third_answer(story)
        with workshop.db() as db:
            series = qualitative.in_series(db, "Six areas, 2026", [first, second])
            sessions = [first.session(db), second.session(db)]
            document = render(db, sessions)
    finally:
        second_workshop.close()
    assert "<h1>Six areas, 2026</h1>" in document and series.title in document
    assert f"Leeds · 3 May 2026 ({first.code})" in document
    assert f"Bristol · 9 June 2026 ({second.code})" in document
    purposeful = sections(document)["purposeful"]
    (figure,) = figures(purposeful).values()
    labels = {label for trace in figure["data"] for label in trace["y"]}
    assert any("Leeds" in label for label in labels)
    assert any("Bristol" in label for label in labels)
    # one table of numbers with a row per session, and each session's comments
    assert purposeful.count('<h3 class="session-label">') == 2
    assert purposeful.count(escaped(qualitative.XSS)) == 2


STATEMENTS_PLAN = """\
title: Statements only
description: A plan with statements.
privacy_notice: We keep your sector and statements for 30 days.
retention_days: 30
sectors: [Health, Housing]
scenarios:
  - {key: one, title: One, summary: A scenario.}
stages:
  - {key: say, title: Say it, prompt: Say what you think, type: statements}
"""


def test_statements_text_inside_the_figure_is_escaped_too(app, tmp_path):
    from facilitation.workshop import operations, payloads
    from tests.factories import client_id

    path = tmp_path / "statements-only.yaml"
    path.write_text(STATEMENTS_PLAN)
    workshop = Workshop(app, socketio, path)
    try:
        with workshop.db() as db:
            author = operations.join(db, workshop.session_id, "Health")
            voter = operations.join(db, workshop.session_id, "Housing")
            operations.open_input(db, workshop.session_id)
            done = operations.post_comment(
                db,
                workshop.session_id,
                author.id,
                payloads.CommentPayload("say", client_id(), "<b>Bold</b> & <a href='x'>link</a>"),
            )
            operations.react(
                db,
                workshop.session_id,
                voter.id,
                payloads.ReactionPayload(done.comment_id, client_id(), 1),
            )
            session = db.get(WorkshopSession, workshop.session_id)
            document = render(db, [session])
            results = stage_results(db, session, plan_of(session).stages[0])
    finally:
        workshop.close()
    assert results["statements"][0]["agree"] == 1
    (figure,) = figures(document).values()
    label = figure["data"][0]["y"][0].replace("<br>", " ")  # long labels are wrapped
    # plotly shows entities as text: &lt;b&gt; is drawn as <b>, never read as markup
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;a href='x'&gt;link&lt;/a&gt;" in label
    assert "&lt;b&gt;Bold&lt;/b&gt;" in without_plotly(document)


def test_every_activity_with_answers_has_its_chart(played):
    """The shared every-activity session: each stage with answers and a chart type gets
    exactly one figure, and the word cloud its words."""
    with played.workshop.db() as db:
        session = db.get(WorkshopSession, played.workshop.session_id)
        document = render(db, [session])
        plan = plan_of(session)
        expected = {
            stage.key
            for stage in plan.stages
            if stage.activity.type
            in ("sector", "choice", "rating", "traffic_light", "ranking", "points", "grid")
            and stage_results(db, session, stage).get("answered")
        }
    found = sections(document)
    charted = {key for key, body in found.items() if figures(body)}
    assert expected and expected <= charted
    for key in charted:
        assert len(figures(found[key])) == 1


def purge(workshop, session_id: int) -> None:
    from datetime import UTC, datetime, timedelta

    from facilitation.privacy.retention import purge_session
    from facilitation.workshop import operations

    with workshop.db() as db:
        operations.end_session(db, session_id)
    with workshop.db() as db:
        session = db.get(WorkshopSession, session_id)
        later = datetime.now(UTC) + timedelta(days=400)
        purge_session(db, session, now=later, keep_aggregates=True)


def test_a_purged_session_shows_only_the_counts_kept(story):
    purge(story.workshop, story.workshop.session_id)
    with story.workshop.db() as db:
        document = render(db, [story.session(db)])
    assert "raw data of this session was deleted" in document
    purposeful = sections(document)["purposeful"]
    (figure,) = figures(purposeful).values()
    assert {trace["name"]: trace["x"] for trace in figure["data"]}["Met"] == [1]
    assert "2 comments were made here" in purposeful
    for text in (qualitative.XSS, qualitative.NON_ASCII, qualitative.NOTE_MARKUP):
        assert escaped(text) not in document
    assert story.people["amira"].pseudonym not in document


def test_a_runs_report_is_a_consultation_report_with_its_window(app, request):
    from facilitation.exports.report import _when
    from facilitation.workshop import run_operations
    from tests.factories import Run

    run = Run(app, socketio, BUILTIN_PLAN)
    request.addfinalizer(run.close)
    with run.db() as db:
        session = db.get(WorkshopSession, run.session_id)
        opens, closes = session.opens_at, session.closes_at
        document = render(db, [session])
    assert "Consultation report" in document and "Workshop report" not in document
    assert f"<dt>Opens</dt><dd>{_when(opens)}</dd>" in document
    assert f"<dt>Closes</dt><dd>{_when(closes)}</dd>" in document
    assert "Closed early" not in document

    with run.db() as db:
        run_operations.close_run(db, run.session_id)
    with run.db() as db:
        session = db.get(WorkshopSession, run.session_id)
        document = render(db, [session])
        ended = session.ended_at
    assert f"<dt>Was to close</dt><dd>{_when(closes)}</dd>" in document
    assert f"<dt>Closed early</dt><dd>{_when(ended)}</dd>" in document
