"""A live room with planted opinion groups, voted through the Socket.IO events (the live
side's tests: test_live_*.py, test_events.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitation.extensions import socketio
from facilitation.models import WorkshopSession
from facilitation.opinion import live as opinion_live
from tests.factories import Client, Workshop
from tests.live.test_points_grid_words_statements import open_stage, post, react

PLAN = """\
title: Opinion groups
description: Statements with opinion groups.
privacy_notice: We keep your answers for research.
sectors: [Health, Housing, Education]
scenarios:
  - key: arrears
    title: Rent arrears and health
    summary: The council shares rent arrears with the GP.
stages:
  - key: welcome
    title: Welcome
    prompt: Welcome
    type: info
    body: Hello.
  - key: views
    title: Views
    prompt: Say what you think
    type: statements
    opinion_groups:
      tell_participants: true
  - key: quiet
    title: Quiet views
    prompt: Say what you think
    type: statements
    opinion_groups: false
  - key: untold
    title: Views, groups not told
    prompt: Say what you think
    type: statements
  - key: talk
    title: Open talk
    prompt: Comments
    type: open_text
"""

STATEMENTS = (
    "Councils should explain what they share",  # everyone agrees
    "People should be asked before sharing",  # everyone agrees
    "Sharing saves lives",  # camp 1 agrees, camp 2 disagrees
    "Speed matters more than consent",  # camp 1 agrees, camp 2 disagrees
    "Data should never leave the council",  # camp 2 agrees, camp 1 disagrees
    "Health data is too sensitive to share",  # camp 2 agrees, camp 1 disagrees
)
# Who writes each of STATEMENTS (an index in Planted.authors). An author counts as agreeing
# with what they wrote, so each writes what one camp holds and sits with it on the map (one
# writing for both camps would sit between them, in either group from one update to the next).
WRITERS = (0, 1, 0, 0, 1, 1)
# Each camp's vote on STATEMENTS, in order.
CAMPS = (
    ("agree", "agree", "agree", "agree", "disagree", "disagree"),
    ("agree", "agree", "disagree", "disagree", "agree", "agree"),
)
# The voters' sectors, camp by camp: Education has 2 placed people (under the size, 3).
SECTORS = (
    ("Health", "Health", "Health", "Health", "Housing"),
    ("Housing", "Housing", "Housing", "Education", "Education"),
)


@dataclass
class Planted:
    room: Workshop
    facilitator: Client
    authors: list[Client]
    camps: list[list[Client]]
    statements: list[int] = field(default_factory=list)

    @property
    def voters(self) -> list[Client]:
        return [phone for camp in self.camps for phone in camp]

    def author_of(self, statement: int) -> Client:
        return self.authors[WRITERS[self.statements.index(statement)]]


def make_room(app, tmp_path, plan: str = PLAN) -> Workshop:
    path = tmp_path / "opinion-groups.yaml"
    path.write_text(plan)
    return Workshop(app, socketio, path)


def plant(room: Workshop, *, votes: int = len(STATEMENTS), stage: str = "views") -> Planted:
    """Two authors post STATEMENTS (author 0 camp 1's, author 1 camp 2's, one consensus
    statement each); two camps of five vote their camp's way on the first ``votes`` of them."""
    facilitator = room.facilitator()
    open_stage(facilitator, room, stage)
    authors = [room.phone("Health"), room.phone("Housing")]
    planted = Planted(room, facilitator, authors, [[], []])
    for writer, text in zip(WRITERS, STATEMENTS, strict=True):
        planted.statements.append(post(authors[writer], stage, text))
    for camp, sectors in enumerate(SECTORS):
        for sector in sectors:
            phone = room.phone(sector)
            planted.camps[camp].append(phone)
            vote(phone, planted.statements[:votes], CAMPS[camp][:votes])
    return planted


def vote(phone: Client, statements, reactions) -> None:
    for statement, reaction in zip(statements, reactions, strict=True):
        ack = react(phone, statement, reaction)
        assert ack["ok"], ack


def latest_result(room: Workshop, stage: str = "views"):
    with room.db() as db:
        session = db.get(WorkshopSession, room.session_id)
        return opinion_live.latest(db, session, room.plan.stage(stage))


def with_opinion(messages: list[dict]) -> list[dict]:
    return [m for m in messages if "opinion" in m]
