"""The plan library: what a facilitator can pick from a folder, and what is broken there."""

from __future__ import annotations

from textwrap import dedent

import pytest

from facilitation.plans import PlanError
from facilitation.plans.library import find_plan, list_plans


def plan_text(title: str) -> str:
    return dedent(
        f"""\
        title: {title}
        description: A workshop.
        privacy_notice: What we keep.
        sectors: [Health]
        stages:
          - {{key: a, title: A, prompt: P, type: info}}
        """
    )


@pytest.fixture
def folder(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "zebra.yaml").write_text(plan_text("Anteaters and data"))
    (plans / "apple.yaml").write_text(plan_text("Zoos and data"))
    (plans / "broken.yaml").write_text("title: Broken\nstages: nope\n")
    (plans / ".swap.yaml").write_text("not: a plan")
    (plans / "notes.txt").write_text("not a plan either")
    return plans


def test_list_plans_sorts_by_title_and_shows_broken_plans(folder):
    listings = list_plans(folder)

    assert [(p.slug, p.title, p.valid) for p in listings] == [
        ("zebra", "Anteaters and data", True),
        ("broken", "broken", False),
        ("apple", "Zoos and data", True),
    ]
    broken = listings[1]
    assert broken.plan is None
    assert broken.path == folder / "broken.yaml"
    assert broken.errors == [
        PlanError(1, "description", "is required"),
        PlanError(1, "privacy_notice", "is required"),
        PlanError(1, "sectors", "is required"),
        PlanError(2, "stages", "must be a list of stages (one '- ' line each)"),
    ]
    assert listings[0].plan.slug == "zebra"
    assert listings[0].errors == []


def test_list_plans_of_a_missing_folder_is_empty(tmp_path):
    assert list_plans(tmp_path / "nowhere") == []


def test_list_plans_lists_a_bad_file_name_as_broken(folder):
    (folder / "Bad Name.yaml").write_text(plan_text("Fine otherwise"))
    [bad] = [p for p in list_plans(folder) if p.slug == "Bad Name"]
    assert not bad.valid
    assert "is not a valid plan name" in bad.errors[0].message


def test_find_plan(folder):
    assert find_plan(folder, "apple").title == "Zoos and data"
    assert find_plan(str(folder), "zebra").slug == "zebra"


@pytest.mark.parametrize("slug", ["missing", "broken", "../outside", "..", "/etc/passwd", ""])
def test_find_plan_refuses_what_is_not_a_valid_plan_in_the_folder(folder, slug):
    # A valid plan just outside the folder must not be reachable by a crafted slug.
    (folder.parent / "outside.yaml").write_text(plan_text("Outside"))
    with pytest.raises(LookupError):
        find_plan(folder, slug)


def test_find_plan_says_why_a_broken_plan_cannot_be_used(folder):
    with pytest.raises(LookupError, match="has errors") as raised:
        find_plan(folder, "broken")
    assert "line 2: stages: must be a list of stages" in str(raised.value)
