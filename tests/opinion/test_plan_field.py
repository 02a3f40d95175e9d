"""A statements stage's ``opinion_groups:`` in the plan: on by default, off with false, its
settings as a mapping, and every mistake told with its line."""

from __future__ import annotations

import shutil

import pytest

from facilitation.plans.loader import parse_plan
from facilitation.plans.model import OpinionGroups
from facilitation.plans.reader import PlanInvalid
from facilitation.plans.views import plan_form
from tests.plans.test_plan_yaml import written

PLAN = """\
title: Opinions
description: A statements stage.
privacy_notice: We keep your answers for research.
sectors: [Health]
scenarios:
  - key: arrears
    title: Rent arrears and health
    summary: The council shares rent arrears with the GP.
stages:
  - key: views
    title: Views
    prompt: Say what you think
    type: statements
"""
FIELD_LINE = PLAN.count("\n") + 1  # the line a field added at the end of the stage is on


def opinion_groups(extra: str = ""):
    return parse_plan(PLAN + extra, "opinions").stages[0].activity.opinion_groups


def problems(extra: str, plan: str = PLAN) -> list[str]:
    with pytest.raises(PlanInvalid) as invalid:
        parse_plan(plan + extra, "opinions")
    return [str(error) for error in invalid.value.errors]


def test_on_by_default_with_participants_not_told():
    assert opinion_groups() == OpinionGroups(min_votes=3, min_people=7, tell_participants=False)
    assert opinion_groups("    opinion_groups: true\n") == OpinionGroups()
    assert opinion_groups("    opinion_groups:\n") == OpinionGroups()


def test_off():
    assert opinion_groups("    opinion_groups: false\n") is None


def test_settings():
    found = opinion_groups(
        "    opinion_groups:\n      min_votes: 5\n      min_people: 20\n"
        "      tell_participants: true\n"
    )
    assert found == OpinionGroups(min_votes=5, min_people=20, tell_participants=True)
    assert opinion_groups("    opinion_groups: {min_people: 4}\n") == OpinionGroups(min_people=4)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "    opinion_groups: sometimes\n",
            f"line {FIELD_LINE}: stages[1].opinion_groups: must be true, false or a set of "
            "fields with min_votes, min_people and tell_participants",
        ),
        (
            "    opinion_groups: [3, 7]\n",
            f"line {FIELD_LINE}: stages[1].opinion_groups: must be true, false or a set of "
            "fields with min_votes, min_people and tell_participants",
        ),
        (
            "    opinion_groups:\n      min_votes: 1\n",
            f"line {FIELD_LINE + 1}: stages[1].opinion_groups.min_votes: must be a whole "
            "number from 2 to 20 (not 1)",
        ),
        (
            "    opinion_groups:\n      min_people: 101\n",
            f"line {FIELD_LINE + 1}: stages[1].opinion_groups.min_people: must be a whole "
            "number from 4 to 100 (not 101)",
        ),
        (
            "    opinion_groups:\n      tell_participants: maybe\n",
            f"line {FIELD_LINE + 1}: stages[1].opinion_groups.tell_participants: must be "
            "true or false",
        ),
        (
            "    opinion_groups:\n      min_vote: 4\n",
            f"line {FIELD_LINE + 1}: stages[1].opinion_groups.min_vote: unknown field "
            "'min_vote' (did you mean 'min_votes'?)",
        ),
    ],
)
def test_mistakes_are_told_with_their_line(extra, message):
    assert problems(extra) == [message]


def test_only_a_statements_stage_takes_it():
    plan = PLAN.replace("type: statements", "type: open_text")
    assert problems("    opinion_groups: true\n", plan) == [
        f"line {FIELD_LINE}: stages[1].opinion_groups: is only used by a statements stage"
    ]


@pytest.mark.parametrize(
    "extra",
    [
        "",
        "    opinion_groups: false\n",
        "    opinion_groups: {min_votes: 4, tell_participants: true}\n",
    ],
)
def test_the_plan_editor_writes_it_back_as_it_was(extra):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed")
    plan = parse_plan(PLAN + extra, "opinions")
    assert parse_plan(written(node, plan_form(plan)), "opinions") == plan
