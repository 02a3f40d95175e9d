"""The session the accessibility tests run: a plan with every kind of activity (the export
scenario's plan), a facilitator driving it over Socket.IO and a few people answering, so
every page has real results on it."""

from __future__ import annotations

from dataclasses import dataclass, field

from itsdangerous import URLSafeSerializer

from tests.support.live import FacilitatorSocket, LiveSocket, client_id, join, login
from tests.support.scenario import ANSWERS
from tests.support.server import flask_cli

PLAN_SLUG = "every-activity"

# Each stage of the test plan (tests/support/scenario.py) by what the phone shows on it.
STAGES = {
    "welcome": "Hello.",
    "where": "Where do you work?",
    "story": "Rent arrears and health",
    "pick": "Which ones?",
    "rate": "How well?",
    "light": "Is the purpose clear?",
    "order": "Order these",
    "dots": "Spread",
    "place": "Place it",
    "words": "A word",
    "talk": "Comments",
    "say": "Say what you think",
}

# Two more people, so results have more than one answer (the phone under test adds its own).
OTHER_ANSWERS = {
    "pick": {"choices": ["no"]},
    "rate": {"ratings": {"outcomes": 2, "respect": 5}},
    "light": {"lights": {"clear": "partly", "told": "met"}},
    "order": {"order": ["first", "second", "third"]},
    "dots": {"points": {"cats": 1, "dogs": 4}},
    "place": {"cells": {"scenario": [1, 2]}},
    "words": {"text": "trust"},
}


def ok(ack: dict) -> dict:
    assert ack.get("ok"), ack
    return ack


def secret(live_server, purpose: str, code: str) -> str:
    """The key in a projector ("screen") or note-taker ("notes") link for CODE."""
    return URLSafeSerializer(live_server.env["SECRET_KEY"], salt=f"facilitation.{purpose}").dumps(
        code
    )


@dataclass
class Room:
    """A session of the every-activity plan with its facilitator and two groups of
    participants (one person each unless asked)."""

    live_server: object
    code: str
    facilitator: FacilitatorSocket
    people: list[LiveSocket] = field(default_factory=list)

    per_group: int = 1

    @classmethod
    def open(cls, live_server, tables: tuple[str, str] = ("", ""), per_group: int = 1) -> Room:
        """TABLES: where the two groups sit ("" = no table yet), for a by-table breakdown;
        PER_GROUP: people in each (a breakdown shows groups of the plan's min_group_size)."""
        code = flask_cli(live_server.env, "session", "open", PLAN_SLUG).split()[-1]
        http = login(live_server.url, live_server.email, live_server.password)
        facilitator = FacilitatorSocket(live_server.url, http, code)
        room = cls(live_server, code, facilitator, per_group=per_group)
        for sector, table in zip(("Health", "Housing"), tables, strict=True):
            for _ in range(per_group):
                joined = join(live_server.url, code, sector, table=table)
                room.people.append(LiveSocket(live_server.url, joined, code, role="participant"))
        return room

    @property
    def url(self) -> str:
        return self.live_server.url

    @property
    def screen_url(self) -> str:
        key = secret(self.live_server, "screen", self.code)
        return f"{self.url}/s/{self.code}/screen?key={key}"

    @property
    def notes_url(self) -> str:
        return f"{self.url}/n/{self.code}?key={secret(self.live_server, 'notes', self.code)}"

    def stage_index(self, key: str) -> int:
        stages = self.facilitator.emit("sync")["stages"]
        return next(stage["index"] for stage in stages if stage["key"] == key)

    def show(self, key: str, *, open_input: bool = True) -> None:
        ok(self.facilitator.emit("goto", {"index": self.stage_index(key)}))
        if open_input:
            ok(self.facilitator.emit("open_input"))

    def others_answer(self, key: str) -> None:
        """The other people answer stage KEY (when it takes an answer), each group alike."""
        for index, person in enumerate(self.people):
            answers = (ANSWERS, OTHER_ANSWERS)[index // self.per_group]
            if key in answers:
                ok(
                    person.emit(
                        "answer", {"stage": key, "client_id": client_id(), "value": answers[key]}
                    )
                )

    def comment(self, key: str, text: str) -> int:
        done = ok(
            self.people[0].emit("comment", {"stage": key, "client_id": client_id(), "text": text})
        )
        return done.get("comment_id")

    def reveal(self) -> None:
        ok(self.facilitator.emit("close_input"))
        ok(self.facilitator.emit("reveal"))

    def close(self) -> None:
        for socket in (self.facilitator, *self.people):
            socket.close()
