"""Plans written in the app: the library over files and the database, the draft / locked
lifecycle, slugs that never clash with file plans, imports and duplicates."""

from __future__ import annotations

import shutil

import pytest

from facilitation.errors import Refused
from facilitation.models import StoredPlan
from facilitation.plans import PlanInvalid, parse_plan, stored
from facilitation.plans.library import find_plan, list_plans
from facilitation.workshop import operations
from tests.conftest import BUILTIN_PLAN

SMALL = """\
# A comment the editor keeps
title: Quick check-in
description: Two stages.
privacy_notice: We keep answers for a week.
sectors: [Health, Housing]
tables: [Table A, Table B]
stages:
  - key: hello
    title: Hello
    prompt: Welcome.
    type: info
  - key: mood
    title: Mood
    prompt: How is the day going?
    type: rating
    comments: true
    items: [Today]
"""


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(BUILTIN_PLAN, folder / BUILTIN_PLAN.name)
    return folder


def test_list_covers_files_and_stored_plans(db, folder):
    assert [listing.slug for listing in list_plans(folder, db)] == ["data-for-public-benefit"]
    row = stored.create_plan(db, folder, SMALL, None)
    assert row.slug == "quick-check-in"

    listings = {listing.slug: listing for listing in list_plans(folder, db)}
    assert set(listings) == {"data-for-public-benefit", "quick-check-in"}
    assert listings["quick-check-in"].stored and not listings["quick-check-in"].builtin
    assert listings["quick-check-in"].path is None
    assert listings["quick-check-in"].plan.tables == ("Table A", "Table B")
    assert listings["data-for-public-benefit"].builtin
    # Without a database only the files are listed, as before.
    assert [listing.slug for listing in list_plans(folder)] == ["data-for-public-benefit"]


def test_find_plan_finds_stored_plans_only_with_a_database(db, folder):
    stored.create_plan(db, folder, SMALL, None)
    plan = find_plan(folder, "quick-check-in", db)
    assert plan.slug == "quick-check-in" and plan.title == "Quick check-in"
    assert plan.source == SMALL
    with pytest.raises(LookupError):
        find_plan(folder, "quick-check-in")
    with pytest.raises(LookupError):
        find_plan(folder, "../secrets", db)
    assert find_plan(folder, "data-for-public-benefit", db).slug == "data-for-public-benefit"


def test_slugs_never_clash_with_file_plans_or_each_other(db, folder):
    titled_like_the_file = SMALL.replace("Quick check-in", "Data for public benefit")
    first = stored.create_plan(db, folder, titled_like_the_file, None)
    second = stored.create_plan(db, folder, titled_like_the_file, None)
    third = stored.create_plan(db, folder, SMALL, None, name="data-for-public-benefit")
    assert [first.slug, second.slug, third.slug] == [
        "data-for-public-benefit-2",
        "data-for-public-benefit-3",
        "data-for-public-benefit-4",
    ]
    long = stored.unique_slug(db, folder, "x" * 100)
    assert len(long) <= 80


def test_a_file_added_later_wins_and_the_stored_plan_says_why(db, folder):
    row = stored.create_plan(db, folder, SMALL, None)
    (folder / f"{row.slug}.yaml").write_text(SMALL.replace("Quick check-in", "From the file"))
    assert find_plan(folder, row.slug, db).title == "From the file"
    listings = [listing for listing in list_plans(folder, db) if listing.stored]
    assert not listings[0].valid
    assert "built-in plan file" in listings[0].errors[0].message


def test_invalid_source_is_refused_and_nothing_is_stored(db, folder):
    with pytest.raises(PlanInvalid) as raised:
        stored.create_plan(db, folder, SMALL.replace("prompt: Welcome.", "promt: Welcome."), None)
    assert [(e.line, e.field) for e in raised.value.errors] == [
        (8, "stages[1].prompt"),
        (10, "stages[1].promt"),
    ]
    assert db.query(StoredPlan).count() == 0


def test_save_replaces_the_source_only_when_valid(db, folder):
    row = stored.create_plan(db, folder, SMALL, None)
    edited = SMALL.replace("Quick check-in", "Morning check-in")
    stored.save_plan(db, folder, row.slug, edited)
    assert find_plan(folder, row.slug, db).title == "Morning check-in"

    with pytest.raises(PlanInvalid) as raised:
        stored.save_plan(db, folder, row.slug, edited.replace("type: rating", "type: rate"))
    assert raised.value.errors[0].field == "stages[2].type"
    db.expire_all()
    assert db.get(StoredPlan, row.id).source == edited  # the saved version is kept


def test_built_in_plans_cannot_be_saved_or_deleted(db, folder):
    with pytest.raises(Refused, match="built-in plan"):
        stored.save_plan(db, folder, "data-for-public-benefit", SMALL)
    with pytest.raises(Refused, match="built-in plan"):
        stored.delete_plan(db, folder, "data-for-public-benefit")
    with pytest.raises(LookupError):
        stored.delete_plan(db, folder, "no-such-plan")


def test_a_plan_is_locked_while_a_session_uses_it(db, folder):
    row = stored.create_plan(db, folder, SMALL, None)
    assert stored.plan_status(db, row.slug) == "draft"

    session = operations.create_session(db, find_plan(folder, row.slug, db), None, None)
    assert session.plan_slug == row.slug
    assert stored.plan_status(db, row.slug) == "locked"
    assert stored.locking_sessions(db, row.slug) == [session.code]
    with pytest.raises(Refused, match=f"locked: the session {session.code} uses it"):
        stored.save_plan(db, folder, row.slug, SMALL.replace("Hello", "Hi"))
    with pytest.raises(Refused, match="locked"):
        stored.delete_plan(db, folder, row.slug)
    # Duplicating is always allowed.
    copy = stored.duplicate_plan(db, folder, row.slug, None)
    assert stored.plan_status(db, copy.slug) == "draft"

    operations.end_session(db, session.id)
    assert stored.plan_status(db, row.slug) == "draft"
    stored.save_plan(db, folder, row.slug, SMALL.replace("Hello", "Hi"))
    stored.delete_plan(db, folder, row.slug)
    assert stored.source_of(db, folder, copy.slug)[1] is False
    with pytest.raises(LookupError):
        find_plan(folder, row.slug, db)


def test_draft_sessions_lock_too(db, folder):
    row = stored.create_plan(db, folder, SMALL, None)
    operations.create_session(db, find_plan(folder, row.slug, db), None, None, draft=True)
    assert stored.plan_status(db, row.slug) == "locked"


def test_duplicate_copies_the_text_and_retitles_it(db, folder):
    copy = stored.duplicate_plan(db, folder, "data-for-public-benefit", None)
    assert copy.slug == "data-for-public-benefit-copy"
    plan = parse_plan(copy.source, copy.slug)
    assert plan.title == "Copy of Data for Public Benefit"
    original = BUILTIN_PLAN.read_text()
    # Everything but the title is the same text, comments and all.
    assert copy.source.replace('"Copy of Data for Public Benefit"', "X") == original.replace(
        original.split("title:", 1)[1].split("\n", 1)[0].strip(), "X", 1
    )
    again = stored.duplicate_plan(db, folder, "data-for-public-benefit", None)
    assert again.slug == "data-for-public-benefit-copy-2"


def test_import_names_the_plan_after_the_file_and_reports_lines(db, folder):
    row = stored.import_plan(db, folder, SMALL.encode("utf-8-sig"), "My Plan.yaml", None)
    assert row.slug == "my-plan"
    assert row.source == SMALL  # without the byte order mark

    with pytest.raises(PlanInvalid) as raised:
        stored.import_plan(db, folder, b"title: [unclosed\n", "bad.yaml", None)
    assert raised.value.errors[0].line == 2  # where the reader gave up
    assert raised.value.errors[0].message.startswith("not valid YAML")

    with pytest.raises(PlanInvalid) as raised:
        stored.import_plan(db, folder, b"title: ok\n\xff\n", "latin.yaml", None)
    assert raised.value.errors[0].line == 2
    assert "UTF-8" in raised.value.errors[0].message


def test_starter_plan_is_valid():
    plan = stored.validate(stored.STARTER_PLAN)
    assert [stage.activity.type for stage in plan.stages] == ["info", "traffic_light"]
