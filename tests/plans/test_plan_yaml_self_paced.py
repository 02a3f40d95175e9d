"""The plan editor keeps a plan's ``self_paced:`` section: the form's object carries it,
and the YAML writer (static/js/plan-yaml.js, run with node) writes back the settings that
are turned off, so a save from the form changes nothing (docs/plan-format.md)."""

from __future__ import annotations

import pytest

from facilitation.plans import parse_plan
from facilitation.plans.model import SelfPaced
from facilitation.plans.views import plan_form
from tests.plans.test_plan_yaml import EVERY_TYPE, node, written  # noqa: F401 (fixture)


@pytest.mark.parametrize(
    "section",
    [
        "self_paced: {results: false}\n",
        "self_paced: {comments: false, approve_comments: false}\n",
        "self_paced: {results: false, comments: false, approve_comments: false, profile: false}\n",
    ],
)
def test_self_paced_survives_a_save_from_the_form(node, section):  # noqa: F811
    plan = parse_plan(EVERY_TYPE + section, "every")
    assert plan.self_paced != SelfPaced()
    text = written(node, plan_form(plan))
    assert "self_paced:" in text
    assert parse_plan(text, "every") == plan


def test_the_form_edits_self_paced_and_the_defaults_are_not_written(node):  # noqa: F811
    form = plan_form(parse_plan(EVERY_TYPE, "every"))
    assert form["self_paced"] == {
        "results": True,
        "comments": True,
        "approve_comments": True,
        "profile": True,
    }
    assert "self_paced:" not in written(node, form)
    form["self_paced"]["approve_comments"] = False
    plan = parse_plan(written(node, form), "every")
    assert plan.self_paced == SelfPaced(approve_comments=False)
