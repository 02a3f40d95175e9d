"""The ``slides`` stage in a plan: its ``deck:`` and ``pages:`` read and checked, the decks a
stored plan names (checked, copied with the plan, dropped with it), the decks a session
keeps when it opens, and a built-in plan refused for holding one."""

from __future__ import annotations

import shutil
from textwrap import dedent

import pytest
from flask import Flask
from sqlalchemy import func, select

from facilitation.activities import activity_type
from facilitation.errors import Refused
from facilitation.models import Deck, DeckPage, PlanDeck, SessionDeck
from facilitation.plans import PlanInvalid, load_plan, parse_plan, stored
from facilitation.plans.cli import plan_cli
from facilitation.slides import plan_decks
from facilitation.workshop import operations
from facilitation.workshop.state import stage_view
from tests.conftest import BUILTIN_PLAN
from tests.plans.deck_rows import insert_deck

HEAD = dedent(
    """\
    title: Slides and a question
    description: A deck with a rating between its pages.
    privacy_notice: We keep answers for a week.
    sectors: [Health]
    stages:
    """
)
# Stage A = pages 1-4, a rating, stage B = pages 5-6 (docs/plan-format.md's example).
PLAN = HEAD + dedent(
    """\
      - key: intro
        title: The framework
        prompt: Look at the screen
        type: slides
        deck: framework.pdf
        pages: 1-4
      - {key: clear, title: Clarity, prompt: How clear is it, type: rating, items: [Clarity]}
      - key: tests
        title: The tests
        prompt: Look at the screen
        type: slides
        deck: framework.pdf
        pages: 5-6
        comments: true
      - {key: all, title: All of it, prompt: Again, type: slides, deck: Other deck_2.PPTX}
    """
)


def stage_problems(stage: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(PlanInvalid) as refused:
        parse_plan(HEAD + stage, "slides")
    return [(e.line, e.field, e.message) for e in refused.value.errors]


# Reading deck: and pages: -------------------------------------------------------------


def test_a_slides_stage_reads_its_deck_and_pages():
    plan = parse_plan(PLAN, "slides")
    intro, clear, tests, whole = plan.stages
    assert (intro.activity.type, intro.activity.deck, intro.activity.pages) == (
        "slides",
        "framework.pdf",
        (1, 4),
    )
    assert tests.activity.pages == (5, 6) and tests.comments
    assert whole.activity.deck == "Other deck_2.PPTX" and whole.activity.pages is None
    assert not intro.activity.answerable and not activity_type("slides").has_results
    assert clear.activity.deck == "" and clear.activity.pages is None
    assert stage_view(intro)["deck"] == "framework.pdf"
    assert stage_view(intro)["pages"] == [1, 4]
    assert stage_view(whole)["pages"] is None


@pytest.mark.parametrize(("written", "pages"), [("3", (3, 3)), ("2-5", (2, 5)), ("4 - 4", (4, 4))])
def test_pages_may_be_one_page_or_a_range(written, pages):
    stage = f"  - {{key: a, title: A, prompt: P, type: slides, deck: a.pdf, pages: {written}}}\n"
    assert parse_plan(HEAD + stage, "slides").stages[0].activity.pages == pages


@pytest.mark.parametrize("written", ["0", "5-2", "-3", "1-", "one", "[1, 4]", "1.5", "0-3"])
def test_pages_out_of_their_form_are_refused(written):
    stage = f"  - {{key: a, title: A, prompt: P, type: slides, deck: a.pdf, pages: {written}}}\n"
    [(line, field, message)] = stage_problems(stage)
    assert (line, field) == (6, "stages[1].pages")
    assert message == "must be a page or a range of pages, like 3 or 1-4 (counted from 1)"


def test_the_deck_is_required():
    [(line, field, message)] = stage_problems("  - {key: a, title: A, prompt: P, type: slides}\n")
    assert (line, field) == (6, "stages[1].deck")
    assert message.startswith("is required for a slides stage")
    [(_, field, message)] = stage_problems(
        "  - {key: a, title: A, prompt: P, type: slides, deck: ''}\n"
    )
    assert (field, message) == ("stages[1].deck", "is required")


@pytest.mark.parametrize(
    "name",
    [
        "framework.key",
        "framework",
        "../framework.pdf",
        "a/b.pdf",
        ".pdf",
        "deck?.pdf",
        "x" * 117 + ".pdf",
    ],
)
def test_a_deck_is_a_plain_file_name_of_a_deck(name):
    stage = f'  - {{key: a, title: A, prompt: P, type: slides, deck: "{name}"}}\n'
    problems = stage_problems(stage)
    assert problems and all(field == "stages[1].deck" for _, field, _ in problems)
    assert any("must be a file name" in m or "at most 120" in m for _, _, m in problems)


def test_deck_and_pages_belong_to_slides_stages_only():
    problems = stage_problems(
        "  - {key: a, title: A, prompt: P, type: info, deck: a.pdf, pages: 2}\n"
    )
    assert [(field, message) for _, field, message in problems] == [
        ("stages[1].deck", "is only used by a slides stage"),
        ("stages[1].pages", "is only used by a slides stage"),
    ]


# Built-in plans ---------------------------------------------------------------------------


def test_a_builtin_plan_cannot_hold_a_slides_stage(tmp_path):
    path = tmp_path / "slides.yaml"
    path.write_text(PLAN)
    with pytest.raises(PlanInvalid) as refused:
        load_plan(path)
    fields = [error.field for error in refused.value.errors]
    assert fields == ["stages[1].type", "stages[3].type", "stages[4].type"]
    assert "duplicate it in the app" in refused.value.errors[0].message
    # The same text written in the app is a plan.
    assert parse_plan(PLAN, "slides").stages[0].activity.deck == "framework.pdf"


def test_plan_check_refuses_a_builtin_plan_with_slides(tmp_path):
    path = tmp_path / "slides.yaml"
    path.write_text(PLAN)
    app = Flask(__name__)
    app.cli.add_command(plan_cli)
    result = app.test_cli_runner().invoke(args=["plan", "check", str(path)])
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:9: stages[1].type: a slides stage shows a deck kept with a")
    assert "plan written in the app" in first and "upload the deck" in first


# A stored plan's decks -----------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(BUILTIN_PLAN, folder / BUILTIN_PLAN.name)
    return folder


@pytest.fixture
def row(db, folder):
    return stored.create_plan(db, folder, PLAN, None)


def test_check_decks_tells_each_missing_deck_and_range_past_the_end(db, row):
    plan = parse_plan(row.source, row.slug)
    problems = plan_decks.check_decks(db, plan)
    assert [(e.line, e.field) for e in problems] == [
        (10, "stages[1].deck"),
        (17, "stages[3].deck"),
        (20, "stages[4].deck"),
    ]
    assert problems[0].message == (
        "the deck framework.pdf is not uploaded yet: upload framework.pdf below, under Slide decks"
    )
    plan_decks.attach(db, row.slug, "framework.pdf", insert_deck(db, pages=5))
    plan_decks.attach(db, row.slug, "Other deck_2.PPTX", insert_deck(db, pages=2))
    db.commit()
    [problem] = plan_decks.check_decks(db, plan)
    assert (problem.line, problem.field) == (18, "stages[3].pages")
    assert problem.message == "shows pages 5-6, but framework.pdf has 5 pages"
    plan_decks.attach(db, row.slug, "framework.pdf", insert_deck(db, pages=6))  # replaced
    db.commit()
    assert plan_decks.check_decks(db, plan) == []
    decks = plan_decks.decks_of_plan(db, row.slug)
    assert {name: deck.page_count for name, deck in decks.items()} == {
        "Other deck_2.PPTX": 2,
        "framework.pdf": 6,
    }
    # The deck replaced is named by nothing any more: its pages are gone.
    assert db.scalar(select(func.count()).select_from(Deck)) == 2
    assert db.scalar(select(func.count()).select_from(DeckPage)) == 8


def test_a_plan_without_slides_has_no_deck_problems(db, folder):
    plan = stored.validate(stored.STARTER_PLAN)
    assert plan_decks.check_decks(db, plan) == []


def test_duplicate_carries_the_decks_and_delete_drops_them(db, folder, row):
    deck = insert_deck(db, pages=6)
    plan_decks.attach(db, row.slug, "framework.pdf", deck)
    db.commit()
    copy = stored.duplicate_plan(db, folder, row.slug, None)
    assert plan_decks.decks_of_plan(db, copy.slug) == {"framework.pdf": deck}

    stored.delete_plan(db, folder, row.slug)
    assert plan_decks.decks_of_plan(db, row.slug) == {}
    assert db.get(Deck, deck.id) is not None  # the copy still shows it
    stored.delete_plan(db, folder, copy.slug)
    assert db.scalar(select(func.count()).select_from(PlanDeck)) == 0
    assert db.get(Deck, deck.id) is None
    assert db.scalar(select(func.count()).select_from(DeckPage)) == 0


def test_detach_removes_the_name_and_says_whether_there_was_one(db, row):
    plan_decks.attach(db, row.slug, "framework.pdf", insert_deck(db))
    assert plan_decks.detach(db, row.slug, "framework.pdf")
    assert not plan_decks.detach(db, row.slug, "framework.pdf")
    assert plan_decks.decks_of_plan(db, row.slug) == {}


def test_attach_refuses_a_name_a_plan_could_not_give(db, row):
    with pytest.raises(Refused):
        plan_decks.attach(db, row.slug, "../framework.pdf", insert_deck(db))


# Sessions ------------------------------------------------------------------------------------


def test_a_session_keeps_the_decks_its_plan_named_when_it_opened(db, row):
    # Each attached as soon as made: attaching drops the decks nothing names.
    first = insert_deck(db, pages=6)
    plan_decks.attach(db, row.slug, "framework.pdf", first)
    other = insert_deck(db, pages=3)
    plan_decks.attach(db, row.slug, "Other deck_2.PPTX", other)
    plan_decks.attach(db, row.slug, "unused.pdf", insert_deck(db, pages=1))
    db.commit()
    plan = parse_plan(row.source, row.slug)
    session = operations.create_session(db, plan, None)
    assert plan_decks.decks_of_session(db, session.id) == {
        "framework.pdf": first,
        "Other deck_2.PPTX": other,
    }
    # A new upload changes the plan, not the session already opened...
    plan_decks.attach(db, row.slug, "framework.pdf", insert_deck(db, pages=7))
    db.commit()
    assert plan_decks.decks_of_session(db, session.id)["framework.pdf"] == first
    assert db.get(Deck, first.id) is not None  # ...whose pages stay
    # ...and a duplicate of the session shows what that session showed.
    again = operations.duplicate_session(db, session.id, None)
    assert plan_decks.decks_of_session(db, again.id)["framework.pdf"] == first


def test_a_session_is_not_opened_while_a_deck_is_missing(db, row):
    plan_decks.attach(db, row.slug, "framework.pdf", insert_deck(db, pages=6))
    db.commit()
    plan = parse_plan(row.source, row.slug)
    with pytest.raises(Refused) as refused:
        operations.create_session(db, plan, None)
    assert refused.value.message == (
        "Stage 4 (“All of it”) shows the slide deck Other deck_2.PPTX, which has not been "
        "uploaded: upload it in the plan's editor, under Slide decks."
    )
    assert db.scalar(select(func.count()).select_from(SessionDeck)) == 0
    assert db.scalar(select(func.count()).select_from(operations.WorkshopSession)) == 0


def test_a_session_is_not_opened_with_pages_past_the_decks_end(db, row):
    plan_decks.attach(db, row.slug, "framework.pdf", insert_deck(db, pages=4))
    plan_decks.attach(db, row.slug, "Other deck_2.PPTX", insert_deck(db, pages=1))
    db.commit()
    with pytest.raises(Refused) as refused:
        operations.create_session(db, parse_plan(row.source, row.slug), None)
    assert refused.value.message == (
        "Stage 3 (“The tests”) shows pages 5-6 of framework.pdf, which has 4 pages: correct "
        "the stage's pages in the plan's editor."
    )
