"""The plan loader: the dataclasses it builds, and every problem named by line and field."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from facilitation.activities import activity_type
from facilitation.extensions import socketio
from facilitation.plans import (
    Activity,
    Item,
    Plan,
    PlanError,
    PlanInvalid,
    Scale,
    Scenario,
    Stage,
    load_plan,
    parse_plan,
)
from facilitation.plans.model import (
    MAX_ITEMS,
    MAX_KEY,
    MAX_STAGES,
    MAX_TABLE_NAME,
    MAX_TABLES,
    TIMER_MAX_SECONDS,
    TIMER_MIN_SECONDS,
)
from facilitation.plans.reader import slugify
from facilitation.workshop import payloads
from facilitation.workshop.breakouts import clean_tables
from tests.factories import Workshop

ROOT = Path(__file__).resolve().parents[2]

# The lines every broken plan below shares, so each test shows only what it breaks and
# its line numbers are easy to count: the first stage starts on line 6.
HEAD = """\
title: A workshop
description: What it is for.
privacy_notice: What we keep.
sectors: [Health, Housing]
stages:
"""
ONE_STAGE = "  - {key: a, title: A, prompt: P, type: info}\n"

MINIMAL = dedent(
    """\
    title: "  Data for Public Benefit  "
    description: >
      Does sharing data
      serve the public?
    privacy_notice: We keep your answers for 90 days.
    sectors:
      - Health
      - Housing
    scenarios:
      - key: arrears
        title: Rent arrears
        summary: The council shares arrears with health services.
        data: Financial
    stages:
      - key: welcome
        title: Welcome
        prompt: Read this
        type: info
        body: Hello.
      - key: pick
        title: Pick
        prompt: Which?
        type: choice
        multiple: true
        items:
          - Yes
          - key: no
            label: " No "
            description: Not at all
      - key: rate
        title: Rate
        prompt: How far?
        type: rating
        comments: true
        max_length: 500
        items: [Fair use]
      - key: say
        title: Say
        prompt: Anything else?
        type: open_text
    """
)


def problems(source: str, slug: str = "test-plan") -> list[tuple[int | None, str, str]]:
    """(line, field, message) of every problem parse_plan reports for ``source``."""
    with pytest.raises(PlanInvalid) as raised:
        parse_plan(source, slug)
    return [(e.line, e.field, e.message) for e in raised.value.errors]


def stages(text: str) -> str:
    """A plan whose stages are ``text`` (indented as list entries under ``stages:``)."""
    return HEAD + dedent(text)


# A valid plan


def test_minimal_plan_builds_the_dataclasses():
    plan = parse_plan(MINIMAL, "data")

    assert plan == Plan(
        slug="data",
        title="Data for Public Benefit",
        description="Does sharing data serve the public?",
        sectors=("Health", "Housing"),
        scenarios=(
            Scenario(
                key="arrears",
                title="Rent arrears",
                summary="The council shares arrears with health services.",
                data="Financial",
            ),
        ),
        stages=(
            Stage("welcome", "Welcome", "Read this", Activity(type="info", body="Hello.")),
            Stage(
                "pick",
                "Pick",
                "Which?",
                Activity(
                    type="choice",
                    items=(Item("yes", "Yes"), Item("no", "No", "Not at all")),
                    multiple=True,
                ),
            ),
            Stage(
                "rate",
                "Rate",
                "How far?",
                Activity(
                    type="rating",
                    items=(Item("fair-use", "Fair use"),),
                    scale=Scale(1, 5, "", ""),
                    max_length=500,
                ),
                comments=True,
            ),
            Stage("say", "Say", "Anything else?", Activity(type="open_text")),
        ),
        privacy_notice="We keep your answers for 90 days.",
        retention_days=90,
    )
    assert plan.source == MINIMAL  # what a session freezes
    assert plan.stage("say").takes_comments
    assert plan.stage("welcome").activity.scale is None
    assert plan.stage("welcome").activity.max_length == 280


def test_string_items_get_keys_from_their_labels():
    plan = parse_plan(
        stages(
            """\
              - key: rank
                title: Rank
                prompt: Most important first
                type: ranking
                items:
                  - "Purposeful: is it clear?"
                  - Café au lait
                  - 2024
                  - no
            """
        ),
        "test-plan",
    )
    assert [(i.key, i.label) for i in plan.stages[0].activity.items] == [
        ("purposeful-is-it-clear", "Purposeful: is it clear?"),
        ("cafe-au-lait", "Café au lait"),
        ("2024", "2024"),
        ("no", "no"),  # the label as written, not YAML's false
    ]


def test_slugify():
    assert slugify("  Hello, World!  ") == "hello-world"
    assert slugify("A--b__c") == "a-b-c"
    assert slugify("???") == ""
    assert slugify("word " * 40) == ("word-" * 16)[:80].rstrip("-")
    assert len(slugify("x" * 200)) == 80


def test_rating_scale_and_retention_days_are_read():
    plan = parse_plan(
        HEAD.replace("stages:", "retention_days: 30\nstages:")
        + dedent(
            """\
              - key: rate
                title: Rate
                prompt: How far?
                type: rating
                scale: {min: 0, max: 10, min_label: Never, max_label: Always}
                items: [One]
            """
        ),
        "test-plan",
    )
    assert plan.retention_days == 30
    assert plan.stages[0].activity.scale == Scale(0, 10, "Never", "Always")


def test_yaml_1_1_booleans_are_booleans():
    plan = parse_plan(
        stages(
            """\
              - {key: a, title: A, prompt: P, type: info, comments: yes}
            """
        ),
        "test-plan",
    )
    assert plan.stages[0].comments is True


# The plan as a whole


@pytest.mark.parametrize("source", ["", "\n", "# only a comment\n", "~\n"])
def test_an_empty_file_is_one_clear_problem(source):
    assert problems(source) == [
        (
            None,
            "",
            "the plan is empty: it needs at least title, description, privacy_notice, "
            "sectors and stages",
        )
    ]


def test_a_top_level_list_is_not_a_plan():
    assert problems("# a plan\n- title: x\n") == [
        (
            2,
            "",
            "a plan is a set of fields (title:, description:, stages: ...), "
            "not a list or a single value",
        )
    ]


def test_missing_top_level_fields_are_required():
    assert problems("# nearly nothing\ntitle: Only a title\n") == [
        (2, "description", "is required"),
        (2, "privacy_notice", "is required"),
        (2, "sectors", "is required"),
        (2, "stages", "is required"),
    ]


def test_yaml_syntax_error_names_its_line():
    source = dedent(
        """\
        title: A workshop
        description: What it is for.
        privacy_notice: x: y
        """
    )
    assert problems(source) == [(3, "", "not valid YAML: mapping values are not allowed here")]


def test_tabs_get_a_hint():
    [(line, field, message)] = problems("title: x\nstages:\n\t- key: a\n")
    assert (line, field) == (3, "")
    assert message.endswith("(indent with spaces, not tabs)")


def test_two_documents_are_refused():
    [(line, _, message)] = problems("title: a\n---\ntitle: b\n")
    assert line == 2
    assert "expected a single document" in message


def test_control_characters_are_refused_with_their_line():
    [(line, _, message)] = problems("title: a\ndescription: b\x07\n")
    assert line == 2
    assert message.startswith("not valid YAML")


def test_unknown_field_suggests_the_close_one():
    source = stages(
        """\
          - key: a
            title: A
            promt: P
            type: info
        """
    )
    assert problems(source) == [
        (6, "stages[1].prompt", "is required"),
        (8, "stages[1].promt", "unknown field 'promt' (did you mean 'prompt'?)"),
    ]


def test_unknown_field_without_a_close_one_lists_the_fields():
    assert problems(HEAD.replace("stages:", "colour: blue\nstages:") + "  - x\n")[0] == (
        5,
        "colour",
        "unknown field 'colour' (the fields here are title, description, privacy_notice, "
        "retention_days, min_group_size, sectors, tables, moderation, scenarios, stages, "
        "framework, translations)",
    )


def test_a_field_given_twice():
    source = stages(
        """\
          - key: a
            title: A
            prompt: P
            type: info
            title: B
        """
    )
    assert problems(source) == [(10, "stages[1].title", "is given twice (first on line 7)")]


def test_text_too_long_and_not_text():
    source = (
        HEAD.replace("A workshop", "x" * 201).replace("What it is for.", "[a, list]") + ONE_STAGE
    )
    assert problems(source) == [
        (1, "title", "must be text of at most 200 characters (this has 201)"),
        (2, "description", "must be text"),
    ]


def test_blank_text_is_missing_text():
    source = HEAD.replace("What it is for.", '"   "').replace("What we keep.", "") + ONE_STAGE
    assert problems(source) == [
        (2, "description", "is required"),
        (3, "privacy_notice", "is required"),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("true", "must be a whole number from 1 to 3650"),
        ('"90"', "must be a whole number from 1 to 3650"),
        ("90.5", "must be a whole number from 1 to 3650"),
        ("0", "must be a whole number from 1 to 3650 (not 0)"),
        ("3651", "must be a whole number from 1 to 3650 (not 3651)"),
    ],
)
def test_retention_days_must_be_a_whole_number_in_range(value, message):
    source = HEAD.replace("stages:", f"retention_days: {value}\nstages:") + ONE_STAGE
    assert problems(source) == [(5, "retention_days", message)]


def test_min_group_size_defaults_to_three_and_can_be_set():
    assert parse_plan(HEAD + ONE_STAGE, "x").min_group_size == 3
    source = HEAD.replace("stages:", "min_group_size: 5\nstages:") + ONE_STAGE
    assert parse_plan(source, "x").min_group_size == 5


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1", "must be a whole number from 2 to 100 (not 1)"),
        ("0", "must be a whole number from 2 to 100 (not 0)"),
        ("101", "must be a whole number from 2 to 100 (not 101)"),
        ("three", "must be a whole number from 2 to 100"),
        ("2.5", "must be a whole number from 2 to 100"),
    ],
)
def test_min_group_size_must_be_a_whole_number_from_two(value, message):
    source = HEAD.replace("stages:", f"min_group_size: {value}\nstages:") + ONE_STAGE
    assert problems(source) == [(5, "min_group_size", message)]


def test_plan_name_must_be_a_slug():
    source = HEAD + ONE_STAGE
    assert problems(source, slug="My Plan") == [
        (
            None,
            "",
            "'My Plan' is not a valid plan name: use lower-case letters, digits and dashes "
            "(at most 80), like 'data-for-public-benefit'",
        )
    ]


# Sectors and scenarios


def test_sectors_problems():
    source = dedent(
        """\
        title: A workshop
        description: What it is for.
        privacy_notice: What we keep.
        sectors:
          - Health
          - " health "
          - [nested]
          - ""
          - %s
        stages:
          - {key: a, title: A, prompt: P, type: info}
        """
        % ("y" * 81)
    )
    assert problems(source) == [
        (6, "sectors[2]", "duplicate sector 'health' (first used on line 5)"),
        (7, "sectors[3]", "must be text of at most 80 characters"),
        (8, "sectors[4]", "is required"),
        (9, "sectors[5]", "must be text of at most 80 characters (this has 81)"),
    ]


def test_sectors_must_be_a_non_empty_list():
    assert problems(HEAD.replace("[Health, Housing]", "[]") + ONE_STAGE) == [
        (4, "sectors", "needs at least one sector")
    ]
    assert problems(HEAD.replace("[Health, Housing]", "Health") + ONE_STAGE) == [
        (4, "sectors", "must be a list of sectors (one '- ' line each)")
    ]


def test_scenario_problems():
    source = (
        HEAD.replace(
            "stages:",
            dedent(
                """\
            scenarios:
              - key: arrears
                title: Arrears
                summary: S
              - key: arrears
                title: Again
              - key: Rent Arrears
                title: T
                summary: S
                sharng: x
            stages:"""
            ),
        )
        + "  - {key: a, title: A, prompt: P, type: scenario}\n"
    )
    assert problems(source) == [
        (9, "scenarios[2].key", "duplicate scenario key 'arrears' (first used on line 6)"),
        (9, "scenarios[2].summary", "is required"),
        (
            11,
            "scenarios[3].key",
            "must be a key of at most 80 lower-case letters, digits, '-' or '_', "
            "like 'rent-arrears' (did you mean 'rent-arrears'?)",
        ),
        (14, "scenarios[3].sharng", "unknown field 'sharng' (did you mean 'sharing'?)"),
    ]


def test_a_scenario_stage_needs_a_scenario():
    source = HEAD + dedent(
        """\
          - key: a
            title: A
            prompt: P
            type: scenario
        """
    )
    assert problems(source) == [
        (
            9,
            "stages[1].type",
            "a scenario stage shows the scenario chosen for the session, "
            "but the plan lists no scenarios",
        )
    ]


# Stages


def test_stages_must_be_a_non_empty_list_of_mappings():
    assert problems(HEAD.replace("stages:", "stages: []")) == [
        (5, "stages", "needs at least one stage")
    ]
    assert problems(HEAD + "  - just text\n") == [
        (6, "stages[1]", "must be a stage: a set of fields with key, title, prompt and type")
    ]


def test_stage_type_must_be_known():
    source = stages(
        """\
          - key: a
            title: A
            prompt: P
            type: traffic-light
        """
    )
    assert problems(source) == [
        (
            9,
            "stages[1].type",
            "must be one of info, slides, scenario, sector, choice, rating, traffic_light, "
            "ranking, open_text, points, grid, word_cloud, statements, profile "
            "(did you mean 'traffic_light'?)",
        )
    ]


def test_stage_keys_must_be_unique_slugs():
    source = stages(
        """\
          - {key: intro, title: A, prompt: P, type: info}
          - {key: intro, title: B, prompt: P, type: info}
          - {key: Bad Key!, title: C, prompt: P, type: info}
          - {key: "%s", title: D, prompt: P, type: info}
        """
        % ("k" * 81)
    )
    message = (
        "must be a key of at most 80 lower-case letters, digits, '-' or '_', like 'rent-arrears'"
    )
    assert problems(source) == [
        (7, "stages[2].key", "duplicate stage key 'intro' (first used on line 6)"),
        (8, "stages[3].key", message + " (did you mean 'bad-key'?)"),
        (9, "stages[4].key", message + f" (did you mean '{'k' * 80}'?)"),
    ]


def test_missing_stage_fields_point_at_the_stage():
    assert problems(stages("  - comments: true\n")) == [
        (6, "stages[1].key", "is required"),
        (6, "stages[1].title", "is required"),
        (6, "stages[1].prompt", "is required"),
        (6, "stages[1].type", "is required"),
    ]


def test_booleans_must_be_real_booleans():
    source = stages(
        """\
          - key: a
            title: A
            prompt: P
            type: choice
            comments: "true"
            multiple: 1
            items: [One, Two]
        """
    )
    assert problems(source) == [
        (10, "stages[1].comments", "must be true or false"),
        (11, "stages[1].multiple", "must be true or false"),
    ]


# Items


def test_items_are_counted_per_activity():
    source = stages(
        """\
          - key: choose
            title: A
            prompt: P
            type: choice
            items: [Only one]
          - key: rank
            title: B
            prompt: P
            type: ranking
            items: []
          - key: rate
            title: C
            prompt: P
            type: rating
          - key: light
            title: D
            prompt: P
            type: traffic_light
            items:
        """
    )
    assert problems(source) == [
        (10, "stages[1].items", "a choice needs at least 2 items"),
        (15, "stages[2].items", "a ranking needs at least 2 items"),
        (16, "stages[3].items", "is required for a rating stage (at least 1 item)"),
        (24, "stages[4].items", "a traffic_light needs at least 1 item"),
    ]


def test_items_are_refused_where_they_are_not_used():
    source = stages(
        """\
          - key: a
            title: A
            prompt: P
            type: info
            items: [One]
          - key: b
            title: B
            prompt: P
            type: sector
            items: [Two]
          - key: c
            title: C
            prompt: P
            type: open_text
            items: [Three]
        """
    )
    assert problems(source) == [
        (10, "stages[1].items", "items are not used by an info stage"),
        (
            15,
            "stages[2].items",
            "items are not used by a sector stage (it offers the plan's sectors)",
        ),
        (20, "stages[3].items", "items are not used by an open_text stage"),
    ]


def test_item_problems():
    source = stages(
        """\
          - key: a
            title: A
            prompt: P
            type: ranking
            items:
              - Fair use
              - fair use!
              - key: fair-use
                label: Explicit
              - key: Not A Key
                label: Bad key
              - key: fine
              - label: "???"
              - [nested]
              - key: extra
                label: Extra
                colour: red
        """
    )
    assert problems(source) == [
        (
            12,
            "stages[1].items[2]",
            "duplicate item key 'fair-use', made from the label (first used on line 11): "
            "give the items keys of their own",
        ),
        (13, "stages[1].items[3].key", "duplicate item key 'fair-use' (first used on line 11)"),
        (
            15,
            "stages[1].items[4].key",
            "must be a key of at most 80 lower-case letters, digits, '-' or '_', "
            "like 'rent-arrears' (did you mean 'not-a-key'?)",
        ),
        (17, "stages[1].items[5].label", "is required"),
        (
            18,
            "stages[1].items[6]",
            "cannot make a key from the label '???': give the item a key "
            "(write it as key: and label: lines)",
        ),
        (
            19,
            "stages[1].items[7]",
            "must be an item: a label, or a set of fields with key, label and description",
        ),
        (
            22,
            "stages[1].items[8].colour",
            "unknown field 'colour' (the fields here are key, label, description)",
        ),
    ]


def test_item_keys_may_use_underscores():
    source = stages(
        """\
          - key: a_stage
            title: A
            prompt: P
            type: choice
            items:
              - {key: not_met, label: Not met}
              - {key: met, label: Met}
        """
    )
    plan = parse_plan(source, "test-plan")
    assert [i.key for i in plan.stages[0].activity.items] == ["not_met", "met"]


# Fields only some stages use


def test_multiple_scale_and_max_length_only_where_they_apply():
    source = stages(
        """\
          - key: a
            title: A
            prompt: P
            type: rating
            multiple: true
            max_length: 100
            items: [One]
          - key: b
            title: B
            prompt: P
            type: choice
            scale: {min: 1, max: 3}
            items: [One, Two]
        """
    )
    assert problems(source) == [
        (10, "stages[1].multiple", "is only used by a choice stage"),
        (
            11,
            "stages[1].max_length",
            "is only used by a stage that takes comments "
            "(comments: true, or an open_text or statements stage)",
        ),
        (17, "stages[2].scale", "is only used by a rating stage"),
    ]


def test_max_length_range():
    source = stages(
        """\
          - {key: a, title: A, prompt: P, type: open_text, max_length: 19}
          - {key: b, title: B, prompt: P, type: info, comments: true, max_length: 2001}
          - {key: c, title: C, prompt: P, type: info, comments: true, max_length: 2000}
        """
    )
    assert problems(source) == [
        (6, "stages[1].max_length", "must be a whole number from 20 to 2000 (not 19)"),
        (7, "stages[2].max_length", "must be a whole number from 20 to 2000 (not 2001)"),
    ]


def test_scale_problems():
    source = stages(
        """\
          - key: a
            title: A
            prompt: P
            type: rating
            items: [One]
            scale:
              min: 1
              max: 12
          - key: b
            title: B
            prompt: P
            type: rating
            items: [One]
            scale: {min: 3, max: 3, lowest: x}
          - key: c
            title: C
            prompt: P
            type: rating
            items: [One]
            scale: {min: one, max: 5}
          - key: d
            title: D
            prompt: P
            type: rating
            items: [One]
            scale: 5
        """
    )
    assert problems(source) == [
        (12, "stages[1].scale", "scale must have from 2 to 11 points (from 1 to 12 is 12)"),
        (
            19,
            "stages[2].scale.lowest",
            "unknown field 'lowest' (the fields here are min, max, min_label, max_label)",
        ),
        (19, "stages[2].scale", "scale must have from 2 to 11 points (from 3 to 3 is 1)"),
        (25, "stages[3].scale.min", "must be a whole number"),
        (31, "stages[4].scale", "must be a scale: min, max, min_label, max_label"),
    ]


def test_several_problems_are_all_reported_in_line_order():
    source = dedent(
        """\
        title: A workshop
        privacy_notice: What we keep.
        retention_days: forever
        sectors: [Health]
        stages:
          - key: a
            title: A
            prompt: P
            type: choice
            items: [One]
          - key: a
            title: B
            prompt: P
            type: poll
        """
    )
    assert problems(source) == [
        (1, "description", "is required"),
        (3, "retention_days", "must be a whole number from 1 to 3650"),
        (10, "stages[1].items", "a choice needs at least 2 items"),
        (11, "stages[2].key", "duplicate stage key 'a' (first used on line 6)"),
        (
            14,
            "stages[2].type",
            "must be one of info, slides, scenario, sector, choice, rating, traffic_light, "
            "ranking, open_text, points, grid, word_cloud, statements, profile",
        ),
    ]


# Errors as text, and loading files


def test_plan_error_and_plan_invalid_read_well():
    error = PlanError(12, "stages[3].type", "must be one of info, scenario")
    assert str(error) == "line 12: stages[3].type: must be one of info, scenario"
    assert str(PlanError(None, "", "the plan is empty")) == "the plan is empty"
    assert str(PlanError(4, "", "not valid YAML")) == "line 4: not valid YAML"
    invalid = PlanInvalid([error, PlanError(14, "title", "is required")])
    assert str(invalid) == (
        "the plan has 2 problems:\n"
        "  line 12: stages[3].type: must be one of info, scenario\n"
        "  line 14: title: is required"
    )


def test_load_plan_takes_the_slug_from_the_file_name(tmp_path):
    path = tmp_path / "my-plan.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    plan = load_plan(path)
    assert plan.slug == "my-plan"
    assert plan.source == MINIMAL


def test_load_plan_ignores_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_plan(path).title == "Data for Public Benefit"


def test_load_plan_refuses_a_bad_file_name_and_reports_the_rest(tmp_path):
    path = tmp_path / "My Plan.yaml"
    path.write_text("title: x\n", encoding="utf-8")
    with pytest.raises(PlanInvalid) as raised:
        load_plan(path)
    messages = [str(e) for e in raised.value.errors]
    assert messages[0].startswith("'My Plan' is not a valid plan name")
    assert "line 1: description: is required" in messages


def test_load_plan_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("title: x\ndescription: caf\xe9\n".encode("latin-1"))
    with pytest.raises(PlanInvalid) as raised:
        load_plan(path)
    assert [str(e) for e in raised.value.errors] == [
        "line 2: the file is not UTF-8 text: save it as UTF-8"
    ]


def test_every_shipped_plan_parses():
    paths = sorted((ROOT / "sessions").glob("*.yaml"))
    assert paths, "no plan ships in sessions/"
    for path in paths:
        try:
            load_plan(path)
        except PlanInvalid as invalid:
            pytest.fail(f"{path.name}:\n{invalid}")


# Limits shared with the live events (plans/model.py) ------------------------------------
# A plan that imports must run to its end: every stage reachable by the console's goto,
# its tables accepted by set_tables, and a full answer to every stage small enough to send.


def test_a_plan_of_more_stages_than_goto_reaches_is_refused_at_the_first_extra_one():
    source = HEAD + "".join(
        f"  - {{key: s{n}, title: S, prompt: P, type: info}}\n" for n in range(MAX_STAGES + 12)
    )
    assert problems(source) == [
        (
            6 + MAX_STAGES,
            f"stages[{MAX_STAGES + 1}]",
            f"at most {MAX_STAGES} stages (this has {MAX_STAGES + 12}): a session cannot use more",
        )
    ]


def test_the_last_stage_of_the_largest_plan_can_be_reached(app, tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text(
        HEAD
        + "".join(
            f"  - {{key: s{n}, title: S, prompt: P, type: info}}\n" for n in range(MAX_STAGES)
        )
    )
    workshop = Workshop(app, socketio, path, scenario=None)
    try:
        facilitator = workshop.facilitator()
        assert facilitator.emit("goto", {"index": MAX_STAGES - 1})["ok"]
        assert not facilitator.emit("goto", {"index": MAX_STAGES})["ok"]
    finally:
        workshop.close()


def test_more_tables_than_the_console_can_set_are_refused():
    names = [f"Table {n}" for n in range(1, MAX_TABLES + 2)]
    source = (
        HEAD.replace("stages:\n", "tables:\n")
        + "".join(f"  - {name}\n" for name in names)
        + "stages:\n"
        + ONE_STAGE
    )
    assert problems(source) == [
        (
            6 + MAX_TABLES,
            f"tables[{MAX_TABLES + 1}]",
            f"at most {MAX_TABLES} tables (this has {MAX_TABLES + 1}): a session cannot use more",
        )
    ]
    # The most a plan may list is what the console's set_tables takes back.
    most = (
        HEAD.replace("stages:\n", "tables:\n")
        + "".join(f"  - {'T' * (MAX_TABLE_NAME - 3)}{n:03}\n" for n in range(MAX_TABLES))
        + "stages:\n"
        + ONE_STAGE
    )
    plan = parse_plan(most, "tables")
    assert clean_tables(list(plan.tables)) == list(plan.tables)


def test_more_items_than_an_answer_can_carry_are_refused():
    items = "".join(f"      - {{key: i{n}, label: Item {n}}}\n" for n in range(MAX_ITEMS + 1))
    source = HEAD + (
        "  - key: rank\n    title: R\n    prompt: P\n    type: ranking\n    items:\n" + items
    )
    assert problems(source) == [
        (
            11 + MAX_ITEMS,
            f"stages[1].items[{MAX_ITEMS + 1}]",
            f"at most {MAX_ITEMS} items (this has {MAX_ITEMS + 1}): a session cannot use more",
        )
    ]


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("ranking", lambda keys: {"order": keys}),
        ("points", lambda keys: {"points": {key: 0 for key in keys[:-1]} | {keys[-1]: 10}}),
        ("grid", lambda keys: {"cells": {key: [11, 11] for key in keys}}),
        ("rating", lambda keys: {"ratings": {key: 5 for key in keys}}),
        ("traffic_light", lambda keys: {"lights": {key: "not_met" for key in keys}}),
        ("choice", lambda keys: {"choices": keys}),
    ],
)
def test_a_full_answer_to_the_largest_stage_fits_in_one_message(kind, value):
    """MAX_ITEMS items with MAX_KEY-character keys: the answer naming every one is accepted
    by the answer event (under payloads.MAX_PAYLOAD_CHARS), not refused as too large."""
    keys = [f"{n:02}{'k' * (MAX_KEY - 2)}" for n in range(MAX_ITEMS)]
    extra = {"grid": "    size: 11\n", "choice": "    multiple: true\n"}.get(kind, "")
    items = "".join(f"      - {{key: {key}, label: Item}}\n" for key in keys)
    stage_key = "s" * MAX_KEY
    source = HEAD + (
        f"  - key: {stage_key}\n    title: T\n    prompt: P\n    type: {kind}\n{extra}"
        f"    items:\n{items}"
    )
    plan = parse_plan(source, "big")
    payload = {"stage": stage_key, "client_id": "c" * 64, "value": value(keys)}
    assert payloads.size_refusal(payload) is None
    answer = payloads.parse_answer(payload)
    activity = plan.stage(answer.stage).activity
    assert activity_type(activity.type).clean(activity, plan, answer.value)


def test_a_stage_timer_is_one_the_console_can_start():
    for seconds in (TIMER_MIN_SECONDS, TIMER_MAX_SECONDS):
        plan = parse_plan(HEAD + ONE_STAGE.replace("}", f", timer: {seconds}}}"), "t")
        assert payloads.parse_timer_start({"seconds": plan.stages[0].timer})[0] == seconds
    too_long = problems(HEAD + ONE_STAGE.replace("}", f", timer: {TIMER_MAX_SECONDS + 1}}}"))
    assert [field for _line, field, _message in too_long] == ["stages[1].timer"]
