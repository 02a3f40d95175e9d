"""A session of the built-in plan with the words a report and a .qdpx must carry (and must
not): comments with markup and non-ASCII text, a hidden comment, notes, a participant who
allowed their display name, one who did not, and one who withdrew after commenting.

Used by tests/exports/test_report.py, test_qdpx.py and tests/browser/test_report.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from facilitation.models import Participant, Series, WorkshopSession
from facilitation.workshop import operations, payloads
from tests.factories import Workshop, client_id

XSS = '<script>alert("pwned")</script><img src=x onerror="alert(1)"> & more'
NON_ASCII = "Données partagées — naïve café, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and 👍🏽 agreed"
# Comments are one line; notes keep their line breaks (a note can be a list).
MULTILINE = "- a named contact\n- a clear letter\n\nAgreed by every table."
NOTE_MARKUP = "Table said <b>not</b> without consent – ü"
HIDDEN = "HIDDEN WORDS the facilitator took down"
WITHDRAWN = "WITHDRAWN WORDS nobody may keep"
TABLES = ["Table 1", "Tisch 2 – ü"]


@dataclass
class Story:
    workshop: Workshop
    people: dict[str, Participant] = field(default_factory=dict)
    comments: dict[str, int] = field(default_factory=dict)  # label -> comment id
    texts: dict[str, str] = field(default_factory=dict)  # label -> text as posted
    notes: dict[str, int] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.workshop.code

    def session(self, db) -> WorkshopSession:
        return db.get(WorkshopSession, self.workshop.session_id)


def _join(workshop, sector, name=None, table=None, consent=False) -> Participant:
    with workshop.db() as db:
        return operations.join(db, workshop.session_id, sector, name, table, name_consent=consent)


def _open(workshop, key: str) -> None:
    with workshop.db() as db:
        operations.go_to_stage(db, workshop.session_id, workshop.stage_index(key))
        operations.open_input(db, workshop.session_id)


def _answer(workshop, person, stage: str, value: dict) -> None:
    with workshop.db() as db:
        operations.record_answer(
            db, workshop.session_id, person.id, payloads.AnswerPayload(stage, client_id(), value)
        )


def _comment(story: Story, label: str, person, stage: str, text: str) -> None:
    with story.workshop.db() as db:
        done = operations.post_comment(
            db,
            story.workshop.session_id,
            person.id,
            payloads.CommentPayload(stage, client_id(), text),
        )
    story.comments[label] = done.comment_id
    story.texts[label] = text


def _react(workshop, person, comment_id: int, value: int) -> None:
    with workshop.db() as db:
        operations.react(
            db,
            workshop.session_id,
            person.id,
            payloads.ReactionPayload(comment_id, client_id(), value),
        )


def _note(story: Story, label: str, text: str, stage: str, table: str | None) -> None:
    with story.workshop.db() as db:
        done = operations.post_note(
            db,
            story.workshop.session_id,
            "Jo Bloggs (scribe)",  # a note-taker's label: may be a name, never exported
            payloads.NotePayload(client_id(), text, stage, table),
        )
    story.notes[label] = done.note_id
    story.texts[f"note:{label}"] = text


def tell(workshop: Workshop, *, place: str | None = None, held_on: date | None = None) -> Story:
    story = Story(workshop)
    with workshop.db() as db:
        operations.set_tables(db, workshop.session_id, TABLES)
        if place or held_on:
            session = db.get(WorkshopSession, workshop.session_id)
            session.place, session.held_on = place, held_on
            db.commit()
    people = story.people
    people["amira"] = _join(workshop, "Health", "Amira Q", TABLES[0], consent=True)
    people["bo"] = _join(workshop, "Housing", "Bo Secret", TABLES[1], consent=False)
    people["cy"] = _join(workshop, "Welfare", None, TABLES[0])
    people["gone"] = _join(workshop, "Social care", "Gone Person", TABLES[0], consent=True)

    _open(workshop, "purposeful")
    for who, light in (("amira", "met"), ("bo", "partly"), ("gone", "not_met")):
        _answer(workshop, people[who], "purposeful", {"lights": {"purposeful": light}})
    _comment(story, "xss", people["amira"], "purposeful", XSS)
    _comment(story, "unicode", people["bo"], "purposeful", NON_ASCII)
    _comment(story, "withdrawn", people["gone"], "purposeful", WITHDRAWN)
    _react(workshop, people["bo"], story.comments["xss"], 1)
    _react(workshop, people["cy"], story.comments["xss"], 1)
    _react(workshop, people["amira"], story.comments["unicode"], -1)
    _react(workshop, people["gone"], story.comments["unicode"], 1)
    _note(story, "purposeful", NOTE_MARKUP, "purposeful", TABLES[0])

    _open(workshop, "feature-respect")
    ratings = {"expected": 4, "minimum": 3, "dignity": 5, "voice": 2}
    _answer(workshop, people["amira"], "feature-respect", {"ratings": ratings})
    _answer(workshop, people["cy"], "feature-respect", {"ratings": {"expected": 2}})
    _comment(story, "respect", people["cy"], "feature-respect", "Respect means asking first")
    _comment(story, "hidden", people["bo"], "feature-respect", HIDDEN)

    _open(workshop, "trust")
    _comment(story, "trust", people["amira"], "trust", "Tell people who to ask")
    _note(story, "trust", MULTILINE, "trust", None)

    with workshop.db() as db:
        operations.hide_comment(db, workshop.session_id, story.comments["hidden"])
        operations.show_note(db, workshop.session_id, story.notes["purposeful"])
        operations.withdraw(db, workshop.session_id, people["gone"].id)
    return story


def a_third_answer(story: Story) -> None:
    """One more person answers the Purposeful test: the story leaves two answers there, and a
    series compares no session with fewer than the plan's min_group_size (3) answers."""
    _open(story.workshop, "purposeful")
    third = _join(story.workshop, "Health")
    _answer(story.workshop, third, "purposeful", {"lights": {"purposeful": "met"}})


def in_series(db, title: str, stories: list[Story]) -> Series:
    """Put the stories' sessions in one new series (as the series pages would)."""
    series = Series(title=title, description="Workshops in two areas.")
    db.add(series)
    db.flush()
    for story in stories:
        story.session(db).series_id = series.id
    db.commit()
    return series
