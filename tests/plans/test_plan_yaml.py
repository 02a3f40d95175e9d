"""The plan editor's YAML writer (static/js/plan-yaml.js), read back by the loader.

tests/js/plan-yaml.test.mjs pins the text the writer makes; here node runs it on the plan
as the editor's form holds it (``plan_form``) and ``parse_plan`` reads the text back: the
same plan must come out, awkward text, every activity type and translations included.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from textwrap import dedent

import pytest

from facilitation.plans import PlanInvalid, load_plan, parse_plan
from facilitation.plans.model import Axis, GridAxes, Scale
from facilitation.plans.views import editor_types, plan_form

ROOT = Path(__file__).resolve().parents[2]
WRITER = ROOT / "static" / "js" / "plan-yaml.js"
# Reads {plan, types} as JSON on stdin and prints the YAML the editor would save.
SCRIPT = f"""
import {{ toYaml }} from {json.dumps(WRITER.as_uri())};
let input = "";
for await (const chunk of process.stdin) input += chunk;
const {{ plan, types }} = JSON.parse(input);
process.stdout.write(toYaml(plan, types));
"""

EVERY_TYPE = dedent(
    """\
    title: Every activity
    description: One stage of each type.
    privacy_notice: Nothing is kept.
    sectors: [Health, Housing]
    tables: [Table A, Table B]
    moderation: {profanity_filter: true, word_limit: 40}
    scenarios:
      - key: gp
        title: GP records
        summary: Shared with the council.
        data: Health records
    stages:
      - {key: info, title: Info, prompt: Read, type: info, body: "One.\\n\\nTwo."}
      - {key: slides, title: Slides, prompt: Look, type: slides, deck: intro.pdf}
      - {key: slides-part, title: Part, prompt: Look, type: slides, deck: Talk 2.PPTX, pages: 2-5,
         comments: true}
      - {key: slides-page, title: Page, prompt: Look, type: slides, deck: a.odp, pages: 3}
      - {key: scenario, title: Scenario, prompt: Look, type: scenario}
      - {key: sector, title: Sector, prompt: Pick, type: sector}
      - key: choice
        title: Choice
        prompt: Pick
        type: choice
        multiple: true
        comments: true
        max_length: 140
        items: [{label: One}, {label: Two, key: second, description: The other}]
      - key: rating
        title: Rating
        prompt: Rate
        type: rating
        timer: 90
        items: [{label: Trust}]
        scale: {min: 0, max: 10, min_label: Not at all, max_label: Fully}
      - {key: light, title: Light, prompt: Judge, type: traffic_light, items: [{label: Fair}]}
      - {key: rank, title: Rank, prompt: Order, type: ranking, items: [{label: A}, {label: B}]}
      - {key: open, title: Open, prompt: Say, type: open_text, max_length: 500}
      - key: points
        title: Points
        prompt: Spend
        type: points
        points: 20
        items: [{label: A}, {label: B}]
      - key: grid
        title: Grid
        prompt: Place
        type: grid
        size: 7
        axes: {x: {label: Value}, y: {low: None, high: Severe}}
      - {key: grid-items, title: Grid items, prompt: Place, type: grid, items: [{label: A}]}
      - {key: words, title: Words, prompt: Say, type: word_cloud, max_words: 5}
      - {key: statements, title: Statements, prompt: Write, type: statements}
    translations:
      cy:
        title: Pob gweithgaredd
        sectors: {Health: Iechyd}
        stages:
          grid-items: {title: "Grid: eitemau"}
    """
)

# Text that a careless writer would turn into something else, or into a YAML error.
AWKWARD = [
    "Risk: high",
    "10:30",
    "- not a list",
    "#1 priority",
    "Item #1",
    'Say "yes"',
    "'quoted'",
    "C:\\data",
    "yes",
    "No",
    "off",
    "null",
    "~",
    "y",
    "12",
    "-3",
    "1.5",
    "1e3",
    "0x1F",
    ".inf",
    "2024-05-01",
    "Café",
    "Ŵyr",
    "Yes 👍",
    "a\tb",
    "&anchor",
    "*alias",
    "!tag",
    "[a, b]",
    "{a: b}",
    "%YAML",
    "`code`",
    "| block",
    "> folded",
    "<<",
    "---",
    "...",
    "?",
    "@at",
    "a\u2028b",
    "a\u00a0b",
]
SEVERAL_LINES = "Line one: two\n\n  indented # not a comment\n- not a list\n---\n...\nlast"


@pytest.fixture(scope="module")
def node() -> str:
    path = shutil.which("node")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is missing in CI (.ci/run installs it: apt-get install nodejs)")
        pytest.skip("node not installed: apt-get install nodejs")
    return path


def written(node: str, form: dict) -> str:
    result = subprocess.run(
        [node, "--input-type=module", "-e", SCRIPT],
        input=json.dumps({"plan": form, "types": editor_types()}),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def round_trip(node: str, form: dict, slug: str = "plan") -> dict:
    """The form's plan, written by the editor and read back by the loader, as a form again."""
    return plan_form(parse_plan(written(node, form), slug))


@pytest.mark.parametrize("path", sorted((ROOT / "sessions").glob("*.yaml")), ids=lambda p: p.name)
def test_a_shipped_plan_comes_back_the_same(node, path):
    plan = load_plan(path)
    assert parse_plan(written(node, plan_form(plan)), plan.slug) == plan


# The stage a plan with a framework may add: the profile of its tests and features.
PROFILE_STAGE = (
    "  - {key: verdict, title: Verdict, prompt: The profile, type: profile, body: Scores.}\n"
    "framework:\n  tests: [light]\n  features: [rating]\n"
)


def test_every_activity_type_comes_back_the_same(node):
    plan = parse_plan(EVERY_TYPE.replace("translations:", PROFILE_STAGE + "translations:"), "every")
    registered = {kind["name"] for kind in editor_types()}
    assert {stage.activity.type for stage in plan.stages} == registered, "add a stage above"
    assert parse_plan(written(node, plan_form(plan)), "every") == plan


def test_translations_survive_a_save_from_the_form(node):
    plan = parse_plan(EVERY_TYPE, "every")
    assert plan.translations
    assert parse_plan(written(node, plan_form(plan)), "every").translations == plan.translations


def test_awkward_text_comes_back_as_typed(node):
    form = plan_form(parse_plan(EVERY_TYPE, "every"))
    form["translations"] = {}
    form["title"] = "yes"
    form["description"] = SEVERAL_LINES
    form["sectors"] = AWKWARD
    stages = form["stages"]
    for index, stage in enumerate(stages):
        stage["title"] = AWKWARD[index]
        stage["prompt"] = AWKWARD[-index - 1]
        for number, item in enumerate(stage["items"]):
            item["label"] = AWKWARD[index + number + len(stages)]
            item["description"] = SEVERAL_LINES
    assert round_trip(node, form) == form


def test_empty_scale_and_axis_fall_back_to_their_defaults(node):
    form = plan_form(parse_plan(EVERY_TYPE, "every"))
    stages = {stage["key"]: stage for stage in form["stages"]}
    stages["rating"]["scale"] = {"min": "", "max": "", "min_label": "", "max_label": ""}
    stages["grid"]["axes"]["x"] = {"label": "", "low": "", "high": ""}
    plan = parse_plan(written(node, form), "every")
    by_key = {stage.key: stage.activity for stage in plan.stages}
    assert by_key["rating"].scale == Scale()
    assert by_key["grid"].axes == GridAxes(x=Axis("Benefit"), y=Axis("Risk", "None", "Severe"))


@pytest.mark.parametrize("character", ["\u0001", "\u007f", "\u0085"])
def test_a_control_character_is_the_loaders_to_refuse_not_a_yaml_error(node, character):
    form = plan_form(parse_plan(EVERY_TYPE, "every"))
    form["sectors"] = ["Health", f"Hou{character}sing"]
    with pytest.raises(PlanInvalid) as refused:
        parse_plan(written(node, form), "every")
    [error] = refused.value.errors  # after title, description, ... and sectors' first line
    assert (error.field, error.line) == ("sectors[2]", 8)


@pytest.mark.parametrize(
    "settings",
    [
        "flow: {input: manual, reveal: on_close}\n",
        "flow: {reveal: manual}\n",
        "theme: {accent: '#0b6e4f'}\n",
        "theme: {mode: dark, accent: '#7fd1ae', logo: logo.png}\n",
        "theme: {logo: brand.webp}\n",
        "flow: {input: manual}\ntheme: {mode: dark}\n",
    ],
)
def test_the_flow_and_the_theme_come_back_the_same(node, settings):
    plan = parse_plan(EVERY_TYPE + settings, "every")
    text = written(node, plan_form(plan))
    assert parse_plan(text, "every") == plan
    assert ("flow:" in text) == ("flow:" in settings)
    assert ("theme:" in text) == ("theme:" in settings)


def test_the_default_flow_and_theme_are_not_written(node):
    form = plan_form(parse_plan(EVERY_TYPE, "every"))
    form["flow"] = {"input": "on_show", "reveal": "next_press"}
    form["theme"] = {"accent": "", "mode": "light", "logo": ""}
    text = written(node, form)
    assert "flow:" not in text and "theme:" not in text


# A feature given as some of its stage's items (the short form, the stage alone, below).
FRAMEWORK = dedent(
    """\
    framework:
      tests: [light]
      features:
        - stage: rating
          questions: [trust]
    """
)


def test_the_framework_survives_a_save_from_the_form(node):
    """The form does not edit ``framework:`` but must write it back as the plan gave it:
    a feature named by its stage alone stays so, and takes an item added later too."""
    source = EVERY_TYPE.replace("translations:", FRAMEWORK + "translations:")
    plan = parse_plan(source, "every")
    assert plan.framework.features[0].every_item is False
    text = written(node, plan_form(plan))
    assert "framework:" in text
    assert parse_plan(text, "every") == plan

    short = EVERY_TYPE + "framework:\n  tests: [light]\n  features: [rating]\n"
    form = plan_form(parse_plan(short, "every"))
    assert form["framework"] == {"tests": ["light"], "features": ["rating"]}
    rating = next(stage for stage in form["stages"] if stage["key"] == "rating")
    rating["items"].append({"key": "care", "label": "Care", "description": ""})
    saved = parse_plan(written(node, form), "every")
    assert saved.framework.features[0].questions == ("trust", "care")


def test_a_stage_renamed_in_the_form_is_the_loaders_to_report_not_dropped(node):
    form = plan_form(parse_plan(EVERY_TYPE + "framework:\n  tests: [light]\n", "every"))
    light = next(stage for stage in form["stages"] if stage["key"] == "light")
    light["key"] = "lights"
    with pytest.raises(PlanInvalid) as refused:
        parse_plan(written(node, form), "every")
    [error] = refused.value.errors
    assert error.field == "framework.tests[1]"
    assert "the plan has no stage 'light'" in error.message


def test_no_framework_is_written_for_a_plan_without_one(node):
    form = plan_form(parse_plan(EVERY_TYPE, "every"))
    assert form["framework"] is None
    assert "framework" not in written(node, form)
