"""The tidy CSV files, written from a real session and read back with the csv module: every
activity type's answers, comments and statements with votes and moderation, notes, name
consent, withdrawal and the formula guard."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select

from facilitation.exports.common import guard
from facilitation.exports.csv_files import COMMENTS, NOTES, PARTICIPANTS, RESPONSES, STAGES
from facilitation.models import Answer, Comment, Event, Note, Participant, WorkshopSession
from facilitation.workshop.projection import canonical
from tests.exports.conftest import ANSWERS, produce, read_csv

TABLE_FORMATS = ("participants", "stages", "responses", "comments", "notes")


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def pseudonym(played, person) -> str:
    with played.workshop.db() as db:
        return db.get(Participant, person.id).pseudonym


def test_every_csv_file_has_its_columns_and_the_session_code_in_every_row(played):
    columns = {
        "participants": PARTICIPANTS,
        "stages": STAGES,
        "responses": RESPONSES,
        "comments": COMMENTS,
        "notes": NOTES,
    }
    for name in TABLE_FORMATS:
        text = produce(played.workshop, name)
        assert text.splitlines()[0].split(",") == list(columns[name])
        rows = read_csv(text)
        assert rows, name
        assert {row["session"] for row in rows} == {played.code}


def test_participants_show_names_only_with_consent_and_withdrawal_only_as_a_fact(played):
    rows = {row["pseudonym"]: row for row in read_csv(produce(played.workshop, "participants"))}
    with played.workshop.db() as db:
        stored = db.scalars(select(Participant).order_by(Participant.id)).all()
        assert list(rows) == [p.pseudonym for p in stored]  # in the order they joined
        for person in stored:
            row = rows[person.pseudonym]
            assert when(row["joined_at"]) == utc(person.joined_at)
            assert row["withdrawn"] == ("true" if person.withdrawn_at else "false")

    named = rows[pseudonym(played, played.named)]
    assert named["display_name"] == "Sam Jones"
    assert (named["sector"], named["table"]) == ("Welfare", "Table A")  # sector stage answer

    unnamed = rows[pseudonym(played, played.unnamed)]
    assert unnamed["display_name"] == ""  # gave a name, did not allow it in exports
    assert (unnamed["sector"], unnamed["table"]) == ("Housing", "Table B")

    gone = rows[pseudonym(played, played.gone)]
    assert gone["withdrawn"] == "true" and when(gone["withdrawn_at"]) > when(gone["joined_at"])
    assert gone["display_name"] == gone["sector"] == gone["table"] == ""


def test_stages_describe_the_plan(played):
    rows = read_csv(produce(played.workshop, "stages"))
    plan = played.workshop.plan
    assert [row["key"] for row in rows] == [stage.key for stage in plan.stages]
    assert [row["index"] for row in rows] == [str(i) for i in range(len(plan.stages))]
    by_key = {row["key"]: row for row in rows}
    assert by_key["rate"]["type"] == "rating"
    assert (by_key["rate"]["scale_min"], by_key["rate"]["scale_max"]) == ("1", "5")
    assert by_key["light"]["scale_min"] == ""
    assert by_key["pick"]["items"] == "3" and by_key["where"]["items"] == "3"  # sectors
    assert by_key["place"]["items"] == "1"  # the scenario itself
    assert by_key["say"]["prompt"] == "Say what you think"
    assert {row["plan"] for row in rows} == {"every-activity"}
    assert {row["plan_title"] for row in rows} == {"Every activity"}


def test_responses_have_one_row_per_answered_item_for_every_activity_type(played):
    rows = read_csv(produce(played.workshop, "responses"))
    named = pseudonym(played, played.named)
    mine = {(r["stage"], r["item"]): r for r in rows if r["pseudonym"] == named}
    expected = {
        ("where", "sector"): ("sector", "Sector", "Welfare"),
        ("pick", "yes"): ("choice", "Yes", "yes"),
        ("pick", "unsure"): ("choice", "Unsure", "unsure"),
        ("rate", "outcomes"): ("rating", "Outcomes", "4"),
        ("rate", "respect"): ("rating", guard("=Respect"), "2"),
        ("light", "clear"): ("traffic_light", "The purpose is clear", "met"),
        ("light", "told"): ("traffic_light", "People are told", "not_met"),
        ("order", "third"): ("ranking", "Third thing", "1"),
        ("order", "first"): ("ranking", "First thing", "2"),
        ("order", "second"): ("ranking", "Second thing", "3"),
        ("dots", "cats"): ("points", "Cats", "3"),
        ("dots", "dogs"): ("points", "Dogs", "2"),
        ("place", "scenario"): ("grid", "The scenario", "3,1"),
        ("words", "words"): ("word_cloud", "Words", guard("=fair share")),
    }
    assert {key: (r["stage_type"], r["item_label"], r["value"]) for key, r in mine.items()} == (
        expected
    )
    assert {r["sector"] for r in mine.values()} == {"Welfare"}
    assert {r["table"] for r in mine.values()} == {"Table A"}
    assert {stage for stage, _ in mine} == set(ANSWERS)

    unnamed = [r for r in rows if r["pseudonym"] == pseudonym(played, played.unnamed)]
    # The sector chosen on the join form is their answer to the sector stage.
    assert [(r["stage"], r["item"], r["value"]) for r in unnamed] == [
        ("where", "sector", "Housing"),
        ("rate", "outcomes", "5"),
    ]

    # Each row's time is its answer's event time, and the values are what was stored.
    with played.workshop.db() as db:
        for answer in db.scalars(select(Answer)):
            event = db.scalar(
                select(Event).where(Event.session_id == answer.session_id, Event.seq == answer.seq)
            )
            person = db.get(Participant, answer.participant_id)
            ours = [
                r
                for r in rows
                if r["pseudonym"] == person.pseudonym and r["stage"] == answer.stage_key
            ]
            assert ours and {when(r["answered_at"]) for r in ours} == {utc(event.at)}
            assert canonical(event.payload["value"]) == answer.value


def test_comments_carry_votes_moderation_consensus_and_names_with_consent(played):
    rows = {int(r["comment_id"]): r for r in read_csv(produce(played.workshop, "comments"))}
    ids = played.comments
    with played.workshop.db() as db:
        stored = {c.id: c for c in db.scalars(select(Comment))}
    assert set(rows) == set(stored)
    for comment_id, comment in stored.items():
        row = rows[comment_id]
        assert row["text"] == guard(comment.text)
        assert row["stage"] == comment.stage_key
        assert (row["agree"], row["disagree"], row["passes"]) == (
            str(comment.agree),
            str(comment.disagree),
            str(comment.passes),
        )
        assert when(row["created_at"]) == utc(comment.created_at)

    light = rows[ids["light"]]
    assert light["text"] == "'@risk: ask people first"
    assert (light["agree"], light["disagree"]) == ("2", "0")  # the withdrawn "disagree" left
    # Housing and Health agree, one voter each: fewer than the plan's min_group_size (3),
    # so as on the screens they are folded away and no consensus can be told.
    assert light["consensus"] == "too_few"
    assert light["kind"] == "comment" and light["display_name"] == "Sam Jones"
    talk = rows[ids["talk"]]
    assert talk["display_name"] == "" and talk["highlighted"] == "true"
    assert talk["hidden"] == "false" and talk["consensus"] == "too_few"
    assert rows[ids["hidden"]]["hidden"] == "true"
    statement = rows[ids["statement"]]
    assert statement["kind"] == "statement" and statement["passes"] == "1"


def test_notes_round_trip(played):
    rows = {int(r["note_id"]): r for r in read_csv(produce(played.workshop, "notes"))}
    with played.workshop.db() as db:
        stored = {n.id: n for n in db.scalars(select(Note))}
    assert set(rows) == set(stored)
    for note_id, note in stored.items():
        row = rows[note_id]
        assert (row["stage"], row["table"], row["author"]) == (
            note.stage_key or "",
            note.table_key or "",
            note.author,
        )
        assert row["text"] == guard(note.text)
        assert row["shown"] == ("true" if note.shown else "false")
        assert when(row["created_at"]) == utc(note.created_at)
    table_note = rows[played.notes["a"]]
    assert table_note["text"] == "'-They want a say" and table_note["shown"] == "true"


def test_a_withdrawn_participant_is_in_no_csv_file_but_as_a_withdrawal(played):
    gone = pseudonym(played, played.gone)
    for name in ("responses", "comments"):
        assert gone not in produce(played.workshop, name)
    for name in TABLE_FORMATS + ("transcript-csv", "transcript-json"):
        text = produce(played.workshop, name)
        assert "GONE TEXT" not in text and "Gone Person" not in text, name
    participants = [r for r in read_csv(produce(played.workshop, "participants"))]
    assert [r["pseudonym"] for r in participants].count(gone) == 1
    transcript = [r for r in read_csv(produce(played.workshop, "transcript-csv"))]
    theirs = [(r["type"], r["content"]) for r in transcript if r["actor"] == gone]
    assert theirs == [("participant.joined", '{"withdrawn": true}'), ("participant.withdrew", "")]


def test_no_cell_of_any_csv_file_starts_like_a_formula(played):
    for name in TABLE_FORMATS + ("transcript-csv",):
        for row in read_csv(produce(played.workshop, name)):
            for column, cell in row.items():
                assert cell[:1] not in ("=", "+", "-", "@"), (name, column, cell)


def test_the_transcript_shows_a_display_name_only_with_consent(played):
    events = json.loads(produce(played.workshop, "transcript-json"))["events"]
    joined = {e["actor"]: e["content"] for e in events if e["type"] == "participant.joined"}
    assert joined[pseudonym(played, played.named)]["display_name"] == "Sam Jones"
    assert "display_name" not in joined[pseudonym(played, played.unnamed)]
    assert {e["session"] for e in events} == {played.code}


def test_a_series_export_is_its_sessions_one_after_another(played, every):
    from facilitation.workshop import operations

    with every.db() as db:
        first = db.get(WorkshopSession, every.session_id)
        other = operations.create_session(db, every.plan, None, every.plan.scenarios[0].key)
        other_code = other.code
        person = operations.join(db, other.id, "Health", "Someone", name_consent=True)
        assert person.pseudonym  # pseudonyms are drawn per session
        sessions = [first, db.get(WorkshopSession, other.id)]
        codes = [s.code for s in sessions]
    participants = read_csv(produce(every, "participants", sessions))
    assert [r["session"] for r in participants] == [played.code] * 4 + [other_code]
    stages = read_csv(produce(every, "stages", sessions))
    assert len(stages) == 2 * len(every.plan.stages)
    data = json.loads(produce(every, "transcript-json", sessions))
    assert [s["session"] for s in data["sessions"]] == codes and "plan" not in data
    seen = [e["session"] for e in data["events"]]
    assert seen == sorted(seen, key=codes.index)  # session by session, in order
