"""No breakdown singles anyone out (facilitation/workshop/small_groups.py): at group sizes 1, 2
and 3, on every activity type of the built-in plan and the test plan with every activity,
what the console, the projector and the phones receive, the comment badges, the report and
the series comparison never show a group of fewer than the plan's ``min_group_size`` (3);
at 3 the groups show. The rule's own cases, and the console's note, come first."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest

from facilitation.activities import ANSWERABLE_TYPES
from facilitation.activities.grid import grid_items
from facilitation.exports.csv_files import comments_rows
from facilitation.exports.report import report_html
from facilitation.extensions import socketio
from facilitation.models import Series, WorkshopSession
from facilitation.plans import load_plan
from facilitation.series.comparison import compare
from facilitation.workshop import operations, payloads
from facilitation.workshop.small_groups import (
    OTHER_GROUPS,
    fold_crossed,
    fold_note,
    fold_small_groups,
)
from tests.conftest import BUILTIN_PLAN
from tests.factories import Workshop, client_id
from tests.support.scenario import PLAN as EVERY_ACTIVITY_PLAN

SIZES = (1, 2, 3)
MIN = 3  # the default min_group_size; neither plan sets its own


# The rule ------------------------------------------------------------------------------------


def fold(sizes: dict, min_size: int = MIN, **options):
    found = fold_small_groups(list(sizes), sizes.get, min_size, **options)
    return found.shown, found.small, found.also, found.other_shown


def test_groups_below_the_size_are_folded_into_other_groups():
    assert fold({"A": 5, "B": 3}) == (["A", "B"], [], [], False)
    # Two small groups reach the size together: one "Other groups".
    assert fold({"A": 5, "B": 2, "C": 1}) == (["A"], ["B", "C"], [], True)
    # Nobody answered in C: no group at all.
    assert fold({"A": 3, "C": 0}) == (["A"], [], [], False)


def test_a_small_remainder_pulls_the_smallest_group_in_rather_than_be_worked_out():
    # Showing A (4) and B (3) and hiding C (1) would let anyone read C's one answer off
    # the room's totals minus A and B: B, the smallest, is folded in with C.
    assert fold({"A": 4, "B": 3, "C": 1}) == (["A"], ["C"], ["B"], True)
    # Too few in all: nothing is shown by group.
    assert fold({"A": 1, "B": 1}) == ([], ["A", "B"], [], False)
    # A series shows no total over its sessions, so nothing needs pulling in there.
    assert fold({"A": 4, "B": 1}, total_shown=False) == (["A"], ["B"], [], False)


def test_the_consoles_note_says_what_was_folded_and_why():
    found = fold_small_groups(
        ["Health", "Housing", "Welfare"], {"Health": 4, "Housing": 3, "Welfare": 1}.get, 3
    )
    assert fold_note(found, str) == {
        "min_group_size": 3,
        "small": ["Welfare"],
        "also": ["Housing"],
        "other_shown": True,
    }
    assert fold_note(fold_small_groups(["A"], {"A": 3}.get, 3), str) is None


# Every activity type, at sizes 1, 2 and 3 ----------------------------------------------------


def _plans(tmp_dir) -> dict:
    every = tmp_dir / "every-activity.yaml"
    every.write_text(EVERY_ACTIVITY_PLAN)
    return {"builtin": BUILTIN_PLAN, "every": every}


def _stage_cases() -> list[tuple[str, str]]:
    """(plan, stage key): the first stage of each activity type that takes answers or
    comments, in each plan."""
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in _plans(Path(tmp)).items():
            seen = set()
            for stage in load_plan(path).stages:
                kind = stage.activity.type
                if kind in seen or not (stage.activity.answerable or stage.takes_comments):
                    continue
                seen.add(kind)
                cases.append((name, stage.key))
    return cases


def an_answer(stage, sector: str) -> dict | None:
    """A valid answer to ``stage`` (None for stages whose answers are comments)."""
    activity = stage.activity
    items = [item.key for item in activity.items]
    return {
        "sector": lambda: {"sector": sector},  # their own: the groups stay as they are
        "choice": lambda: {"choices": items[:1]},
        "rating": lambda: {"ratings": {items[0]: activity.scale.points[0]}},
        "traffic_light": lambda: {"lights": {items[0]: "met"}},
        "ranking": lambda: {"order": items},
        "points": lambda: {"points": {items[0]: activity.points}},
        "grid": lambda: {"cells": {grid_items(activity)[0].key: [1, 1]}},
        "word_cloud": lambda: {"text": "fairness"},
    }.get(activity.type, lambda: None)()


class Room:
    """k people of Health at Table A and k of Housing at Table B, who all answer the stage
    (and agree with a comment written on it by someone who gave no sector, so that the
    author's sector, now their answer to the sector stage, adds no group); a facilitator, a
    projector and one Health phone listening."""

    def __init__(self, app, plan_path, stage_key: str, k: int):
        self.workshop = Workshop(app, socketio, plan_path)
        self.stage = self.workshop.plan.stage(stage_key)
        tables = bool(self.workshop.plan.tables)
        self.people = [
            self._join(sector, (table if tables else None))
            for sector, table in (("Health", "Table A"), ("Housing", "Table B"))
            for _ in range(k)
        ]
        self.author = self._join(None, None)
        self.facilitator = self.workshop.facilitator()
        self.screen = self.workshop.screen()
        self.phone = self.workshop.phone(participant=self.people[0])
        self.facilitator.emit("goto", {"index": self.workshop.stage_index(stage_key)})
        assert self.facilitator.emit("open_input")["ok"]
        for person in self.people:
            value = an_answer(self.stage, person.sector)
            if value is not None:
                self._do(
                    operations.record_answer,
                    person,
                    payloads.AnswerPayload(stage_key, client_id(), value),
                )
        if self.stage.takes_comments:
            text = payloads.CommentPayload(stage_key, client_id(), "Ask people first")
            comment_id = self._do(operations.post_comment, self.author, text).comment_id
            for person in self.people:
                vote = payloads.ReactionPayload(comment_id, client_id(), 1)
                self._do(operations.react, person, vote)
        assert self.facilitator.emit("reveal")["ok"]

    def _join(self, sector, table):
        with self.workshop.db() as db:
            return operations.join(db, self.workshop.session_id, sector, None, table)

    def _do(self, operation, person, payload):
        with self.workshop.db() as db:
            return operation(db, self.workshop.session_id, person.id, payload)

    def messages(self, breakdown: str) -> dict[str, list[dict]]:
        """Every results and comments message each client (facilitator, screen, phone) gets
        with ``breakdown`` on, and its sync reply's."""
        clients = {"facilitator": self.facilitator, "screen": self.screen, "phone": self.phone}
        for client in clients.values():
            client.received()
        assert self.facilitator.emit("set_breakdown", {"breakdown": breakdown})["ok"]
        got = {}
        for role, client in clients.items():
            pushed = client.received()
            reply = client.emit("sync")
            got[role] = pushed + [reply["results"], reply["comments"]]
        return got


def _groups_in(message: dict, votes: bool = True) -> list[tuple[str, int]]:
    """(label, people) of every group a message shows: breakdown groups, figure panels and
    bars, and (``votes``) comments' votes per sector."""
    found = [(g["label"], g["answered"]) for g in message.get("groups") or ()]
    meta = ((message.get("figure") or {}).get("layout") or {}).get("meta") or {}
    if meta.get("chart") == "breakdown":
        texts = [a["text"] for a in message["figure"]["layout"].get("annotations", ())]
        texts += [y for trace in message["figure"]["data"] for y in trace.get("y") or ()]
        for text in map(str, texts):
            for few in ("1 person", "2 people"):
                if few in text:
                    found.append((text, int(few[0])))
    for comment in (message.get("comments") or ()) if votes else ():
        for row in (comment.get("consensus") or {}).get("by_sector", ()):
            found.append((row["sector"], row["agree"] + row["disagree"] + row["pass"]))
    return found


def _check_names(names: set[str], own: set[str], k: int, what) -> None:
    if not names:
        return
    if k >= MIN:  # at the size, each group shows under its own name
        assert own <= names and OTHER_GROUPS not in names, (what, names)
    else:
        assert not own & names, (what, names)
        # 2 + 2 people reach the size together as Other groups; 1 + 1 do not.
        assert (OTHER_GROUPS in names) == (k == 2), (what, names)


@pytest.mark.parametrize("k", SIZES)
@pytest.mark.parametrize(("plan", "stage_key"), _stage_cases())
def test_no_breakdown_shows_a_group_smaller_than_the_size(app, tmp_path, plan, stage_key, k):
    room = Room(app, _plans(tmp_path)[plan], stage_key, k)
    kind = room.stage.activity.type
    try:
        breakdowns = ["sector"] + (["table"] if room.workshop.plan.tables else [])
        for breakdown in breakdowns:
            by_role = room.messages(breakdown)
            messages = [m for role in by_role.values() for m in role if isinstance(m, dict)]
            shown = [group for message in messages for group in _groups_in(message)]
            assert all(n >= MIN for _, n in shown), (breakdown, shown)
            # The answers' groups, by the breakdown...
            answers = {label for m in messages for label, _ in _groups_in(m, votes=False)}
            tables = {"Table A", "Table B"}
            _check_names(
                answers,
                tables if breakdown == "table" else {"Health", "Housing"},
                k,
                (breakdown, "answers"),
            )
            # ...and the comments' votes, always by sector.
            votes = {
                row["sector"]
                for m in messages
                for comment in m.get("comments") or ()
                for row in comment["consensus"]["by_sector"]
            }
            _check_names(votes, {"Health", "Housing"}, k, (breakdown, "votes"))
            if k >= MIN:
                assert answers or kind not in ANSWERABLE_TYPES, (breakdown, "no groups at the size")
                assert votes or not room.stage.takes_comments, (breakdown, "no votes shown")
            for message in by_role["phone"]:  # phones get neither groups nor the note
                assert "groups" not in message and "folded" not in message
            notes = [m["folded"] for m in by_role["facilitator"] if m.get("folded")]
            if k < MIN and kind in ANSWERABLE_TYPES:
                assert notes and notes[-1]["min_group_size"] == MIN
    finally:
        room.workshop.close()


def _report(workshop, sessions=None) -> str:
    with workshop.db() as db:
        chosen = sessions or [db.get(WorkshopSession, workshop.session_id)]
        return "".join(report_html(db, [db.merge(s) for s in chosen]))


@pytest.mark.parametrize("k", SIZES)
@pytest.mark.parametrize(("plan", "stage_key"), _stage_cases())
def test_the_report_and_the_comments_export_show_no_small_sector(app, tmp_path, plan, stage_key, k):
    room = Room(app, _plans(tmp_path)[plan], stage_key, k)
    try:
        document = _report(room.workshop)
        with room.workshop.db() as db:
            session = db.get(WorkshopSession, room.workshop.session_id)
            statuses = {row["consensus"] for row in comments_rows(db, [session])}
        if room.stage.takes_comments:
            for sector in ("Health", "Housing"):
                assert (f"{sector} {k}–0" in document) == (k >= MIN), sector
            assert (f"Other groups {2 * k}–0" in document) == (k == 2)
            # Two sectors of 3 agreeing is a consensus; smaller ones cannot make one.
            assert statuses == ({"consensus"} if k >= MIN else {"too_few"})
    finally:
        room.workshop.close()


@pytest.mark.parametrize("k", SIZES)
@pytest.mark.parametrize(("plan", "stage_key"), _stage_cases())
def test_a_series_compares_no_session_smaller_than_the_size(app, tmp_path, plan, stage_key, k):
    """A series' groups are its sessions: one where k people answered beside one of 3."""
    path = _plans(tmp_path)[plan]
    small, full = Workshop(app, socketio, path), Workshop(app, socketio, path)
    try:
        stage = small.plan.stage(stage_key)
        for workshop, n in ((small, k), (full, MIN)):
            with workshop.db() as db:
                operations.go_to_stage(db, workshop.session_id, workshop.stage_index(stage_key))
                operations.open_input(db, workshop.session_id)
                for _ in range(n):
                    person = operations.join(db, workshop.session_id, "Health")
                    value = an_answer(stage, "Health")
                    if value is not None:
                        operations.record_answer(
                            db,
                            workshop.session_id,
                            person.id,
                            payloads.AnswerPayload(stage_key, client_id(), value),
                        )
        with small.db() as db:
            series = Series(title="Two places", description="")
            db.add(series)
            db.flush()
            sessions = []
            for workshop, place in ((small, "Smalltown"), (full, "Bigcity")):
                session = db.get(WorkshopSession, workshop.session_id)
                session.series_id, session.place, session.held_on = (
                    series.id,
                    place,
                    date(2026, 5, 1),
                )
                sessions.append(session)
            db.commit()
            _columns, stages = compare(db, sessions)
            document = "".join(report_html(db, sessions))
        by_key = {c.stage.key: c for c in stages}
        if an_answer(stage, "Health") is None or stage_key not in by_key:
            return  # comments only: nothing is compared by session
        entries = {e.column.label: e for e in by_key[stage_key].sessions}
        assert entries["Bigcity"].results is not None and not entries["Bigcity"].withheld
        assert entries["Smalltown"].withheld == (k < MIN)
        assert (entries["Smalltown"].results is None) == (k < MIN)
        assert [e.column.label for e in by_key[stage_key].shown] == (
            ["Bigcity"] if k < MIN else ["Smalltown", "Bigcity"]
        )
        section = document.split(f'data-stage="{stage_key}"', 1)[1].split("</section>", 1)[0]
        assert ("Not compared: Smalltown" in section) == (k < MIN)
    finally:
        small.close()
        full.close()


# Crossing the two breakdowns (small_groups.fold_crossed) --------------------------------------

# The hostile probe: every group has 3 or more, yet Table 1 minus Health (or Housing minus
# Table 2) is Dana's answer, and the console's people list names her sector and table.
PROBE = [
    ("Health", "T1", "met"),
    ("Health", "T1", "met"),
    ("Health", "T1", "met"),
    ("Housing", "T1", "not_met"),  # Dana
    ("Housing", "T2", "met"),
    ("Housing", "T2", "met"),
    ("Housing", "T2", "met"),
]
# Every cell of sector x table is 0 or at least 3: nothing to fold.
EVERY_CELL_BIG = [
    *[("Health", "T1", "met")] * 3,
    *[("Housing", "T2", "not_met")] * 3,
    *[("Welfare", "T1", "partly")] * 3,
    *[("Welfare", "T2", "met")] * 4,
]


def crossed(cells: dict, rows, columns, min_size: int = MIN):
    by_rows, by_columns = fold_crossed(cells, rows, columns, min_size)
    return (by_rows.shown, by_rows.crossed, by_rows.also), (
        by_columns.shown,
        by_columns.crossed,
        by_columns.also,
    )


def test_crossing_folds_both_sides_of_a_small_cell_and_then_guards_what_is_left():
    cells = {("Health", "T1"): 3, ("Housing", "T1"): 1, ("Housing", "T2"): 3}
    # Housing and Table 1 share one person: both fold. Health and Table 2 alone would
    # leave Dana as the room minus both, so Table 2 (a table before a sector) folds too.
    assert crossed(cells, ["Health", "Housing"], ["T1", "T2"]) == (
        (["Health"], ["Housing"], []),
        ([], ["T1"], ["T2"]),
    )
    # Every cell 0 or at least 3: everything shows.
    cells = {("A", "T1"): 3, ("B", "T2"): 3, ("C", "T1"): 4, ("C", "T2"): 5}
    assert crossed(cells, ["A", "B", "C"], ["T1", "T2"]) == (
        (["A", "B", "C"], [], []),
        (["T1", "T2"], [], []),
    )
    # A shown sector's people at folded tables count together (only their sum is
    # published): A has 1 at T3 and 3 at T4, both small tables, 4 together.
    cells = {("A", "T1"): 3, ("A", "T3"): 1, ("A", "T4"): 2, ("B", "T1"): 3}
    assert crossed(cells, ["A", "B"], ["T1", "T3", "T4"]) == (
        (["A", "B"], [], []),
        (["T1"], [], []),
    )


def test_with_one_category_on_a_side_the_crossing_changes_nothing():
    sizes = {"A": 4, "B": 3, "C": 1}
    for table in (None, "T1"):  # no table at all, or everyone at the same one
        cells = {(sector, table): n for sector, n in sizes.items()}
        by_sector, by_table = fold_crossed(cells, list(sizes), [None, "T1"], MIN)
        alone = fold_small_groups(list(sizes), sizes.get, MIN)
        assert (by_sector.shown, by_sector.small, by_sector.also) == (
            alone.shown,
            alone.small,
            alone.also,
        )
        assert by_table.shown == [next(iter(cells))[1]] and not by_table.folded


def test_the_consoles_note_says_a_group_was_folded_because_of_the_other_breakdown():
    by_sector, by_table = fold_crossed(
        {("Health", "T1"): 3, ("Housing", "T1"): 1, ("Housing", "T2"): 3},
        ["Health", "Housing"],
        ["T1", "T2"],
    )
    assert fold_note(by_table, str, "sectors") == {
        "min_group_size": 3,
        "small": [],
        "also": ["T2"],
        "other_shown": True,
        "crossed": ["T1"],
        "across": "sectors",
    }


class CrossedRoom:
    """A traffic light of the built-in plan (``purposeful``) answered by ``seats``
    ((sector, table, light) each), with the session's tables ``tables``."""

    STAGE = "purposeful"

    def __init__(self, app, seats, tables=("T1", "T2")):
        self.workshop = Workshop(app, socketio, BUILTIN_PLAN)
        self.facilitator = self.workshop.facilitator()
        self.screen = self.workshop.screen()
        assert self.facilitator.emit("set_tables", {"tables": list(tables)})["ok"]
        self.facilitator.emit("goto", {"index": self.workshop.stage_index(self.STAGE)})
        assert self.facilitator.emit("open_input")["ok"]
        self.seats = []
        for sector, table, light in seats:
            with self.workshop.db() as db:
                person = operations.join(db, self.workshop.session_id, sector, None, table)
                self.seats.append((sector, table))
                answer = payloads.AnswerPayload(
                    self.STAGE, client_id(), {"lights": {"purposeful": light}}
                )
                operations.record_answer(db, self.workshop.session_id, person.id, answer)
        assert self.facilitator.emit("reveal")["ok"]

    def shown(self, breakdown: str) -> dict[str, dict]:
        """{role: the last results message with ``breakdown`` on} for the console and the
        projector, after checking both got the same groups."""
        for client in (self.facilitator, self.screen):
            client.received()
        assert self.facilitator.emit("set_breakdown", {"breakdown": breakdown})["ok"]
        got = {
            "console": self.facilitator.received("results")[-1],
            "projector": self.screen.received("results")[-1],
        }
        assert got["console"]["groups"] == got["projector"]["groups"]
        return got

    def members(self, breakdown: str, groups: list[dict]) -> dict[str, set[int]]:
        """Who (index in the seats) is behind each group shown, and behind the room."""
        at = 0 if breakdown == "sector" else 1
        labels = {g["label"] for g in groups if not g.get("other")}
        sets = {"room": set(range(len(self.seats)))}
        for group in groups:
            if group.get("other"):
                sets[f"{breakdown}: Other"] = {
                    i for i, seat in enumerate(self.seats) if seat[at] not in labels
                }
            else:
                sets[f"{breakdown}: {group['label']}"] = {
                    i for i, seat in enumerate(self.seats) if seat[at] == group["label"]
                }
        return sets


def _nobody_subtracted(sets: dict[str, set[int]]) -> None:
    """No group shown (nor the room) minus another shown inside it is 1 or 2 people."""
    for big_name, big in sets.items():
        for small_name, small in sets.items():
            if small < big:
                assert len(big - small) >= MIN, (big_name, "minus", small_name)
    assert all(len(people) >= MIN for people in sets.values()), sets


def test_crossing_sector_and_table_gives_no_one_away(app):
    room = CrossedRoom(app, PROBE)
    try:
        by_sector = room.shown("sector")
        by_table = room.shown("table")
        sectors, tables = by_sector["console"]["groups"], by_table["console"]["groups"]
        # Before: Health 3, Housing 4 by sector; T1 4, T2 3 by table: T1 - Health = Dana.
        # Now Housing is folded by sector, and neither table shows by table.
        assert [(g["label"], g["answered"]) for g in sectors] == [
            ("Health", 3),
            (OTHER_GROUPS, 4),
        ]
        assert [(g["label"], g["answered"]) for g in tables] == [(OTHER_GROUPS, 7)]
        for message in (*by_sector.values(), *by_table.values()):
            assert "Housing" not in str(message["figure"]) and "T1" not in str(message["figure"])
        _nobody_subtracted(room.members("sector", sectors) | room.members("table", tables))
        # The console says why, in plain words.
        assert by_sector["console"]["folded"]["crossed"] == ["Housing"]
        assert by_sector["console"]["folded"]["across"] == "tables"
        assert by_table["console"]["folded"]["crossed"] == ["T1"]
        assert by_table["console"]["folded"]["also"] == ["T2"]
        # The report shows the room's numbers for the stage, no group of either breakdown.
        section = _report(room.workshop).split(f'data-stage="{room.STAGE}"', 1)[1]
        section = section.split("</section>", 1)[0]
        assert not any(word in section for word in ("T1", "T2", "Housing", OTHER_GROUPS))
    finally:
        room.workshop.close()


def test_when_every_cell_is_empty_or_big_enough_every_group_shows(app):
    room = CrossedRoom(app, EVERY_CELL_BIG)
    try:
        sectors = room.shown("sector")["console"]
        tables = room.shown("table")["console"]
        assert [(g["label"], g["answered"]) for g in sectors["groups"]] == [
            ("Health", 3),
            ("Housing", 3),
            ("Welfare", 7),
        ]
        assert [(g["label"], g["answered"]) for g in tables["groups"]] == [("T1", 6), ("T2", 7)]
        assert sectors["folded"] is None and tables["folded"] is None
    finally:
        room.workshop.close()


def test_without_tables_the_sector_breakdown_is_folded_as_before(app):
    # The probe's people with no tables: Health 3 and Housing 4 both show.
    room = CrossedRoom(app, [(s, None, light) for s, _, light in PROBE], tables=())
    try:
        sectors = room.shown("sector")["console"]
        assert [(g["label"], g["answered"]) for g in sectors["groups"]] == [
            ("Health", 3),
            ("Housing", 4),
        ]
        assert sectors["folded"] is None
    finally:
        room.workshop.close()
