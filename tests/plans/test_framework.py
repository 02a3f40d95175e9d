"""A plan's ``framework:`` (plans/framework.py): which stages are the report's tests and
features, read into ``Plan.framework`` and every problem told with its line."""

from __future__ import annotations

import pytest

from facilitation.plans import PlanInvalid, load_plan, parse_plan
from facilitation.plans.model import Feature, Framework
from tests.conftest import BUILTIN_PLAN

# Stages of each kind the framework may name, and one it may not; the framework starts on
# line 20 (each test below shows only its own lines).
PLAN = """\
title: A workshop
description: What it is for.
privacy_notice: What we keep.
sectors: [Health, Housing]
stages:
  - {key: intro, title: Intro, prompt: Read, type: info}
  - {key: purposeful, title: Purposeful, prompt: Is it met, type: traffic_light, items: [Clear]}
  - key: proportionate
    title: Proportionate
    prompt: Is it met
    type: traffic_light
    items: [Needed, Less]
  - {key: outcomes, title: Outcomes, prompt: Rate, type: rating, items: [Service, Wellbeing]}
  - key: respect
    title: Respect
    prompt: Rate
    type: rating
    scale: {min: 0, max: 10}
    items: [Expected, Minimum, Voice]
"""


def framework(text: str) -> Framework | None:
    return parse_plan(PLAN + text, "test-plan").framework


def problems(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(PlanInvalid) as raised:
        parse_plan(PLAN + text, "test-plan")
    return [(e.line, e.field, e.message) for e in raised.value.errors]


def test_a_plan_without_a_framework_has_none():
    assert framework("") is None
    assert framework("framework:\n") is None


def test_tests_and_features_in_the_plans_words():
    found = framework(
        "framework:\n"
        "  tests: [purposeful, proportionate]\n"
        "  features:\n"
        "    - outcomes\n"
        "    - stage: respect\n"
        "      questions: [voice, expected]\n"
    )
    assert found == Framework(
        tests=("purposeful", "proportionate"),
        features=(
            # A stage named alone: every item of it is a question.
            Feature("outcomes", ("service", "wellbeing"), every_item=True),
            # Some of its items, in the order listed.
            Feature("respect", ("voice", "expected"), every_item=False),
        ),
    )
    assert found.stage_keys == ("purposeful", "proportionate", "outcomes", "respect")


def test_a_feature_as_a_stage_without_questions_takes_every_item():
    found = framework("framework:\n  features:\n    - stage: respect\n")
    assert found.features == (Feature("respect", ("expected", "minimum", "voice")),)
    assert found.tests == ()


def test_tests_alone_are_a_framework():
    assert framework("framework: {tests: [purposeful]}\n").tests == ("purposeful",)


def test_the_builtin_plan_declares_the_reports_three_tests_and_five_features():
    plan = load_plan(BUILTIN_PLAN)
    assert plan.framework.tests == ("purposeful", "proportionate", "responsible")
    assert [f.stage for f in plan.framework.features] == [
        "feature-outcomes",
        "feature-wider-public",
        "feature-respect",
        "feature-resources",
        "feature-tangible",
    ]
    for feature in plan.framework.features:
        items = tuple(item.key for item in plan.stage(feature.stage).activity.items)
        assert feature.questions == items and feature.every_item


# Problems, each with its line


def test_unknown_fields_are_told():
    assert problems("framework:\n  tests: [purposeful]\n  feature: [outcomes]\n") == [
        (22, "framework.feature", "unknown field 'feature' (did you mean 'features'?)")
    ]
    assert problems("framework:\n  features:\n    - {stage: outcomes, items: [service]}\n") == [
        (
            22,
            "framework.features[1].items",
            "unknown field 'items' (the fields here are stage, questions)",
        )
    ]


def test_a_framework_must_be_a_set_of_fields_with_something_in_it():
    assert problems("framework: [purposeful]\n") == [
        (
            20,
            "framework",
            "must be a set of fields: tests (traffic light stages) and features (rating stages)",
        )
    ]
    assert problems("framework: {}\n") == [(20, "framework", "needs tests:, features: or both")]


def test_empty_lists_are_told():
    assert problems("framework:\n  tests: []\n  features:\n") == [
        (21, "framework.tests", "needs at least one test (or leave tests: out)"),
        (22, "framework.features", "needs at least one feature (or leave features: out)"),
    ]
    assert problems("framework:\n  features:\n    - {stage: respect, questions: []}\n") == [
        (
            22,
            "framework.features[1].questions",
            "needs at least one of the stage's items (or leave questions: out for all of them)",
        )
    ]


def test_a_stage_the_plan_does_not_have():
    assert problems("framework:\n  tests: [purposefull]\n  features: [outcome]\n") == [
        (
            21,
            "framework.tests[1]",
            "the plan has no stage 'purposefull' (did you mean 'purposeful'?)",
        ),
        (22, "framework.features[1]", "the plan has no stage 'outcome' (did you mean 'outcomes'?)"),
    ]


def test_a_test_is_a_traffic_light_stage_and_a_feature_a_rating_stage():
    assert problems("framework:\n  tests: [outcomes]\n  features: [intro, purposeful]\n") == [
        (
            21,
            "framework.tests[1]",
            "'outcomes' is a rating stage: a test is a traffic_light stage",
        ),
        (22, "framework.features[1]", "'intro' is an info stage: a feature is a rating stage"),
        (
            22,
            "framework.features[2]",
            "'purposeful' is a traffic_light stage: a feature is a rating stage",
        ),
    ]


def test_a_question_that_is_not_an_item_of_its_stage():
    assert problems(
        "framework:\n  features:\n    - stage: respect\n      questions: [voice, voices, dignity]\n"
    ) == [
        (
            23,
            "framework.features[1].questions[2]",
            "stage 'respect' has no item 'voices' (its items: expected, minimum, voice) "
            "(did you mean 'voice'?)",
        ),
        (
            23,
            "framework.features[1].questions[3]",
            "stage 'respect' has no item 'dignity' (its items: expected, minimum, voice)",
        ),
    ]


def test_duplicates_are_told_with_the_first_line():
    assert problems(
        "framework:\n"
        "  tests:\n"
        "    - purposeful\n"
        "    - purposeful\n"
        "  features:\n"
        "    - outcomes\n"
        "    - stage: outcomes\n"
        "    - stage: respect\n"
        "      questions: [voice, voice]\n"
    ) == [
        (23, "framework.tests[2]", "stage 'purposeful' is listed twice (first on line 22)"),
        (
            26,
            "framework.features[2].stage",
            "stage 'outcomes' is listed twice (first on line 25)",
        ),
        (
            28,
            "framework.features[3].questions[2]",
            "item 'voice' is listed twice (first on line 28)",
        ),
    ]


def test_a_feature_entry_of_the_wrong_shape():
    assert problems("framework:\n  features:\n    - [outcomes]\n    - {questions: [a]}\n") == [
        (
            22,
            "framework.features[1]",
            "must be a rating stage's key, or a set of fields: stage, questions",
        ),
        (23, "framework.features[2].stage", "is required"),
    ]
