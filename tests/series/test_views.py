"""Series pages over HTTP: access, forms, the side-by-side data per stage and session,
and how recurring comments are grouped."""

from __future__ import annotations

import re
from itertools import count

import pytest
from sqlalchemy import func, select

from facilitation.auth import create_facilitator
from facilitation.db import database
from facilitation.exports.common import series_sessions
from facilitation.models import Comment, Grant, Series, WorkshopSession
from facilitation.plans import load_plan, parse_plan
from facilitation.series import operations as series_ops
from facilitation.series.comparison import compare, comparison_figure
from facilitation.series.recurring import SeriesComment, alike, group, word_set
from facilitation.workshop import operations, payloads
from tests.conftest import BUILTIN_PLAN
from tests.factories import log_in as sign_in

PLAN = load_plan(BUILTIN_PLAN)
OTHER_PLAN = """\
title: Check-in
description: A small plan.
privacy_notice: We keep your answers for a week.
sectors: [Health]
stages:
  - key: mood
    title: Mood
    prompt: How is the day going?
    type: rating
    items: [Today]
"""
_ids = count(1)


def log_in(app, account):
    client = app.test_client()
    sign_in(app, client, account.id)
    return client


@pytest.fixture
def accounts(app):
    with database(app).sessionmaker() as db:
        return {
            "facilitator": create_facilitator(db, "lead@example.org", "a-long-password"),
            "granted": create_facilitator(
                db, "granted@example.org", "a-long-password", role="researcher"
            ),
            "other": create_facilitator(
                db, "other@example.org", "a-long-password", role="researcher"
            ),
        }


def run_session(db, place: str, day: str, series_id: int, room: list[tuple]) -> WorkshopSession:
    """A session of the built-in plan in the series; ROOM: (light, rating, comment) each."""
    session = operations.create_session(db, PLAN, None, PLAN.scenarios[0].key)
    series_ops.add_session(db, series_id, session.id, place, day)
    people = [operations.join(db, session.id, "Health") for _ in room]
    operations.go_to_stage(db, session.id, PLAN.stage_index("purposeful"))
    operations.open_input(db, session.id)
    for person, (light, _rating, comment) in zip(people, room, strict=True):
        answer = payloads.AnswerPayload(
            "purposeful", f"a{next(_ids)}", {"lights": {"purposeful": light}}
        )
        operations.record_answer(db, session.id, person.id, answer)
        if comment:
            text = payloads.CommentPayload("purposeful", f"c{next(_ids)}", comment)
            operations.post_comment(db, session.id, person.id, text)
    operations.go_to_stage(db, session.id, PLAN.stage_index("feature-outcomes"))
    operations.open_input(db, session.id)
    items = [item.key for item in PLAN.stage("feature-outcomes").activity.items]
    for person, (_light, rating, _comment) in zip(people, room, strict=True):
        value = {"ratings": {key: rating for key in items}}
        answer = payloads.AnswerPayload("feature-outcomes", f"a{next(_ids)}", value)
        operations.record_answer(db, session.id, person.id, answer)
    return session


@pytest.fixture
def workshops(app, accounts):
    """A series of two sessions (Leeds and Bristol: 3 people each, the fewest a session's
    results are compared with: min_group_size), granted to one researcher."""
    with database(app).sessionmaker() as db:
        made = series_ops.create_series(
            db, "Data sharing 2025", "Two areas.", accounts["facilitator"].id
        )
        leeds = run_session(
            db,
            "Leeds",
            "2025-06-12",
            made.id,
            [
                ("met", 4, "Tenants must be told who sees their rent arrears data."),
                ("partly", 4, "Who decides <b>what</b> counts?"),
                ("partly", 2, ""),
            ],
        )
        bristol = run_session(
            db,
            "Bristol",
            "2025-06-19",
            made.id,
            [
                ("not_met", 2, "People should be told who sees their arrears data."),
                ("partly", 3, "The benefit to the public is not spelt out."),
                ("met", 3, ""),
            ],
        )
        db.add(Grant(researcher_id=accounts["granted"].id, series_id=made.id))
        db.commit()
        return {"series": made.id, "leeds": leeds.code, "bristol": bristol.code}


# Access -----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(app, workshops):
    client = app.test_client()
    for url in ("/facilitator/series/", f"/facilitator/series/{workshops['series']}"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    assert client.post("/facilitator/series/", data={"title": "X"}).status_code == 302


def test_a_facilitator_sees_and_edits_every_series(app, accounts, workshops):
    client = log_in(app, accounts["facilitator"])
    listing = client.get("/facilitator/series/").get_data(as_text=True)
    assert "Data sharing 2025" in listing
    assert "Leeds, Bristol" in listing
    assert "New series" in listing
    page = client.get(f"/facilitator/series/{workshops['series']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Add a session" in html and "Delete series" not in html
    assert f"/facilitator/series/{workshops['series']}/edit" in html
    assert client.get("/facilitator/series/999").status_code == 404


def test_a_researcher_reads_only_the_series_granted(app, accounts, workshops):
    url = f"/facilitator/series/{workshops['series']}"
    granted = log_in(app, accounts["granted"])
    assert "Data sharing 2025" in granted.get("/facilitator/series/").get_data(as_text=True)
    page = granted.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Test 1: Purposeful" in html
    # Reading only: no forms that change the series.
    assert "Add a session" not in html and "Series settings" not in html
    assert granted.post(f"{url}/edit", data={"title": "Mine now"}).status_code == 403
    assert granted.post("/facilitator/series/", data={"title": "New"}).status_code == 403
    assert granted.post(f"{url}/delete").status_code == 403

    other = log_in(app, accounts["other"])
    listing = other.get("/facilitator/series/").get_data(as_text=True)
    assert "Data sharing 2025" not in listing
    assert "No series has been granted to you yet" in listing
    assert other.get(url).status_code == 403
    assert other.get("/facilitator/series/999").status_code == 404


# Forms -------------------------------------------------------------------------------------


def test_create_keeps_what_was_typed_when_refused(app, accounts):
    client = log_in(app, accounts["facilitator"])
    response = client.post("/facilitator/series/", data={"title": " ", "description": "Kept <i>"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Give the series a title" in html
    assert "Kept &lt;i&gt;</textarea>" in html
    response = client.post("/facilitator/series/", data={"title": "Summer workshops"})
    assert response.status_code == 303
    assert re.search(r"/facilitator/series/\d+$", response.headers["Location"])


def test_add_a_session_of_another_plan_is_refused_with_the_reason(app, accounts, workshops):
    with database(app).sessionmaker() as db:
        other_plan = parse_plan(OTHER_PLAN, "check-in")
        other = operations.create_session(db, other_plan, None)
    client = log_in(app, accounts["facilitator"])
    url = f"/facilitator/series/{workshops['series']}/sessions"
    response = client.post(
        url, data={"session": other.code, "place": "York", "held_on": "2025-07-01"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "runs the plan “Check-in” (check-in)" in html
    assert 'value="York"' in html  # what was typed is kept
    assert f'<option value="{other.code}" selected>' in html  # the refused choice stays
    # Sessions of another plan are not offered in the first place.
    page = client.get(f"/facilitator/series/{workshops['series']}").get_data(as_text=True)
    assert f'<option value="{other.code}"' not in page

    response = client.post(url, data={"session": "", "place": "York", "held_on": "2025-07-01"})
    assert response.status_code == 400
    assert "Choose the session to add." in response.get_data(as_text=True)


def test_put_a_session_in_a_new_series_from_the_dashboard(app, accounts):
    with database(app).sessionmaker() as db:
        session = operations.create_session(db, PLAN, None, PLAN.scenarios[0].key)
    client = log_in(app, accounts["facilitator"])
    dashboard = client.get("/facilitator/").get_data(as_text=True)
    assert f"/facilitator/series/for-session/{session.code}" in dashboard
    form = client.get(f"/facilitator/series/for-session/{session.code}").get_data(as_text=True)
    assert 'name="held_on" value="' in form  # the day it opened, ready to correct

    url = f"/facilitator/series/for-session/{session.code}"
    refused = client.post(url, data={"series": "new", "title": "Summer", "place": ""})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "Say where the session was held" in html
    assert 'value="Summer"' in html
    with database(app).sessionmaker() as db:
        # A refused form leaves no empty series behind.
        assert db.scalar(select(func.count()).select_from(Series)) == 0

    done = client.post(
        url, data={"series": "new", "title": "Summer", "place": "Hull", "held_on": "2025-08-01"}
    )
    assert done.status_code == 303
    dashboard = client.get("/facilitator/").get_data(as_text=True)
    assert "Series: Summer" in dashboard
    assert "· Hull" in dashboard


def test_remove_then_delete(app, accounts, workshops):
    client = log_in(app, accounts["facilitator"])
    base = f"/facilitator/series/{workshops['series']}"
    refused = client.post(f"{base}/delete", follow_redirects=True).get_data(as_text=True)
    assert "still holds 2 sessions" in refused
    for code in (workshops["leeds"], workshops["bristol"]):
        assert client.post(f"{base}/sessions/{code}/remove").status_code == 303
    assert "Delete series" in client.get(base).get_data(as_text=True)
    assert client.post(f"{base}/delete").status_code == 303
    assert client.get(base).status_code == 404


# What the page compares --------------------------------------------------------------------


def test_comparison_per_stage_per_session(app, workshops):
    with database(app).sessionmaker() as db:
        sessions = series_sessions(db, workshops["series"])
        columns, stages = compare(db, sessions)
    assert [c.label for c in columns] == ["Leeds", "Bristol"]
    assert [c.participants for c in columns] == [3, 3]
    by_key = {s.stage.key: s for s in stages}
    # Every test and feature is shown, answered or not; info stages never.
    for key in (
        "purposeful",
        "proportionate",
        "responsible",
        "feature-outcomes",
        "feature-tangible",
    ):
        assert key in by_key
    assert "welcome" not in by_key and "scenario" not in by_key
    assert "ranking" not in by_key  # not a test or feature, and nobody answered it

    purposeful = by_key["purposeful"]
    assert [s.answered for s in purposeful.sessions] == [3, 3]
    assert [s.comments for s in purposeful.sessions] == [2, 2]
    figure = comparison_figure(purposeful.stage, purposeful.sessions)
    traces = {trace["name"]: trace for trace in figure["data"]}
    assert list(traces) == ["Met", "Partly met", "Not met"]
    assert traces["Partly met"]["y"] == [pytest.approx(66.7), pytest.approx(33.3)]
    assert traces["Partly met"]["text"] == ["2", "1"]
    assert traces["Not met"]["customdata"] == [[0, 3], [1, 3]]
    assert traces["Met"]["x"] == ["Leeds<br>n = 3", "Bristol<br>n = 3"]

    rating = by_key["feature-outcomes"]
    figure = comparison_figure(rating.stage, rating.sessions)
    leeds, bristol = figure["data"]
    assert (leeds["name"], bristol["name"]) == ("Leeds", "Bristol")
    base = figure["data"][0]["base"]
    # Leeds rated 4, 4, 2 (median 4); Bristol 2, 3, 3 (median 3).
    assert [y + base for y in leeds["y"]] == [4, 4, 4]
    assert [y + base for y in bristol["y"]] == [3, 3, 3]
    assert "1: 0 · 2: 1 · 3: 0 · 4: 2 · 5: 0" in leeds["hovertext"][0]


def test_the_page_shows_counts_and_escapes_text(app, accounts, workshops):
    with database(app).sessionmaker() as db:
        series_ops.rename_series(db, workshops["series"], "Data <script>x</script>")
        leeds = db.scalar(select(WorkshopSession).where(WorkshopSession.code == workshops["leeds"]))
        series_ops.add_session(
            db, workshops["series"], leeds.id, "Leeds <b>north</b>", "2025-06-12"
        )
    html = log_in(app, accounts["facilitator"]).get(f"/facilitator/series/{workshops['series']}")
    html = html.get_data(as_text=True)
    assert "<script>x</script>" not in html and "Data &lt;script&gt;x&lt;/script&gt;" in html
    assert "<b>north</b>" not in html
    # In the figure's JSON the label is escaped for plotly (which reads a few tags) too.
    assert "Leeds \\u0026lt;b\\u0026gt;north" in html
    assert "Who decides <b>" not in html
    assert "6 answers · 4 comments" in html
    assert 'Met 1</span> · <span class="light-word light-partly">Partly 2' in html
    assert "/export/export.zip" in html and "Download everything (zip)" in html


def test_a_run_in_the_series_shows_its_window_status(app, accounts, workshops, request):
    from facilitation.extensions import socketio
    from tests.factories import Run

    run = Run(app, socketio, BUILTIN_PLAN)
    request.addfinalizer(run.close)
    with database(app).sessionmaker() as db:
        series_ops.add_session(db, workshops["series"], run.session_id, "Online", "2025-07-01")
    client = log_in(app, accounts["facilitator"])
    html = client.get(f"/facilitator/series/{workshops['series']}").get_data(as_text=True)
    row = re.search(rf"<tr>(?:(?!</tr>).)*{run.code}(?:(?!</tr>).)*</tr>", html, re.S).group(0)
    assert "<td>Open</td>" in row and "Live" not in row


# Recurring comments ------------------------------------------------------------------------


def comment(session_id: int, text: str, agree: int = 0, seq: int = 0) -> SeriesComment:
    return SeriesComment(next(_ids), session_id, "purposeful", text, agree, 0, seq)


def test_words_and_likeness():
    assert word_set("Councils share data") == {"council", "share", "data"}
    assert word_set("This process is about status") == {"process", "status"}
    # Jaccard 3/5 with three shared words: alike.
    assert alike(word_set("tenants told arrears data"), word_set("people told arrears data"))
    # Two shared words of six in all: too little overlap.
    assert not alike(
        word_set("consent matters for health records"), word_set("health records kept safely")
    )
    # One shared word is never enough, however short the comments.
    assert not alike(word_set("consent first"), word_set("consent later"))
    assert alike(word_set("Consent!"), word_set("consent"))


def test_recurring_themes_group_comments_across_sessions():
    comments = [
        comment(1, "Tenants must be told who sees their arrears data.", agree=2, seq=1),
        comment(1, "Tenants should be told who sees the arrears data", agree=0, seq=2),
        comment(2, "People should be told who sees their arrears data.", agree=5, seq=1),
        comment(3, "Who sees the arrears data? Tenants must be told.", agree=1, seq=4),
        comment(2, "The benefit to the public is not spelt out.", seq=2),
        comment(3, "Nobody spelt out the public benefit", agree=1, seq=5),
        # Alike, but from one session only: not a recurring theme.
        comment(1, "Staff time is wasted", seq=3),
        comment(1, "Staff time is wasted here", seq=4),
        comment(2, "Completely unrelated remark", seq=3),
    ]
    themes = group(comments, [1, 2, 3])
    assert len(themes) == 2
    arrears, benefit = themes
    assert arrears.session_ids == [1, 2, 3]
    assert len(arrears.comments) == 4
    assert arrears.agree == 8
    assert arrears.lead.text == "People should be told who sees their arrears data."
    assert {"arrear", "data", "told"} <= set(arrears.words)
    assert benefit.session_ids == [2, 3]
    assert benefit.lead.text == "Nobody spelt out the public benefit"
    assert [c.text for c in benefit.others] == ["The benefit to the public is not spelt out."]


def test_hidden_comments_do_not_make_a_theme(app, accounts, workshops):
    with database(app).sessionmaker() as db:
        bristol = db.scalar(
            select(WorkshopSession).where(WorkshopSession.code == workshops["bristol"])
        )
        arrears = db.scalar(
            select(Comment).where(
                Comment.session_id == bristol.id, Comment.text.like("People should%")
            )
        )
        operations.hide_comment(db, bristol.id, arrears.id)
    client = log_in(app, accounts["facilitator"])
    html = client.get(f"/facilitator/series/{workshops['series']}").get_data(as_text=True)
    assert "Tenants must be told" not in html
    assert "No comment here closely matches one from another session." in html
