"""The opinion groups of a live statements stage, as the results message carries them:
formed once enough people voted enough, to facilitators always, to projectors once
revealed, to phones never; hidden statements and withdrawn people left out; group letters
stable from one push to the next."""

from __future__ import annotations

import pytest

from tests.live.test_points_grid_words_statements import react
from tests.opinion.live_room import (
    STATEMENTS,
    latest_result,
    make_room,
    plant,
    with_opinion,
)


@pytest.fixture
def room(app, tmp_path):
    workshop = make_room(app, tmp_path)
    yield workshop
    workshop.close()


def test_the_groups_form_once_seven_people_voted_three_times(room):
    planted = plant(room)
    facilitator = planted.facilitator
    opinion = with_opinion(facilitator.received("results"))[-1]["opinion"]
    assert opinion["status"] == "formed"
    # Ten voters placed, and the two authors, who agree with the three statements each
    # wrote: placed, but they voted on nothing, so not among those who voted.
    assert (opinion["voters"], opinion["placed"]) == (10, 12)
    assert (opinion["min_votes"], opinion["min_people"]) == (3, 7)
    assert opinion["tell_participants"] is True
    # Each camp with the author who wrote its statements.
    assert [(g["label"], g["size"]) for g in opinion["groups"]] == [("A", 6), ("B", 6)]
    grouping = latest_result(room).grouping
    for camp, author in zip(planted.camps, planted.authors, strict=True):
        assert {grouping.group_of(p.participant.id) for p in [*camp, author]} == {
            grouping.group_of(camp[0].participant.id)
        }
    assert opinion["method"]["k"] == 2
    # One point per person placed, with no id: (x, y, group) sorted by group, then place.
    points = opinion["points"]
    assert len(points) == 12 and all(len(point) == 3 for point in points)
    assert points == sorted(points, key=lambda p: (p[2], p[0], p[1]))
    # What both camps agree on, and what splits them.
    consensus = {c["text"] for c in opinion["consensus"]}
    assert consensus <= set(STATEMENTS[:2]) and consensus
    assert {d["text"] for d in opinion["divisive"]} <= set(STATEMENTS[2:])
    for group in opinion["groups"]:
        assert 0 < len(group["representative"]) <= 3
        for found in group["representative"]:
            assert found["text"] in STATEMENTS[2:]
            # Voted on by the group's five voters; its author, even in the group, is not
            # counted (the wall does not count them: one more would tell their group).
            assert found["seen"] == 5
            assert found["share"] > found["rest_share"]
            # Head counts: each camp votes its way, so all of the group who saw it.
            assert found["group_count"] == found["group_seen"] == found["seen"]
            assert found["share"] == 1.0 and found["p_group"] < 1.0


def test_not_formed_before_seven_people_voted_three_times(room):
    planted = plant(room, votes=2)
    opinion = with_opinion(planted.facilitator.received("results"))[-1]["opinion"]
    # Only the two authors are placed (three statements written each): two votes is too few.
    assert opinion["status"] == "waiting"
    assert (opinion["voters"], opinion["placed"]) == (10, 2)  # the authors voted on nothing
    assert opinion["groups"] == [] and opinion["consensus"] == []
    # The third vote of four more people places six: still waiting.
    for phone in planted.camps[0][:4]:
        react(phone, planted.statements[2], "agree")
    opinion = with_opinion(planted.facilitator.received("results"))[-1]["opinion"]
    assert (opinion["placed"], opinion["status"]) == (6, "waiting")
    # The seventh person placed, and the groups form.
    react(planted.camps[1][0], planted.statements[2], "disagree")
    opinion = with_opinion(planted.facilitator.received("results"))[-1]["opinion"]
    assert opinion["placed"] == 7 and opinion["status"] in ("formed", "no_split")


def test_screens_get_the_groups_only_once_revealed_and_phones_never(room):
    screen = room.screen()
    planted = plant(room)
    phone = planted.voters[0]
    assert not with_opinion(screen.received("results"))
    assert not with_opinion(phone.received("results"))
    assert planted.facilitator.emit("reveal")["ok"]
    react(phone, planted.statements[0], "disagree")
    assert with_opinion(screen.received("results"))[-1]["opinion"]["status"] == "formed"
    pushed = phone.received("results")
    assert pushed and not with_opinion(pushed)
    assert "opinion" not in phone.emit("sync")["results"]
    assert "opinion" in screen.emit("sync")["results"]
    assert planted.facilitator.emit("hide_results")["ok"]
    screen.received()
    react(phone, planted.statements[0], "agree")
    assert screen.received("results") and not with_opinion(screen.received("results"))


def test_a_stage_with_opinion_groups_off_has_none(room):
    planted = plant(room, stage="quiet")
    messages = planted.facilitator.received("results")
    assert messages and not with_opinion(messages)
    assert latest_result(room, "quiet") is None


def test_group_letters_stay_with_the_same_people_from_push_to_push(room):
    planted = plant(room)
    before = latest_result(room)
    letters = {pid: before.grouping.group_of(pid) for pid in before.grouping.placed}
    # More votes: another person joins camp 1, and someone changes one vote.
    newcomer = room.phone("Health")
    for statement, reaction in zip(
        planted.statements, ("agree",) * 4 + ("disagree",) * 2, strict=True
    ):
        react(newcomer, statement, reaction)
    react(planted.camps[1][0], planted.statements[0], "pass")
    after = latest_result(room)
    assert after.grouping.status == "formed"
    assert all(after.grouping.group_of(pid) == letter for pid, letter in letters.items())
    camp = letters[planted.camps[0][0].participant.id]
    assert after.grouping.group_of(newcomer.participant.id) == camp


def test_a_withdrawn_person_leaves_the_map_on_the_next_computation(room):
    planted = plant(room)
    leaving = planted.camps[0][0]
    assert leaving.participant.id in latest_result(room).grouping.placed
    assert leaving.emit("withdraw")["ok"]
    result = latest_result(room)
    assert leaving.participant.id not in result.grouping.placed
    opinion = with_opinion(planted.facilitator.received("results"))[-1]["opinion"]
    assert (opinion["voters"], opinion["placed"]) == (9, 11)  # and the two authors, placed


def test_hidden_statements_are_left_out(room):
    planted = plant(room)
    hidden = planted.statements[2]
    assert planted.facilitator.emit("hide_comment", {"comment_id": hidden})["ok"]
    # Hiding marks the comments; the next vote recomputes the groups without it.
    react(planted.voters[0], planted.statements[0], "agree")
    result = latest_result(room)
    assert hidden not in result.analysis.by_group
    opinion = with_opinion(planted.facilitator.received("results"))[-1]["opinion"]
    shown = [
        item["id"]
        for item in opinion["consensus"]
        + opinion["divisive"]
        + [r for g in opinion["groups"] for r in g["representative"]]
    ]
    assert shown and hidden not in shown
