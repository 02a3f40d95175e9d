"""Every registered activity type reaches every place that lists the types: the plan format
(its reading and docs/plan-format.md), the plan editor's page, the report and the research
exports. A type added to the registry and left out of any of them fails here.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from html import unescape
from pathlib import Path

import pytest

from facilitation.activities import ActivityType, all_types, type_names
from facilitation.auth import create_facilitator
from facilitation.db import database
from facilitation.exports.csv_files import responses_rows
from facilitation.exports.datapackage import RESPONSE_VALUE, SCHEMAS
from facilitation.exports.report import report_html
from facilitation.extensions import socketio
from facilitation.plans import PlanInvalid, parse_plan
from facilitation.plans.loader import COMMON_STAGE_FIELDS, stage_fields
from facilitation.plans.model import Activity
from facilitation.plans.reader import Fields, Reader
from tests.conftest import BUILTIN_PLAN
from tests.factories import Workshop, log_in
from tests.support.scenario import PLAN as EVERY_ACTIVITY_PLAN
from tests.support.scenario import play

ROOT = Path(__file__).resolve().parents[2]
TYPES = all_types()
ANSWERABLE = [kind for kind in TYPES if kind.answerable]


def ids(kind: ActivityType) -> str:
    return kind.name


def doc_section(heading: str) -> str:
    text = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
    start = text.index(f"## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def doc_row(section: str, first_cell: str) -> str | None:
    """The table row of ``section`` whose first cell names ``first_cell`` (in backquotes)."""
    return next(
        (
            line
            for line in section.splitlines()
            if line.startswith("|") and f"`{first_cell}`" in line.split("|")[1]
        ),
        None,
    )


@pytest.fixture
def client(app):
    with database(app).sessionmaker() as db:
        account = create_facilitator(db, "lead@example.org", "a-long-password")
    client = app.test_client()
    log_in(app, client, account.id)
    return client


@pytest.fixture
def played(app, tmp_path):
    path = tmp_path / "every-activity.yaml"
    path.write_text(EVERY_ACTIVITY_PLAN)
    workshop = Workshop(app, socketio, path)
    play(workshop)
    yield workshop
    workshop.close()


# The plan format ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", TYPES, ids=ids)
def test_every_type_says_which_stage_fields_it_reads(kind):
    assert ("items" in kind.plan_fields) == (kind.min_items is not None)
    assert set(kind.plan_fields) <= set(stage_fields())
    assert not set(kind.plan_fields) & set(COMMON_STAGE_FIELDS)
    own = set(kind.plan_fields) - {"items"}
    # A stage that leaves them all out gets the defaults, one for each, as the activity's.
    reader = Reader()
    read = kind.read_plan(reader, Fields(None, "stages[1]", {}))
    assert set(read) == own and not reader.errors
    assert own <= {f.name for f in fields(Activity)}


# The every-activity plan declares no framework (the exports' tests read it so); with one,
# it may show the framework profile too. It is played from a file, which cannot hold a slide
# deck (a slides stage's deck is uploaded with a plan written in the app): the slides
# stage is here, and tests/plans/test_slides_plan.py plays one.
WITH_PROFILE = (
    EVERY_ACTIVITY_PLAN
    + "  - {key: verdict, title: Verdict, prompt: The profile, type: profile}\n"
    + "  - {key: deck, title: Framework, prompt: Look at the screen, type: slides,"
    + " deck: framework.pdf, pages: 1-4}\n"
    + "framework:\n  tests: [light]\n  features: [rate]\n"
)


def test_a_plan_holds_a_stage_of_every_type_with_what_the_type_is():
    plan = parse_plan(WITH_PROFILE, "every-activity")
    assert {stage.activity.type for stage in plan.stages} == set(type_names())
    for stage in plan.stages:
        kind = next(k for k in TYPES if k.name == stage.activity.type)
        assert stage.activity.answerable == kind.answerable
        assert stage.activity.always_comments == kind.always_comments
        assert stage.takes_comments or not kind.always_comments


def test_an_unknown_type_is_told_every_registered_name():
    source = EVERY_ACTIVITY_PLAN.replace("type: info", "type: quiz")
    with pytest.raises(PlanInvalid) as refused:
        parse_plan(source, "every-activity")
    assert f"must be one of {', '.join(type_names())}" in str(refused.value)


@pytest.mark.parametrize("kind", TYPES, ids=ids)
def test_every_type_is_in_the_plan_format_doc(kind):
    assert doc_row(doc_section("Activity types"), kind.name), f"no row for {kind.name}"
    stage_section = doc_section("Fields of a stage")
    for name in kind.plan_fields:
        row = doc_row(stage_section, name)
        assert row is not None, f"the field {name} has no row"
        assert f"`{kind.name}`" in row.split("|")[2], f"{name}'s row does not name {kind.name}"


# The editor ----------------------------------------------------------------------------------


def test_the_editor_page_offers_every_type(client):
    page = client.get(f"/facilitator/plans/{BUILTIN_PLAN.stem}").get_data(as_text=True)
    assert "data-activity-types" in page, "the editor page is not the plan editor"
    names = json.loads(unescape(re.search(r"data-types='([^']*)'", page).group(1)))
    offered = json.loads(unescape(re.search(r"data-activity-types='([^']*)'", page).group(1)))
    assert names == {kind.name: str(kind.label) for kind in TYPES}
    assert offered == [
        {
            "name": kind.name,
            "label": str(kind.label),
            "hint": kind.editor_hint,
            "item_word": kind.item_word,
            "plan_fields": list(kind.plan_fields),
            "min_items": kind.min_items,
            "always_comments": kind.always_comments,
        }
        for kind in TYPES
    ]


# The report and the exports ------------------------------------------------------------------


def test_the_report_shows_a_stage_of_every_type_by_its_name(played):
    with played.db() as db:
        page = "".join(report_html(db, [played.session()]))
    for number, stage in enumerate(played.plan.stages, start=1):
        kind = next(k for k in TYPES if k.name == stage.activity.type)
        assert f"Stage {number} · {kind.label}" in page


def test_the_data_package_lists_every_type():
    stages = {f["name"]: f for f in SCHEMAS["stages"]["fields"]}
    responses = {f["name"]: f for f in SCHEMAS["responses"]["fields"]}
    assert stages["type"]["constraints"]["enum"] == list(type_names())
    assert responses["stage_type"]["constraints"]["enum"] == [k.name for k in ANSWERABLE]
    for kind in ANSWERABLE:
        assert kind.export_value and f"{kind.name} = {kind.export_value}" in RESPONSE_VALUE


def test_responses_have_rows_of_every_answerable_type(played):
    with played.db() as db:
        rows = list(responses_rows(db, [played.session()]))
    assert {row["stage_type"] for row in rows} == {kind.name for kind in ANSWERABLE}
