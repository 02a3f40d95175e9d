"""The plan format's tables, moderation, stage timers and the activities points, grid,
word_cloud and statements, each problem named by line and field."""

from __future__ import annotations

from textwrap import dedent

import pytest

from facilitation.activities import ACTIVITY_TYPES, ANSWERABLE_TYPES
from facilitation.plans import PlanInvalid, parse_plan
from facilitation.plans.model import (
    GRID_SCENARIO_ITEM,
    Axis,
    GridAxes,
    Item,
    Moderation,
)

# The first stage starts on line 6, as in test_loader.py.
HEAD = """\
title: A workshop
description: What it is for.
privacy_notice: What we keep.
sectors: [Health, Housing]
stages:
"""
ONE_STAGE = "  - {key: a, title: A, prompt: P, type: info}\n"


def problems(source: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(PlanInvalid) as raised:
        parse_plan(source, "test-plan")
    return [(e.line, e.field, e.message) for e in raised.value.errors]


def stages(text: str) -> str:
    return HEAD + dedent(text)


def top(text: str) -> str:
    """A valid one-stage plan with ``text`` added before its stages (from line 5 on)."""
    return HEAD.replace("stages:\n", dedent(text) + "stages:\n") + ONE_STAGE


def test_points_grid_words_statements_are_known_and_answerable_where_they_should_be():
    for kind in ("points", "grid", "word_cloud", "statements"):
        assert kind in ACTIVITY_TYPES
    assert {"points", "grid", "word_cloud"} <= set(ANSWERABLE_TYPES)
    assert "statements" not in ANSWERABLE_TYPES


# Tables and moderation


def test_defaults_without_tables_moderation_or_timer():
    plan = parse_plan(HEAD + ONE_STAGE, "test-plan")
    assert plan.tables == ()
    assert plan.moderation == Moderation(profanity_filter=True, word_limit=None)
    assert plan.stages[0].timer is None


def test_tables_and_moderation_are_read():
    plan = parse_plan(
        top(
            """\
            tables: ["Table A", Table B]
            moderation:
              profanity_filter: false
              word_limit: 40
            """
        ),
        "test-plan",
    )
    assert plan.tables == ("Table A", "Table B")
    assert plan.moderation == Moderation(profanity_filter=False, word_limit=40)


def test_moderation_keeps_defaults_for_fields_left_out():
    plan = parse_plan(top("moderation: {word_limit: 1}\n"), "test-plan")
    assert plan.moderation == Moderation(True, 1)
    assert parse_plan(top("moderation:\n"), "test-plan").moderation == Moderation()


def test_tables_problems():
    source = top(
        """\
        tables:
          - Table A
          - table a
          - ""
          - [nested]
          - %s
        """
        % ("x" * 81)
    )
    assert problems(source) == [
        (7, "tables[2]", "duplicate table 'table a' (first used on line 6)"),
        (8, "tables[3]", "is required"),
        (9, "tables[4]", "must be text of at most 80 characters"),
        (10, "tables[5]", "must be text of at most 80 characters (this has 81)"),
    ]
    assert problems(top("tables: Table A\n")) == [
        (5, "tables", "must be a list of tables (one '- ' line each)")
    ]


def test_moderation_problems():
    source = top(
        """\
        moderation:
          profanity_filter: maybe
          word_limit: 501
          swearing: no
        """
    )
    assert problems(source) == [
        (6, "moderation.profanity_filter", "must be true or false"),
        (7, "moderation.word_limit", "must be a whole number from 1 to 500 (not 501)"),
        (
            8,
            "moderation.swearing",
            "unknown field 'swearing' (the fields here are profanity_filter, word_limit)",
        ),
    ]
    assert problems(top("moderation: strict\n")) == [
        (
            5,
            "moderation",
            "must be a set of fields: profanity_filter (true or false) and word_limit",
        )
    ]
    assert problems(top("moderation: {word_limit: 0}\n")) == [
        (5, "moderation.word_limit", "must be a whole number from 1 to 500 (not 0)")
    ]


# The stage timer


def test_stage_timer_is_read_and_checked():
    plan = parse_plan(stages("  - {key: a, title: A, prompt: P, type: info, timer: 90}\n"), "p")
    assert plan.stages[0].timer == 90
    assert problems(
        stages(
            """\
              - {key: a, title: A, prompt: P, type: info, timer: 9}
              - {key: b, title: B, prompt: P, type: info, timer: 3601}
              - {key: c, title: C, prompt: P, type: info, timer: 1.5}
            """
        )
    ) == [
        (6, "stages[1].timer", "must be a whole number from 10 to 3600 (not 9)"),
        (7, "stages[2].timer", "must be a whole number from 10 to 3600 (not 3601)"),
        (8, "stages[3].timer", "must be a whole number from 10 to 3600"),
    ]


# points


def test_points_stage():
    plan = parse_plan(
        stages(
            """\
              - key: spend
                title: Spend
                prompt: Where should the effort go?
                type: points
                points: 20
                timer: 120
                items: [Health, Housing, Schools]
            """
        ),
        "test-plan",
    )
    activity = plan.stages[0].activity
    assert activity.type == "points" and activity.answerable
    assert activity.points == 20
    assert [i.key for i in activity.items] == ["health", "housing", "schools"]
    assert plan.stages[0].timer == 120
    default = parse_plan(
        stages("  - {key: s, title: S, prompt: P, type: points, items: [A, B]}\n"), "p"
    )
    assert default.stages[0].activity.points == 10


def test_points_problems():
    assert problems(
        stages(
            """\
              - {key: s, title: S, prompt: P, type: points, items: [A], points: 0}
              - {key: t, title: T, prompt: P, type: points}
              - {key: u, title: U, prompt: P, type: rating, items: [A], points: 5}
            """
        )
    ) == [
        (6, "stages[1].items", "a points needs at least 2 items"),
        (6, "stages[1].points", "must be a whole number from 1 to 100 (not 0)"),
        (7, "stages[2].items", "is required for a points stage (at least 2 items)"),
        (8, "stages[3].points", "is only used by a points stage"),
    ]


# grid


def test_grid_without_items_places_the_scenario_with_default_axes():
    plan = parse_plan(stages("  - {key: g, title: G, prompt: Place it, type: grid}\n"), "p")
    activity = plan.stages[0].activity
    assert activity.answerable
    assert activity.items == (GRID_SCENARIO_ITEM,)
    assert GRID_SCENARIO_ITEM == Item("scenario", "The scenario")
    assert activity.axes == GridAxes(Axis("Benefit", "Low", "High"), Axis("Risk", "Low", "High"))
    assert activity.size == 5


def test_grid_with_items_axes_and_size():
    plan = parse_plan(
        stages(
            """\
              - key: g
                title: G
                prompt: Place each
                type: grid
                size: 7
                axes:
                  x: {label: Value, low: None, high: Great}
                  y: {label: Harm}
                items:
                  - key: one
                    label: Option one
                  - Option two
            """
        ),
        "test-plan",
    )
    activity = plan.stages[0].activity
    assert activity.size == 7
    assert activity.axes == GridAxes(Axis("Value", "None", "Great"), Axis("Harm", "Low", "High"))
    assert [i.key for i in activity.items] == ["one", "option-two"]


def test_grid_problems():
    assert problems(
        stages(
            """\
              - key: g
                title: G
                prompt: P
                type: grid
                size: 2
                items: []
                axes:
                  x: sideways
                  z: {label: Depth}
                  y: {label: Risk, middle: Some}
              - {key: r, title: R, prompt: P, type: rating, items: [A], size: 5, axes: {}}
            """
        )
    ) == [
        (10, "stages[1].size", "must be a whole number from 3 to 11 (not 2)"),
        (
            11,
            "stages[1].items",
            "a grid with items needs at least 1 item (leave items out to place the scenario)",
        ),
        (13, "stages[1].axes.x", "must be an axis: label, low and high"),
        (14, "stages[1].axes.z", "unknown field 'z' (the fields here are x, y)"),
        (
            15,
            "stages[1].axes.y.middle",
            "unknown field 'middle' (the fields here are label, low, high)",
        ),
        (16, "stages[2].axes", "is only used by a grid stage"),
        (16, "stages[2].size", "is only used by a grid stage"),
    ]


# word_cloud


def test_word_cloud_stage():
    plan = parse_plan(
        stages(
            """\
              - {key: w, title: W, prompt: "In three words?", type: word_cloud}
              - {key: v, title: V, prompt: "In one word?", type: word_cloud, max_words: 1}
            """
        ),
        "test-plan",
    )
    assert plan.stages[0].activity.max_words == 3
    assert plan.stages[0].activity.answerable
    assert not plan.stages[0].takes_comments
    assert plan.stages[1].activity.max_words == 1


def test_word_cloud_problems():
    assert problems(
        stages(
            """\
              - {key: w, title: W, prompt: P, type: word_cloud, max_words: 11, items: [A]}
              - {key: v, title: V, prompt: P, type: info, max_words: 2}
              - {key: u, title: U, prompt: P, type: word_cloud, max_length: 100}
            """
        )
    ) == [
        (6, "stages[1].items", "items are not used by a word_cloud stage"),
        (6, "stages[1].max_words", "must be a whole number from 1 to 10 (not 11)"),
        (7, "stages[2].max_words", "is only used by a word_cloud stage"),
        (
            8,
            "stages[3].max_length",
            "is only used by a stage that takes comments "
            "(comments: true, or an open_text or statements stage)",
        ),
    ]


# statements


def test_statements_stage_takes_comments():
    plan = parse_plan(
        stages("  - {key: s, title: S, prompt: Say it, type: statements, max_length: 140}\n"),
        "test-plan",
    )
    stage = plan.stages[0]
    assert stage.takes_comments
    assert not stage.activity.answerable
    assert stage.activity.max_length == 140


def test_statements_take_no_items():
    assert problems(
        stages("  - {key: s, title: S, prompt: P, type: statements, items: [A, B]}\n")
    ) == [(6, "stages[1].items", "items are not used by a statements stage")]


def test_typo_in_an_activity_type_is_suggested():
    errors = problems(stages("  - {key: s, title: S, prompt: P, type: wordcloud}\n"))
    assert errors[0][1] == "stages[1].type"
    assert errors[0][2].endswith("(did you mean 'word_cloud'?)")


def test_shipped_plans_parse_with_the_moderation_defaults():
    from pathlib import Path

    from facilitation.plans import load_plan

    root = Path(__file__).resolve().parents[2]
    for path in sorted((root / "sessions").glob("*.yaml")):
        plan = load_plan(path)
        assert plan.moderation.profanity_filter is True
