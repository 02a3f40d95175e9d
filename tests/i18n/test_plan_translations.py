"""The plan's own text in another language: the ``translations:`` overlay is read and
checked like the rest of the plan (line-numbered problems), applied field by field with
the plan's text as the fallback, and never changes keys, sector values or numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitation.plans import PlanInvalid, load_plan, parse_plan
from facilitation.plans.translations import sector_labels, translated
from tests.conftest import BUILTIN_PLAN
from tests.i18n.conftest import BILINGUAL_PLAN

SOURCE = BILINGUAL_PLAN.read_text(encoding="utf-8")
PLAIN = SOURCE.split("translations:")[0]  # the same plan in English only


def problems(source: str) -> list[str]:
    with pytest.raises(PlanInvalid) as caught:
        parse_plan(source, "bilingual")
    return [str(error) for error in caught.value.errors]


def line_of(source: str, text: str) -> int:
    return source[: source.index(text)].count("\n") + 1


def with_overlay(overlay: str) -> str:
    """The English-only plan with ``overlay`` (indented YAML under translations:)."""
    return PLAIN + "translations:\n" + overlay


def test_a_plan_without_translations_is_unchanged():
    plan = parse_plan(PLAIN, "bilingual")
    assert plan.translations == {}
    assert translated(plan, "cy") is plan
    assert sector_labels(plan, "cy") == {"Health": "Health", "Housing": "Housing"}


def test_the_overlay_translates_text_and_keeps_keys_and_numbers():
    plan = load_plan(BILINGUAL_PLAN)
    welsh = translated(plan, "cy")
    assert welsh.title == "Rhannu data yn dda"
    assert welsh.privacy_notice.startswith("Rydyn ni'n cofnodi")
    assert welsh.scenarios[0].title.startswith("Ôl-ddyledion rhent")
    assert welsh.scenarios[0].key == "arrears"
    purposeful = welsh.stage("purposeful")
    assert purposeful.title == "Prawf 1: Pwrpasol"
    assert purposeful.activity.items[0].key == "purposeful"
    assert purposeful.activity.items[0].label == "Mae'r pwrpas yn glir"
    assert purposeful.activity.type == "traffic_light" and purposeful.takes_comments
    scale = welsh.stage("respect").activity.scale
    assert (scale.min, scale.max, scale.min_label, scale.max_label) == (
        1,
        5,
        "Dim o gwbl",
        "Yn llwyr",
    )
    # The sector values a phone sends stay the plan's; only their labels change.
    assert welsh.sectors == plan.sectors == ("Health", "Housing")
    assert sector_labels(plan, "cy") == {"Health": "Iechyd", "Housing": "Tai"}
    # The plan's own language is untouched.
    assert translated(plan, "en") is plan
    assert plan.title == "Sharing data well"


def test_a_partial_overlay_falls_back_to_the_plans_text():
    welsh = translated(load_plan(BILINGUAL_PLAN), "cy")
    choose = welsh.stage("choose")
    assert choose.title == "Beth sydd bwysicaf?"
    assert choose.prompt == "Pick the one that matters most."  # not translated
    labels = {item.key: item.label for item in choose.activity.items}
    assert labels == {"better-outcomes": "Canlyniadau gwell", "trust": "Public trust"}


def test_grid_axes_translate():
    source = PLAIN.replace(
        "stages:\n",
        "stages:\n  - key: place\n    title: Place it\n    prompt: Where?\n    type: grid\n",
        1,
    ) + with_overlay(
        "  cy:\n    stages:\n      place:\n        axes:\n          x: {label: Budd, high: Uchel}\n"
    ).removeprefix(PLAIN)
    axes = translated(parse_plan(source, "bilingual"), "cy").stage("place").activity.axes
    assert (axes.x.label, axes.x.low, axes.x.high) == ("Budd", "Low", "Uchel")
    assert axes.y.label == "Risk"


@pytest.mark.parametrize(
    ("overlay", "at", "expected"),
    [
        (
            "  fr:\n    title: Bonjour\n",
            "fr:",
            "translations.fr: 'fr' is not a language the app offers (en, cy)",
        ),
        (
            "  cy:\n    stages:\n      welcom:\n        title: Croeso\n",
            "welcom:",
            "translations.cy.stages.welcom: the plan has no stage 'welcom' "
            "(did you mean 'welcome'?)",
        ),
        (
            "  cy:\n    stages:\n      purposeful:\n        items:\n          purpose: Pwrpas\n",
            "purpose:",
            "translations.cy.stages.purposeful.items.purpose: this stage has no item "
            "'purpose' (did you mean 'purposeful'?)",
        ),
        (
            "  cy:\n    stages:\n      welcome:\n        items:\n          a: b\n",
            "items:\n          a",
            "translations.cy.stages.welcome.items: this stage has no items",
        ),
        (
            "  cy:\n    stages:\n      purposeful:\n        scale: {min_label: Isel}\n",
            "scale: {min_label: Isel}",
            "translations.cy.stages.purposeful.scale: this stage has no scale to translate",
        ),
        (
            "  cy:\n    stages:\n      welcome:\n        promt: Helo\n",
            "promt:",
            "translations.cy.stages.welcome.promt: unknown field 'promt' (did you mean 'prompt'?)",
        ),
        (
            "  cy:\n    sectors:\n      Heath: Iechyd\n",
            "Heath:",
            "translations.cy.sectors.Heath: the plan has no sector 'Heath' "
            "(did you mean 'Health'?)",
        ),
        (
            "  cy:\n    scenarios:\n      arrears:\n        title: [a, list]\n",
            "[a, list]",
            "translations.cy.scenarios.arrears.title: must be text of at most 200 characters",
        ),
        (
            "  cy:\n    title: " + "x" * 201 + "\n",
            "x" * 201,
            "translations.cy.title: must be text of at most 200 characters (this has 201)",
        ),
        (
            "  cy: Rhannu data\n",
            "cy: Rhannu",
            "translations.cy: must be the plan's text in this language (title:, stages: ...)",
        ),
        (
            "  - cy\n",
            "- cy",
            "translations: must be a set of languages (cy:, en:), each with the plan's text "
            "in that language",
        ),
    ],
)
def test_mistakes_in_the_overlay_are_reported_with_their_line(overlay, at, expected):
    source = with_overlay(overlay)
    assert problems(source) == [f"line {line_of(source, at)}: {expected}"]


def test_every_mistake_is_reported_in_one_pass():
    source = with_overlay(
        "  cy:\n    stages:\n      welcom:\n        title: Croeso\n"
        "      purposeful:\n        promt: Helo\n"
    )
    assert len(problems(source)) == 2


def test_the_built_in_plan_still_loads():
    plan = load_plan(BUILTIN_PLAN)
    assert plan.stages and translated(plan, "en") is plan


def test_the_format_documentation_example_is_valid(tmp_path: Path):
    """docs/plan-format.md's bilingual example is a plan that loads."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "plan-format.md").read_text()
    example = docs.split("<!-- bilingual example -->")[1].split("```yaml\n")[1].split("```")[0]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    plan = load_plan(path)
    assert "cy" in plan.translations
    welsh = translated(plan, "cy")
    assert welsh.title == "Rhannu data yn dda"
    assert welsh.stage("respect").activity.items[0].label.startswith("Byddai pobl")


def test_the_built_in_plan_has_welsh_for_everything_a_participant_reads():
    plan = load_plan(BUILTIN_PLAN)
    welsh = translated(plan, "cy")
    assert welsh.title != plan.title and welsh.privacy_notice != plan.privacy_notice
    assert welsh.description != plan.description
    assert all(label != sector for sector, label in sector_labels(plan, "cy").items())
    for english, cymraeg in zip(plan.scenarios, welsh.scenarios, strict=True):
        for field in ("title", "summary", "data", "sharing", "anonymisation"):
            assert getattr(cymraeg, field) != getattr(english, field), (english.key, field)
    for english, cymraeg in zip(plan.stages, welsh.stages, strict=True):
        assert cymraeg.title != english.title, english.key
        assert cymraeg.prompt != english.prompt, english.key
        assert cymraeg.activity.body != english.activity.body or not english.activity.body
        for item, welsh_item in zip(english.activity.items, cymraeg.activity.items, strict=True):
            assert welsh_item.label != item.label, (english.key, item.key)
            if item.description:
                assert welsh_item.description != item.description
        if english.activity.scale:
            assert cymraeg.activity.scale.max_label != english.activity.scale.max_label
