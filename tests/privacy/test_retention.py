"""Retention and purge: what a purge deletes and keeps, the dry run, which sessions are due,
shortening the period from the console, and what a purged session looks like afterwards.

Time is passed in (``now=``) or set on the session row: nothing here waits.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from facilitation.errors import Refused
from facilitation.exports import formats
from facilitation.extensions import socketio
from facilitation.models import (
    Answer,
    Comment,
    Event,
    KeptAggregate,
    Note,
    Participant,
    Reaction,
    WorkshopSession,
)
from facilitation.privacy import retention
from facilitation.workshop import operations
from facilitation.workshop.aggregates import stage_results
from tests.factories import Workshop
from tests.privacy.scenario import PLAN, play

ENDED = datetime(2025, 3, 1, 17, 0, tzinfo=UTC)  # plan PLAN keeps raw data for 30 days
DUE = ENDED + timedelta(days=30)


@pytest.fixture
def every(app, tmp_path):
    path = tmp_path / "every-activity.yaml"
    path.write_text(PLAN)
    workshop = Workshop(app, socketio, path)
    yield workshop
    workshop.close()


@pytest.fixture
def ended(every):
    """The played session, ended on ENDED."""
    play(every)
    end(every, ENDED)
    return every


def end(workshop, at: datetime) -> None:
    with workshop.db() as db:
        operations.end_session(db, workshop.session_id)
        db.get(WorkshopSession, workshop.session_id).ended_at = at
        db.commit()


def counts(db, session_id: int) -> dict[str, int]:
    def count(model, *where):
        return db.scalar(select(func.count()).select_from(model).where(*where))

    comment_ids = select(Comment.id).where(Comment.session_id == session_id)
    return {
        "events": count(Event, Event.session_id == session_id),
        "answers": count(Answer, Answer.session_id == session_id),
        "comments": count(Comment, Comment.session_id == session_id),
        "reactions": count(Reaction, Reaction.comment_id.in_(comment_ids)),
        "notes": count(Note, Note.session_id == session_id),
        "participants": count(Participant, Participant.session_id == session_id),
        "kept": count(KeptAggregate, KeptAggregate.session_id == session_id),
    }


def session_row(workshop) -> WorkshopSession:
    with workshop.db() as db:
        return db.get(WorkshopSession, workshop.session_id)


# Which sessions are due -----------------------------------------------------------------


def test_retention_is_the_plans_unless_shortened(ended):
    session = session_row(ended)
    assert retention.retention_days(session) == 30
    assert retention.purge_due_at(session) == DUE
    assert not retention.is_due(session, DUE - timedelta(seconds=1))
    assert retention.is_due(session, DUE)


def test_nothing_is_purged_before_the_period_has_passed(ended):
    with ended.db() as db:
        before = counts(db, ended.session_id)
        assert retention.purge(db, now=DUE - timedelta(minutes=1), keep_aggregates=True) == []
        assert counts(db, ended.session_id) == before
    assert session_row(ended).purged_at is None


def test_sessions_that_have_not_ended_are_never_purged(every):
    play(every)  # still live
    with every.db() as db:
        before = counts(db, every.session_id)
        far_future = datetime(2100, 1, 1, tzinfo=UTC)
        assert retention.purge(db, now=far_future) == []
        assert counts(db, every.session_id) == before
    assert session_row(every).purged_at is None


def test_dry_run_deletes_nothing_and_says_what_it_would(ended, app):
    with ended.db() as db:
        before = counts(db, ended.session_id)
        done = retention.purge(db, now=DUE, keep_aggregates=True, dry_run=True)
        assert [p.code for p in done] == [ended.code]
        assert done[0].counts == {k: before[k] for k in retention.RAW_TABLES}
        assert counts(db, ended.session_id) == before
    assert session_row(ended).purged_at is None

    result = app.test_cli_runner().invoke(args=["purge", "--keep-aggregates", "--dry-run"])
    # The CLI runs on real time: the session ended in 2025, long past its 30 days.
    assert result.exit_code == 0, result.output
    assert f"{ended.code}: ended 2025-03-01, due 2025-03-31; would delete" in result.output
    assert f"{before['events']} events" in result.output
    assert "Dry run: 1 session due; nothing was deleted." in result.output
    with ended.db() as db:
        assert counts(db, ended.session_id) == before


# What a purge deletes and keeps ---------------------------------------------------------


def test_purge_deletes_raw_data_and_keeps_aggregates(ended):
    with ended.db() as db:
        before = counts(db, ended.session_id)
        # What the room saw, to compare with what is kept.
        session = db.get(WorkshopSession, ended.session_id)
        light = retention.kept_results(db, session, ended.plan.stage("light"))
        typed = stage_results(db, session, ended.plan.stage("words"))["words"]
        done = retention.purge(db, now=DUE, keep_aggregates=True)
        assert [p.code for p in done] == [ended.code]
        assert done[0].counts == {k: before[k] for k in retention.RAW_TABLES}
        after = counts(db, ended.session_id)
    assert all(before[k] > 0 for k in retention.RAW_TABLES)
    assert {k: after[k] for k in retention.RAW_TABLES} == dict.fromkeys(retention.RAW_TABLES, 0)

    session = session_row(ended)
    assert session.purged_at is not None and session.purged_at.replace(tzinfo=UTC) == DUE
    assert session.code == ended.code and session.plan_source  # the session row stays
    with ended.db() as db:
        kept = {row.stage_key: row.results for row in retention.kept_aggregates(db, session.id)}
    # Every stage people answered or commented on, and none of the others.
    assert list(kept) == [
        "where",
        "pick",
        "rate",
        "light",
        "order",
        "dots",
        "place",
        "words",
        "talk",
        "say",
    ]
    assert kept["light"] == light
    assert kept["light"]["answered"] == 1  # the withdrawn participant's answer was gone
    assert kept["light"]["comments"] == 1
    assert kept["rate"]["answered"] == 2
    assert kept["talk"]["comments"] == 1  # the hidden comment is not counted
    # A word cloud keeps no word fewer than min_group_size people typed: that is their text.
    assert typed and all(word["count"] < 3 for word in typed)
    assert kept["words"]["words"] == []
    # Statements keep their votes, not their wording.
    statement = kept["say"]["statements"][0]
    assert "text" not in statement and "id" not in statement
    assert statement["passes"] == 1 and statement["votes"] == 1


def test_purge_without_aggregates_keeps_nothing(ended):
    with ended.db() as db:
        done = retention.purge(db, now=DUE)
        assert done[0].kept_stages == []
        assert counts(db, ended.session_id) == dict.fromkeys([*retention.RAW_TABLES, "kept"], 0)


def test_purge_runs_once_and_leaves_other_sessions_alone(ended, app, tmp_path):
    other_path = tmp_path / "other.yaml"
    other_path.write_text(PLAN)
    other = Workshop(app, socketio, other_path)
    try:
        other.join("Health")
        end(other, ENDED + timedelta(days=10))  # due ten days later
        with ended.db() as db:
            other_before = counts(db, other.session_id)
            assert [p.code for p in retention.purge(db, now=DUE, keep_aggregates=True)] == [
                ended.code
            ]
            assert counts(db, other.session_id) == other_before
            # Run again the same day: nothing more to do.
            assert retention.purge(db, now=DUE + timedelta(hours=1), keep_aggregates=True) == []
            later = retention.purge(db, now=DUE + timedelta(days=10), keep_aggregates=True)
            assert [p.code for p in later] == [other.code]
            assert later[0].counts["participants"] == 1
    finally:
        other.close()


def test_purge_cli_prints_what_it_did(ended, app):
    result = app.test_cli_runner().invoke(args=["purge", "--keep-aggregates"])
    assert result.exit_code == 0, result.output
    assert f"{ended.code}: ended 2025-03-01, due 2025-03-31; deleted" in result.output
    assert "kept aggregate counts of 10 stages" in result.output
    assert "Purged 1 session." in result.output
    again = app.test_cli_runner().invoke(args=["purge", "--keep-aggregates"])
    assert again.exit_code == 0 and "Purged 0 sessions." in again.output


# Shortening -----------------------------------------------------------------------------


def test_shortening_rules(ended):
    with ended.db() as db:
        session = retention.shorten_retention(db, ended.session_id, 7)
        assert session.retention_days == 7
        assert retention.purge_due_at(session) == ENDED + timedelta(days=7)
        with pytest.raises(Refused, match="can only be shortened: it is 7 days now"):
            retention.shorten_retention(db, ended.session_id, 8)  # never back up
        with pytest.raises(Refused, match="at least 1 day"):
            retention.shorten_retention(db, ended.session_id, 0)
        retention.shorten_retention(db, ended.session_id, 7)  # the same: fine
    with ended.db() as db:
        assert retention.purge(db, now=ENDED + timedelta(days=7))[0].code == ended.code
        with pytest.raises(Refused, match="already been deleted"):
            retention.shorten_retention(db, ended.session_id, 1)


def test_never_longer_than_the_plan(every):
    with every.db() as db:
        with pytest.raises(Refused, match="it is the plan's 30 days now"):
            retention.shorten_retention(db, every.session_id, 31)
    assert session_row(every).retention_days is None


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Give the number of days to keep the raw data"),
        ("two weeks", "whole number"),
        ("-3", "whole number"),
        ("0", "at least 1 day"),
        ("45", "can only be shortened: it is the plan&#39;s 30 days now"),
    ],
)
def test_console_form_refuses_with_a_clear_message(every, typed, message):
    facilitator = every.facilitator()
    response = facilitator.http.post(
        f"/facilitator/sessions/{every.code}/retention", data={"days": typed}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'id="retention-days-error"' in page and "aria-invalid" in page
    assert f'value="{typed}"' in page  # what was typed is kept
    assert session_row(every).retention_days is None


def test_console_form_shortens(every):
    facilitator = every.facilitator()
    response = facilitator.http.post(
        f"/facilitator/sessions/{every.code}/retention", data={"days": " 14 "}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/facilitator/sessions/{every.code}")
    assert session_row(every).retention_days == 14
    page = facilitator.http.get(f"/facilitator/sessions/{every.code}").get_data(as_text=True)
    assert "raw data will now be deleted 14 days after the session ends" in page
    assert "Deleted 14 days after the session ends." in page
    assert "The plan's period is 30 days" in page


def test_researchers_cannot_shorten(every, app):
    from tests.privacy.test_researchers import login_as

    researcher = login_as(app, "researcher")
    response = researcher.post(f"/facilitator/sessions/{every.code}/retention", data={"days": "1"})
    assert response.status_code == 403
    assert session_row(every).retention_days is None


# A purged session afterwards ------------------------------------------------------------


def test_purged_session_pages_exports_and_live_events(ended, app):
    with ended.db() as db:
        retention.purge(db, now=DUE, keep_aggregates=True)
    facilitator = ended.facilitator()
    console = facilitator.http.get(f"/facilitator/sessions/{ended.code}").get_data(as_text=True)
    assert "Raw data deleted on 31 March 2025" in console
    assert "(kept aggregate counts of 10 stages)" in console
    assert 'id="retention-days"' not in console  # nothing left to shorten
    dashboard = facilitator.http.get("/facilitator/").get_data(as_text=True)
    assert "Raw data deleted on 31 March 2025 (kept aggregate counts)" in dashboard

    # Phones and projectors cannot connect; the facilitator may look but not change.
    assert not ended.screen().connected
    assert facilitator.emit("sync")["ok"]
    refused = facilitator.emit("set_screen_mode", {"mode": "join"})
    assert refused == {
        "ok": False,
        "error": "This session's raw data has been deleted; it can no longer be changed.",
    }

    # Exports hold the kept counts only.
    with ended.db() as db:
        session = db.get(WorkshopSession, ended.session_id)
        kept_csv = "".join(formats.REGISTRY["kept-aggregates"].produce(db, [session]))
    rows = list(csv.DictReader(io.StringIO(kept_csv)))
    assert [r["stage"] for r in rows][:3] == ["where", "pick", "rate"]
    assert {r["session"] for r in rows} == {ended.code}
    assert rows[3]["stage_title"] == "Purposeful" and rows[3]["activity"] == "traffic_light"
    assert rows[3]["answered"] == "1" and rows[3]["comments"] == "1"
    download = facilitator.http.get(
        f"/facilitator/sessions/{ended.code}/export/kept_aggregates.csv"
    )
    if download.status_code != 404:  # the export views may not be there yet
        assert download.status_code == 200
        assert download.get_data(as_text=True) == kept_csv


def test_unpurged_sessions_export_no_kept_rows(ended):
    with ended.db() as db:
        session = db.get(WorkshopSession, ended.session_id)
        text = "".join(formats.REGISTRY["kept-aggregates"].produce(db, [session]))
    assert text.splitlines() == [
        "session,purged_at,stage,stage_title,activity,answered,comments,results"
    ]


def test_the_join_page_tells_the_shortened_period(every):
    page = every.facilitator().http.get(f"/j/{every.code}").get_data(as_text=True)
    assert "the raw data is deleted 30 days after the workshop" in page
    with every.db() as db:
        retention.shorten_retention(db, every.session_id, 1)
    page = every.facilitator().http.get(f"/j/{every.code}").get_data(as_text=True)
    assert "the raw data is deleted 1 day after the workshop" in page
