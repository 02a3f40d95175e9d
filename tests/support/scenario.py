"""A session of a plan with every activity type, played through the real operations:
answers of every kind, comments and statements with votes and moderation, notes, a
participant who allowed their name, one who did not, and one who withdrew.

The export tests and the privacy tests both play it. They differ on purpose in a few
details, which are the parameters of ``play`` (the privacy tests' choices are in
``tests/privacy/scenario.py``): so that a change made for one kind of test cannot shift
what the other expects, change a detail by adding a parameter, not by editing the default.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitation.models import Participant
from facilitation.workshop import operations, payloads
from tests.factories import Workshop, client_id

PLAN = """\
title: Every activity
description: One stage of each kind, for export tests.
privacy_notice: We keep your sector, table and answers for 30 days.
retention_days: 30
sectors: [Health, Housing, Welfare]
tables: [Table A, Table B]
scenarios:
  - {key: arrears, title: Rent arrears and health, summary: The council shares arrears with GPs.}
stages:
  - {key: welcome, title: Welcome, prompt: Welcome, type: info, body: Hello.}
  - {key: where, title: Your sector, prompt: "Where do you work?", type: sector}
  - {key: story, title: The scenario, prompt: Read this, type: scenario}
  - {key: pick, title: Pick, prompt: "Which ones?", type: choice, multiple: true,
     items: [{key: yes, label: "Yes"}, {key: no, label: "No"}, {key: unsure, label: Unsure}]}
  - key: rate
    title: Features
    prompt: "How well?"
    type: rating
    scale: {min: 1, max: 5}
    items: [{key: outcomes, label: Outcomes}, {key: respect, label: "=Respect"}]
    comments: true
  - key: light
    title: Purposeful
    prompt: Is the purpose clear?
    type: traffic_light
    comments: true
    items:
      - {key: clear, label: The purpose is clear}
      - {key: told, label: People are told}
  - {key: order, title: Order, prompt: Order these, type: ranking,
     items: [{key: first, label: First thing}, {key: second, label: Second thing},
             {key: third, label: Third thing}]}
  - {key: dots, title: Dots, prompt: Spread, type: points, points: 5,
     items: [{key: cats, label: Cats}, {key: dogs, label: Dogs}]}
  - {key: place, title: Place, prompt: Place it, type: grid, size: 3}
  - {key: words, title: Words, prompt: A word, type: word_cloud, max_words: 2}
  - {key: talk, title: Open talk, prompt: Comments, type: open_text}
  - {key: say, title: Statements, prompt: Say what you think, type: statements}
"""

GONE_NAME = "Gone Person"
GONE_TEXT = "GONE TEXT"


@dataclass
class Played:
    workshop: Workshop
    named: Participant  # allowed their display name
    unnamed: Participant  # gave a name, did not allow it
    gone: Participant  # withdrew after answering and commenting
    extra: Participant | None  # no name; agrees with the light comment (a second sector)
    comments: dict[str, int] = field(default_factory=dict)  # label -> comment id
    notes: dict[str, int] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.workshop.code


def join(workshop, sector, name=None, table=None, consent=False) -> Participant:
    with workshop.db() as db:
        return operations.join(db, workshop.session_id, sector, name, table, name_consent=consent)


def open_stage(workshop, key: str) -> None:
    with workshop.db() as db:
        operations.go_to_stage(db, workshop.session_id, workshop.stage_index(key))
        stage = workshop.plan.stage(key)
        if stage.activity.answerable or stage.takes_comments:
            operations.open_input(db, workshop.session_id)


def answer(workshop, person, stage: str, value: dict) -> None:
    with workshop.db() as db:
        operations.record_answer(
            db, workshop.session_id, person.id, payloads.AnswerPayload(stage, client_id(), value)
        )


def comment(workshop, person, stage: str, text: str) -> int:
    with workshop.db() as db:
        done = operations.post_comment(
            db, workshop.session_id, person.id, payloads.CommentPayload(stage, client_id(), text)
        )
    return done.comment_id


def react(workshop, person, comment_id: int, value: int, is_pass: bool = False) -> None:
    with workshop.db() as db:
        operations.react(
            db,
            workshop.session_id,
            person.id,
            payloads.ReactionPayload(comment_id, client_id(), value, is_pass),
        )


def note(workshop, author, text: str, stage=None, table=None) -> int:
    with workshop.db() as db:
        done = operations.post_note(
            db, workshop.session_id, author, payloads.NotePayload(client_id(), text, stage, table)
        )
    return done.note_id


ANSWERS = {
    "where": {"sector": "Welfare"},
    "pick": {"choices": ["yes", "unsure"]},
    "rate": {"ratings": {"outcomes": 4, "respect": 2}},
    "light": {"lights": {"clear": "met", "told": "not_met"}},
    "order": {"order": ["third", "first", "second"]},
    "dots": {"points": {"cats": 3, "dogs": 2}},
    "place": {"cells": {"scenario": [3, 1]}},
    "words": {"text": "=fair share"},
}


def play(
    workshop: Workshop,
    answers: dict[str, dict] = ANSWERS,
    *,
    with_extra: bool = True,
    gone_states: bool = False,
    note_text: str = "-They want a say",
) -> Played:
    """Play the scenario. ``with_extra``: a fourth participant joins and agrees with the
    light comment; ``gone_states``: the one who withdraws also writes a statement and votes
    on the other one; ``note_text``: the table note that is shown."""
    named = join(workshop, "Health", "Sam Jones", "Table A", consent=True)
    unnamed = join(workshop, "Housing", "Alex Private", "Table B", consent=False)
    gone = join(workshop, "Welfare", GONE_NAME, "Table A", consent=True)
    extra = join(workshop, "Health") if with_extra else None
    played = Played(workshop, named, unnamed, gone, extra)
    for key, value in answers.items():
        open_stage(workshop, key)
        answer(workshop, named, key, value)
        answer(workshop, gone, key, {"sector": "Welfare"} if key == "where" else value)
        if key == "rate":
            answer(workshop, unnamed, key, {"ratings": {"outcomes": 5}})
        if key == "light":
            played.comments["light"] = comment(workshop, named, "light", "@risk: ask people first")
            played.comments["gone-light"] = comment(workshop, gone, "light", GONE_TEXT)
            react(workshop, unnamed, played.comments["light"], 1)
            react(workshop, gone, played.comments["light"], -1)
            react(workshop, named, played.comments["gone-light"], 1)
            if extra is not None:
                react(workshop, extra, played.comments["light"], 1)
    open_stage(workshop, "talk")
    played.comments["talk"] = comment(workshop, unnamed, "talk", "Keep it local, please")
    played.comments["hidden"] = comment(workshop, named, "talk", "something rude")
    open_stage(workshop, "say")
    played.comments["statement"] = comment(workshop, named, "say", "Data should stay local")
    if gone_states:
        played.comments["gone-statement"] = comment(workshop, gone, "say", f"{GONE_TEXT} statement")
    react(workshop, unnamed, played.comments["statement"], 0, is_pass=True)
    if gone_states:
        react(workshop, gone, played.comments["statement"], 1)
        react(workshop, unnamed, played.comments["gone-statement"], 1)
    with workshop.db() as db:
        operations.hide_comment(db, workshop.session_id, played.comments["hidden"])
        operations.highlight_comment(db, workshop.session_id, played.comments["talk"])
    played.notes["a"] = note(workshop, "Table A scribe", note_text, "light", "Table A")
    played.notes["room"] = note(workshop, None, "Room agreed on purpose")
    with workshop.db() as db:
        operations.show_note(db, workshop.session_id, played.notes["a"])
        operations.withdraw(db, workshop.session_id, gone.id)
    return played
