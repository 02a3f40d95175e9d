"""Breakout tables, moving people between them, and results broken down by sector or table:
join with a table, set_tables, move_participant, set_breakdown (roles and bad payloads),
the grouped aggregates' numbers, the facilitators' people list, replay and withdrawal."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from sqlalchemy import select

from facilitation.charts_breakdown import breakdown_figure
from facilitation.errors import Refused
from facilitation.exports.transcript import transcript_rows
from facilitation.extensions import socketio
from facilitation.live.broadcast import results_message
from facilitation.models import Event, Participant, WorkshopSession
from facilitation.workshop import operations, payloads
from facilitation.workshop.aggregates import stage_results_by_group
from facilitation.workshop.projection import replay
from tests.factories import Workshop, client_id
from tests.support.live import joined as joined_as_phone

PLAN = """\
title: Breakdowns
description: A small plan for breakdown tests.
privacy_notice: We keep your sector, table and answers.
min_group_size: 2  # these tests are about grouping; tests/live/test_small_groups.py the size
sectors: [Health, Housing, Welfare]
tables: [Table A, Table B]
stages:
  - {key: welcome, title: Welcome, prompt: Welcome, type: info, body: Hello.}
  - key: light
    title: Purposeful
    prompt: Is the purpose clear?
    type: traffic_light
    comments: true
    items:
      - {key: clear, label: The purpose is clear}
  - {key: rate, title: Features, prompt: "How well?", type: rating, items: [Outcomes, Respect]}
  - {key: pick, title: Pick, prompt: "Which?", type: choice, items: ["Yes", "No", Unsure]}
  - key: order
    title: Order
    prompt: Order these
    type: ranking
    items: [First thing, Second thing, Third thing]
  - {key: dots, title: Dots, prompt: Spread, type: points, points: 5, items: [Cats, Dogs]}
  - {key: place, title: Place, prompt: Place it, type: grid, size: 3}
  - {key: words, title: Words, prompt: A word, type: word_cloud, max_words: 2}
"""


@pytest.fixture
def tabled(app, tmp_path) -> Workshop:
    """A live session of a small plan with sectors and two tables."""
    path = tmp_path / "breakdowns.yaml"
    path.write_text(PLAN)
    workshop = Workshop(app, socketio, path, scenario=None)
    yield workshop
    workshop.close()


def join(workshop, sector: str, table: str | None = None) -> Participant:
    with workshop.db() as db:
        return operations.join(db, workshop.session_id, sector, None, table)


def answer(workshop, person: Participant, stage: str, value: dict) -> None:
    with workshop.db() as db:
        operations.record_answer(
            db, workshop.session_id, person.id, payloads.AnswerPayload(stage, client_id(), value)
        )


def open_stage(workshop, key: str) -> None:
    with workshop.db() as db:
        operations.go_to_stage(db, workshop.session_id, workshop.stage_index(key))
        operations.open_input(db, workshop.session_id)


def latest(client) -> dict:
    """The last message of each kind the client got since it was last asked."""
    return {m["name"]: m["args"][0] for m in client.socket.get_received()}


def participant(workshop, person: Participant) -> Participant:
    with workshop.db() as db:
        return db.get(Participant, person.id)


def groups_of(workshop, stage: str, breakdown: str) -> list[dict]:
    with workshop.db() as db:
        session = db.get(WorkshopSession, workshop.session_id)
        names = (
            ["Health", "Housing", "Welfare"] if breakdown == "sector" else ["Table A", "Table B"]
        )
        return stage_results_by_group(db, session, workshop.plan.stage(stage), breakdown, names)


# Joining at a table ---------------------------------------------------------------------------


def test_the_join_form_offers_the_tables_and_stores_the_choice(app, tabled):
    http = app.test_client()
    page = http.get(f"/j/{tabled.code}").get_data(as_text=True)
    assert 'name="table"' in page and "Table B" in page and "I don’t know yet" in page

    form = {"sector": "Health", "consent": "yes", "table": "Table B", "display_name": ""}
    response = http.post(f"/j/{tabled.code}", data=form)
    assert joined_as_phone(response, tabled.code)
    with tabled.db() as db:
        person = db.scalar(select(Participant))
        assert person.table_key == "Table B"
        joined = db.scalar(select(Event).where(Event.type == "participant.joined"))
        assert joined.payload["table"] == "Table B"


def test_i_do_not_know_yet_joins_without_a_table(app, tabled):
    form = {"sector": "Housing", "consent": "yes", "table": ""}
    assert joined_as_phone(app.test_client().post(f"/j/{tabled.code}", data=form), tabled.code)
    with tabled.db() as db:
        assert db.scalar(select(Participant.table_key)) is None


def test_an_unknown_table_is_refused_next_to_the_field_keeping_what_was_typed(app, tabled):
    form = {"sector": "Housing", "consent": "yes", "table": "Table Z", "display_name": "Sam"}
    response = app.test_client().post(f"/j/{tabled.code}", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="table-error"' in page and "Please choose one of the tables listed" in page
    assert 'value="Sam"' in page
    with tabled.db() as db:
        assert db.scalar(select(Participant)) is None


def test_a_plan_without_tables_asks_for_none(app, workshop):
    page = app.test_client().get(f"/j/{workshop.code}").get_data(as_text=True)
    assert 'name="table"' not in page


def test_join_refuses_a_table_not_in_the_list(tabled):
    with pytest.raises(Refused, match="tables listed"):
        join(tabled, "Health", "Table Z")


# set_tables ---------------------------------------------------------------------------------


def test_set_tables_replaces_the_plan_list_and_unseats_people_at_removed_tables(tabled):
    facilitator = tabled.facilitator()
    at_a, at_b = join(tabled, "Health", "Table A"), join(tabled, "Housing", "Table B")
    ack = facilitator.emit("set_tables", {"tables": ["Table A", "  Window   table ", "Door"]})
    assert ack["ok"] and ack["seq"] > 0
    pushed = latest(facilitator)
    assert pushed["state"]["tables"] == ["Table A", "Window table", "Door"]
    people = pushed["people"]
    assert people["tables"] == ["Table A", "Window table", "Door"]
    assert participant(tabled, at_a).table_key == "Table A"
    assert participant(tabled, at_b).table_key is None  # Table B is gone

    # null: back to the plan's list.
    assert facilitator.emit("set_tables", {"tables": None})["ok"]
    assert facilitator.received("state")[-1]["tables"] == ["Table A", "Table B"]
    # An empty list: this session has no tables, and no table breakdown either.
    assert facilitator.emit("set_breakdown", {"breakdown": "table"})["ok"]
    assert facilitator.emit("set_tables", {"tables": []})["ok"]
    state = facilitator.received("state")[-1]
    assert state["tables"] == [] and state["breakdown"] == "room"
    assert participant(tabled, at_a).table_key is None


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({}, "Send 'tables'"),
        ({"tables": "Table A"}, "must be a list"),
        ({"tables": ["A", "a"]}, "Two tables are called"),
        ({"tables": ["A", "  "]}, "cannot be empty"),
        ({"tables": ["A", 3]}, "must be text"),
        ({"tables": ["x" * 81]}, "at most 80 characters"),
        ({"tables": [f"T{i}" for i in range(51)]}, "at most 50 tables"),
        ("not an object", "expected an object"),
    ],
)
def test_set_tables_refuses_bad_lists(tabled, payload, words):
    facilitator = tabled.facilitator()
    ack = facilitator.emit("set_tables", payload)
    assert not ack["ok"] and words in ack["error"]
    assert tabled.session().tables is None


def test_only_a_facilitator_arranges_tables_and_breakdowns(tabled):
    phone, screen = tabled.phone("Health"), tabled.screen()
    pseudonym = phone.participant.pseudonym
    attempts = [
        ("set_tables", {"tables": ["X"]}),
        ("move_participant", {"pseudonym": pseudonym, "table": "Table A"}),
        ("set_breakdown", {"breakdown": "sector"}),
    ]
    for client in (phone, screen):
        for event, payload in attempts:
            ack = client.emit(event, payload)
            assert ack == {"ok": False, "error": "Only a facilitator can do that."}, event
    session = tabled.session()
    assert (session.tables, session.breakdown) == (None, "room")
    assert participant(tabled, phone.participant).table_key is None


# move_participant ---------------------------------------------------------------------------


def test_moving_a_participant_tells_the_facilitators_only(tabled):
    facilitator, screen = tabled.facilitator(), tabled.screen()
    phone = tabled.phone("Welfare")
    person = phone.participant
    phone.received(), screen.received()

    ack = facilitator.emit("move_participant", {"pseudonym": person.pseudonym, "table": "Table B"})
    assert ack["ok"]
    assert participant(tabled, person).table_key == "Table B"
    people = facilitator.received("people")[-1]
    assert people["seq"] == ack["seq"]
    assert people["people"] == [
        {
            "pseudonym": person.pseudonym,
            "display_name": None,
            "sector": "Welfare",
            "table": "Table B",
        }
    ]
    assert not phone.received("people") and not screen.received("people")
    assert phone.emit("sync")["me"]["table"] == "Table B"

    # null takes them off every table.
    assert facilitator.emit("move_participant", {"pseudonym": person.pseudonym, "table": None})[
        "ok"
    ]
    assert participant(tabled, person).table_key is None


def test_move_participant_refuses_unknown_people_and_tables_and_the_withdrawn(tabled):
    facilitator = tabled.facilitator()
    phone = tabled.phone("Health")
    pseudonym = phone.participant.pseudonym
    cases = [
        ({"pseudonym": "nobody-here", "table": "Table A"}, "Nobody in this session"),
        ({"pseudonym": pseudonym, "table": "Table Z"}, "not in this session's list"),
        ({"pseudonym": pseudonym, "table": 3}, "must be a table name"),
        ({"table": "Table A"}, "'pseudonym' must be text"),
        ({"pseudonym": "", "table": "Table A"}, "'pseudonym' must be text"),
    ]
    for payload, words in cases:
        ack = facilitator.emit("move_participant", payload)
        assert not ack["ok"] and words in ack["error"], payload
    assert phone.emit("withdraw")["ok"]
    ack = facilitator.emit("move_participant", {"pseudonym": pseudonym, "table": "Table A"})
    assert ack == {"ok": False, "error": "That participant has withdrawn from the session."}


def test_the_facilitators_sync_lists_people_without_their_answers(tabled):
    person = join(tabled, "Housing", "Table A")
    with tabled.db() as db:
        operations.join(db, tabled.session_id, "Health", "Ada", None)
    open_stage(tabled, "light")
    answer(tabled, person, "light", {"lights": {"clear": "met"}})
    reply = tabled.facilitator().emit("sync")
    people = reply["people"]["people"]
    assert [(p["sector"], p["table"], p["display_name"]) for p in people] == [
        ("Housing", "Table A", None),
        ("Health", None, "Ada"),
    ]
    assert set(people[0]) == {"pseudonym", "display_name", "sector", "table"}
    assert reply["people"]["tables"] == ["Table A", "Table B"]
    assert "people" not in tabled.phone("Health").emit("sync")
    assert "people" not in tabled.screen().emit("sync")


# set_breakdown ------------------------------------------------------------------------------


def test_set_breakdown_switches_every_screen(tabled):
    facilitator, screen = tabled.facilitator(), tabled.screen()
    for breakdown in ("sector", "table", "room"):
        ack = facilitator.emit("set_breakdown", {"breakdown": breakdown})
        assert ack["ok"]
        assert screen.received("state")[-1]["breakdown"] == breakdown
        assert tabled.session().breakdown == breakdown


def test_set_breakdown_refuses_bad_values_and_tables_that_do_not_exist(tabled):
    facilitator = tabled.facilitator()
    for payload in ({}, {"breakdown": "age"}, {"breakdown": None}):
        ack = facilitator.emit("set_breakdown", payload)
        assert not ack["ok"] and "room, sector, table or opinion" in ack["error"]
    assert not facilitator.emit("set_breakdown", ["sector"])["ok"]
    facilitator.emit("set_tables", {"tables": []})
    ack = facilitator.emit("set_breakdown", {"breakdown": "table"})
    assert not ack["ok"] and "no tables" in ack["error"]
    assert tabled.session().breakdown == "room"


def test_the_breakdown_is_refused_once_the_session_has_ended(tabled):
    facilitator = tabled.facilitator()
    facilitator.emit("end_session")
    ack = facilitator.emit("set_breakdown", {"breakdown": "sector"})
    assert ack == {"ok": False, "error": "This session has ended."}


# Grouped aggregates ------------------------------------------------------------------------


def seat_a_room(workshop) -> dict[str, Participant]:
    """Six people in pairs: Health and Housing at Table B, two of Housing not yet seated.

    Every sector x table cell is 0 or 2 (the plan's min_group_size), so no group is folded
    for being crossed with the other breakdown (``small_groups.fold_crossed``), while the
    tables still cut across the sectors: Table B mixes two sectors, Housing sits at two
    places."""
    return {
        "health_b": join(workshop, "Health", "Table B"),
        "health_b2": join(workshop, "Health", "Table B"),
        "housing_b": join(workshop, "Housing", "Table B"),
        "housing_b2": join(workshop, "Housing", "Table B"),
        "housing_none": join(workshop, "Housing", None),
        "housing_none2": join(workshop, "Housing", None),
    }


def test_traffic_lights_per_sector_and_per_table(tabled):
    people = seat_a_room(tabled)
    open_stage(tabled, "light")
    lights = {
        "health_b": "met",
        "health_b2": "met",
        "housing_b": "not_met",
        "housing_b2": "partly",
        "housing_none": "not_met",
        "housing_none2": "not_met",
    }
    for name, value in lights.items():
        answer(tabled, people[name], "light", {"lights": {"clear": value}})

    by_sector = groups_of(tabled, "light", "sector")
    assert [(g["key"], g["label"], g["answered"]) for g in by_sector] == [
        ("Health", "Health", 2),
        ("Housing", "Housing", 4),  # Welfare answered nothing: left out
    ]
    health, housing = (g["results"]["items"][0] for g in by_sector)
    assert (health["met"], health["partly"], health["not_met"], health["n"]) == (2, 0, 0, 2)
    assert (housing["met"], housing["partly"], housing["not_met"], housing["n"]) == (0, 1, 3, 4)

    by_table = groups_of(tabled, "light", "table")
    assert [(g["key"], g["label"], g["answered"]) for g in by_table] == [
        ("Table B", "Table B", 4),  # Table A seats nobody: left out
        (None, "No table yet", 2),
    ]
    table_b, no_table = (g["results"]["items"][0] for g in by_table)
    assert (table_b["met"], table_b["partly"], table_b["not_met"], table_b["n"]) == (2, 1, 1, 4)
    assert (no_table["met"], no_table["partly"], no_table["not_met"]) == (0, 0, 2)


def test_ratings_choices_and_rankings_per_group(tabled):
    people = seat_a_room(tabled)
    open_stage(tabled, "rate")
    answer(tabled, people["health_b"], "rate", {"ratings": {"outcomes": 5, "respect": 2}})
    answer(tabled, people["health_b2"], "rate", {"ratings": {"outcomes": 3}})
    answer(tabled, people["housing_b"], "rate", {"ratings": {"outcomes": 1, "respect": 4}})
    answer(tabled, people["housing_b2"], "rate", {"ratings": {"outcomes": 1}})
    health, housing = groups_of(tabled, "rate", "sector")
    outcomes, respect = health["results"]["items"]
    assert (outcomes["n"], outcomes["median"], outcomes["counts"]["5"]) == (2, 4.0, 1)
    assert (respect["n"], respect["median"]) == (1, 2)
    assert housing["results"]["items"][0]["median"] == 1
    assert health["answered"] == 2 and housing["answered"] == 2

    open_stage(tabled, "pick")
    picks = (("health_b", "yes"), ("housing_b", "yes"), ("health_b2", "no"), ("housing_b2", "no"))
    for name, choice in picks:
        answer(tabled, people[name], "pick", {"choices": [choice]})
    health, housing = groups_of(tabled, "pick", "sector")
    assert {o["key"]: o["count"] for o in health["results"]["options"]} == {
        "yes": 1,
        "no": 1,
        "unsure": 0,
    }
    assert {o["key"]: o["count"] for o in housing["results"]["options"]} == {
        "yes": 1,
        "no": 1,
        "unsure": 0,
    }
    (table_b,) = groups_of(tabled, "pick", "table")
    assert (table_b["label"], table_b["answered"]) == ("Table B", 4)
    # One unseated Housing answer: Housing minus Table B would be that person's, so
    # Housing folds (its 3 still count, as Other groups), and Table B with it (the room
    # minus Health).
    answer(tabled, people["housing_none"], "pick", {"choices": ["unsure"]})
    health, other = groups_of(tabled, "pick", "sector")
    assert [(g["label"], g["answered"]) for g in (health, other)] == [
        ("Health", 2),
        ("Other groups", 3),
    ]
    assert {o["key"]: o["count"] for o in other["results"]["options"]}["unsure"] == 1
    (other,) = groups_of(tabled, "pick", "table")
    assert (other["label"], other["answered"]) == ("Other groups", 5)

    open_stage(tabled, "order")
    order = ["third-thing", "first-thing", "second-thing"]
    answer(tabled, people["housing_b"], "order", {"order": order})
    answer(tabled, people["housing_b2"], "order", {"order": order})
    (housing,) = groups_of(tabled, "order", "sector")
    assert housing["results"]["voters"] == 2
    assert housing["results"]["items"][0] == {
        "key": "third-thing",
        "label": "Third thing",
        "borda": 4,
        "mean_rank": 1.0,
    }


def test_results_messages_carry_the_breakdown_groups_and_a_grouped_figure(tabled):
    people = seat_a_room(tabled)
    facilitator, screen = tabled.facilitator(), tabled.screen()
    facilitator.emit("goto", {"index": tabled.stage_index("light")})
    facilitator.emit("open_input")
    for name in ("health_b", "health_b2", "housing_b", "housing_b2"):
        answer(tabled, people[name], "light", {"lights": {"clear": "met"}})
    facilitator.received(), screen.received()
    assert facilitator.emit("set_breakdown", {"breakdown": "sector"})["ok"]

    message = facilitator.received("results")[-1]
    assert message["breakdown"] == "sector"
    assert [g["label"] for g in message["groups"]] == ["Health", "Housing"]
    figure = message["figure"]
    assert figure["layout"]["meta"]["chart"] == "breakdown"
    labels = [label for trace in figure["data"] for label in trace["y"]]
    assert any("Health" in label and "2 people" in label for label in labels)
    go.Figure(figure)  # plotly accepts it as it is

    # Hidden results: the screen hears which breakdown, but no numbers.
    hidden = screen.received("results")[-1]
    assert hidden["breakdown"] == "sector"
    assert "groups" not in hidden and "figure" not in hidden
    facilitator.emit("reveal")
    shown = screen.received("results")[-1]
    assert shown["groups"] and shown["figure"]["layout"]["meta"]["breakdown"] == "sector"


def test_breakdown_figures_for_every_charted_activity(tabled):
    people = seat_a_room(tabled)
    stages = {
        "light": {"lights": {"clear": "partly"}},
        "rate": {"ratings": {"outcomes": 4, "respect": 3}},
        "pick": {"choices": ["unsure"]},
        "order": {"order": ["first-thing", "third-thing", "second-thing"]},
    }
    for stage, value in stages.items():
        open_stage(tabled, stage)
        for person in people.values():
            answer(tabled, person, stage, value)
        for breakdown in ("sector", "table"):
            with tabled.db() as db:
                session = db.get(WorkshopSession, tabled.session_id)
                session.breakdown = breakdown
                message = results_message(db, session, with_results=True)
            figure = message["figure"]
            meta = figure["layout"]["meta"]
            assert (meta["chart"], meta["breakdown"], meta["activity"]) == (
                "breakdown",
                breakdown,
                tabled.plan.stage(stage).activity.type,
            ), stage
            go.Figure(figure)
            words = " ".join(
                str(a.get("text", "")) for a in figure["layout"].get("annotations", ())
            ) + " ".join(str(y) for trace in figure["data"] for y in trace.get("y", ()))
            expected = {"sector": ["Health", "Housing"], "table": ["Table B", "No table yet"]}
            for word in expected[breakdown]:
                assert word in words, (stage, breakdown, word)


def test_points_grid_and_word_clouds_break_down_too(tabled):
    people = seat_a_room(tabled)
    stages = {
        "dots": ({"points": {"cats": 3, "dogs": 2}}, True),
        "place": ({"cells": {"scenario": [2, 3]}}, True),
        "words": ({"text": "trust matters"}, False),  # the phones' cloud: no grouped chart
    }
    for stage, (value, charted) in stages.items():
        open_stage(tabled, stage)
        for person in people.values():
            answer(tabled, person, stage, value)
        groups = groups_of(tabled, stage, "sector")
        assert [(g["label"], g["answered"]) for g in groups] == [("Health", 2), ("Housing", 4)]
        figure = breakdown_figure(tabled.plan.stage(stage).activity.type, groups, "sector")
        assert (figure is not None) == charted, stage
        if figure is not None:
            go.Figure(figure)
            titles = [a["text"] for a in figure["layout"]["annotations"]]
            assert titles == ["<b>Health<br>2 people</b>", "<b>Housing<br>4 people</b>"]


def test_no_answers_means_no_groups_and_no_figure():
    assert breakdown_figure("traffic_light", [], "sector") is None
    assert breakdown_figure("open_text", [{"key": "A", "label": "A"}], "sector") is None


# Replay and withdrawal ----------------------------------------------------------------------


def test_replay_rebuilds_tables_moves_and_breakdown(tabled):
    people = seat_a_room(tabled)
    sid = tabled.session_id
    with tabled.db() as db:
        operations.move_participant(db, sid, people["housing_none"].pseudonym, "Table B")
        operations.set_tables(db, sid, ["Table B", "Table C"])
        operations.move_participant(db, sid, people["health_b"].pseudonym, "Table C")
        operations.set_breakdown(db, sid, "table")

    def snapshot(db):
        session = db.get(WorkshopSession, sid)
        seats = sorted(db.execute(select(Participant.pseudonym, Participant.table_key)))
        return session.tables, session.breakdown, seats

    with tabled.db() as db:
        live = snapshot(db)
        assert live[0] == ["Table B", "Table C"] and live[1] == "table"
        replay(db, db.get(WorkshopSession, sid))
        db.commit()
        assert snapshot(db) == live


def test_withdrawal_takes_a_person_off_the_tables_lists_and_groups(tabled):
    facilitator = tabled.facilitator()
    phone = tabled.phone("Welfare")
    mate = join(tabled, "Welfare", "Table B")  # table B needs two people to show (plan)
    other, other2 = join(tabled, "Health", "Table A"), join(tabled, "Health", "Table A")
    pseudonym = phone.participant.pseudonym
    assert facilitator.emit("move_participant", {"pseudonym": pseudonym, "table": "Table B"})["ok"]
    facilitator.emit("goto", {"index": tabled.stage_index("light")})
    facilitator.emit("open_input")
    for person in (phone.participant, mate, other, other2):
        answer(tabled, person, "light", {"lights": {"clear": "met"}})
    assert [g["key"] for g in groups_of(tabled, "light", "table")] == ["Table A", "Table B"]

    facilitator.received()
    assert phone.emit("withdraw")["ok"]
    people = facilitator.received("people")[-1]["people"]
    assert [p["pseudonym"] for p in people] == [mate.pseudonym, other.pseudonym, other2.pseudonym]
    with tabled.db() as db:
        operations.withdraw(db, tabled.session_id, mate.id)
    assert [g["key"] for g in groups_of(tabled, "light", "table")] == ["Table A"]
    assert [g["key"] for g in groups_of(tabled, "light", "sector")] == ["Health"]
    with tabled.db() as db:
        moves = db.scalars(select(Event).where(Event.type == "participant.moved")).all()
        assert moves == []  # where they sat leaves the log with them
        assert db.get(Participant, phone.participant.id).table_key is None


def test_the_transcript_says_which_table_each_event_came_from(tabled):
    people = seat_a_room(tabled)
    open_stage(tabled, "light")
    answer(tabled, people["health_b"], "light", {"lights": {"clear": "met"}})
    with tabled.db() as db:
        operations.move_participant(db, tabled.session_id, people["health_b"].pseudonym, "Table A")
    answer(tabled, people["health_b"], "light", {"lights": {"clear": "partly"}})
    with tabled.db() as db:
        operations.set_tables(db, tabled.session_id, ["Table B"])
    answer(tabled, people["health_b"], "light", {"lights": {"clear": "not_met"}})
    with tabled.db() as db:
        rows = list(transcript_rows(db, db.get(WorkshopSession, tabled.session_id)))
    theirs = [r["table"] for r in rows if r["actor"] == people["health_b"].pseudonym]
    # Joined at B, answered there; moved to A, answered; A was removed, answered unseated.
    assert theirs == ["Table B", "Table B", "Table A", None]
