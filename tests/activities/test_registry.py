"""The activity registry, walked: every type has every part it needs, in one module.

A type that takes answers cleans, summarises and tables them; a type that draws a chart
(or words, or statements) gives the same numbers as a table, which every page renders.
Each answerable type of the every-activity plan is then run through its parts: an answer
cleaned, counted, drawn and tabled.
"""

from __future__ import annotations

import pytest

from facilitation.activities import (
    REGISTRY,
    ActivityType,
    Table,
    activity_type,
    all_types,
    stage_figure,
    type_names,
)
from facilitation.errors import Refused
from facilitation.plans import parse_plan
from tests.support.scenario import ANSWERS
from tests.support.scenario import PLAN as EVERY_ACTIVITY_PLAN

TYPES = all_types()


def overrides(kind: ActivityType, part: str) -> bool:
    return getattr(type(kind), part) is not getattr(ActivityType, part)


def test_the_registry_maps_each_name_to_its_type_in_plan_order():
    assert type_names() == (
        "info",
        "slides",
        "scenario",
        "sector",
        "choice",
        "rating",
        "traffic_light",
        "ranking",
        "open_text",
        "points",
        "grid",
        "word_cloud",
        "statements",
        "profile",
    )
    for name, kind in REGISTRY.items():
        assert kind.name == name and activity_type(name) is kind
    with pytest.raises(KeyError):
        activity_type("quiz")


@pytest.mark.parametrize("kind", TYPES, ids=lambda kind: kind.name)
def test_every_type_has_a_name_for_people(kind):
    assert str(kind.label).strip()
    assert str(kind.label) != kind.name  # words for people, not the plan's key


@pytest.mark.parametrize("kind", [k for k in TYPES if k.answerable], ids=lambda k: k.name)
def test_every_answerable_type_cleans_summarises_and_tables(kind):
    for part in ("clean", "summarise", "table"):
        assert overrides(kind, part), f"{kind.name} has no {part}"


@pytest.mark.parametrize("kind", [k for k in TYPES if k.has_figure], ids=lambda k: k.name)
def test_every_type_with_a_chart_has_a_table_too(kind):
    assert overrides(kind, "table")


@pytest.mark.parametrize("kind", [k for k in TYPES if k.breakdown_shares], ids=lambda k: k.name)
def test_every_type_drawn_as_shares_says_what_its_bars_hold(kind):
    assert kind.has_figure and overrides(kind, "share_segments")


@pytest.mark.parametrize("kind", [k for k in TYPES if not k.answerable], ids=lambda k: k.name)
def test_a_type_without_answers_refuses_one(kind):
    with pytest.raises(Refused):
        kind.clean(None, None, {"anything": 1})


def _answerable_stages():
    plan = parse_plan(EVERY_ACTIVITY_PLAN, "every-activity")
    return plan, [stage for stage in plan.stages if activity_type(stage.activity.type).answerable]


def test_the_every_activity_plan_answers_every_answerable_type():
    _plan, stages = _answerable_stages()
    answerable = {kind.name for kind in TYPES if kind.answerable}
    assert {stage.activity.type for stage in stages} == answerable


@pytest.mark.parametrize(
    "key", [stage.key for stage in _answerable_stages()[1]], ids=lambda key: key
)
def test_an_answer_goes_through_every_part_of_its_type(key):
    plan, _stages = _answerable_stages()
    stage = plan.stage(key)
    kind = activity_type(stage.activity.type)
    value = kind.clean(stage.activity, plan, ANSWERS[key])
    assert kind.clean(stage.activity, plan, value) == value  # clean is idempotent
    results = kind.summarise(stage.activity, plan, [(value, 2)])
    table = kind.table(stage, results)
    assert isinstance(table, Table) and table.caption and table.rows
    sent = table.as_json()
    width = len(sent["columns"])
    assert len(sent["numeric"]) == width and len(sent["charted"]) == width
    assert all(len(row) == width for row in sent["rows"])
    assert 2 in [cell for row in sent["rows"] for cell in row]  # the two people counted
    if kind.has_figure:
        figure = stage_figure(kind.name, results)
        assert figure["data"] and "template" in figure["layout"]
    else:
        assert stage_figure(kind.name, results) is None


def test_every_stage_sent_names_its_type_for_people():
    from facilitation.workshop.state import stage_list, stage_view

    plan, _stages = _answerable_stages()
    for stage, listed in zip(plan.stages, stage_list(plan), strict=True):
        label = str(activity_type(stage.activity.type).label)
        assert stage_view(stage)["type_label"] == listed["type_label"] == label
