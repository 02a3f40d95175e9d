"""The decks a plan written in the app names (``PlanDeck``), and the copies a session keeps.

A plan's slides stage names its deck by file name (``deck: framework.pdf``); the plan editor
uploads a deck under that name, and the name maps to a rendered ``Deck`` here. A deck is
kept by content (``store.add_deck``), so a name is only a pointer: replacing, removing,
copying a plan's decks never touches pages another plan or a session still shows, and
``store.remove_unused_decks`` drops those nobody names any more.

A session keeps the decks its plan named when it opened (``SessionDeck``), as it keeps its
own copy of the plan's source: an upload after that changes nothing in the room. A plan
whose decks are not all there (or whose page ranges run past its deck) is saved in the
editor with the problems shown (``check_decks``), and refused when a session opens.
"""

from __future__ import annotations

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from yaml.nodes import MappingNode, SequenceNode

from ..activities.slides import DECK_NAME_RULE, is_deck_name, pages_text
from ..errors import Refused
from ..models import Deck, DeckPage, PlanDeck, SessionDeck, WorkshopSession
from ..plans.model import Plan
from ..plans.reader import PlanError
from .session_pages import DECK_MISSING, page_numbers


def decks_of_plan(db: Session, slug: str) -> dict[str, Deck]:
    """{name: deck} of the stored plan ``slug``, by name."""
    rows = db.execute(
        select(PlanDeck.name, Deck)
        .join(Deck, Deck.id == PlanDeck.deck_id)
        .where(PlanDeck.plan_slug == slug)
        .order_by(PlanDeck.name)
    )
    return {name: deck for name, deck in rows}


def decks_of_session(db: Session, session_id: int) -> dict[str, Deck]:
    """{name: deck} a session keeps (those its plan named when it opened)."""
    rows = db.execute(
        select(SessionDeck.name, Deck)
        .join(Deck, Deck.id == SessionDeck.deck_id)
        .where(SessionDeck.session_id == session_id)
    )
    return {name: deck for name, deck in rows}


def attach(db: Session, plan_slug: str, name: str, deck: Deck) -> PlanDeck:
    """Let the plan's stages naming ``name`` show ``deck``, replacing the deck of that name
    the plan had. The caller commits (and checks the plan may change: ``stored.editable_row``)."""
    if not is_deck_name(name):
        raise Refused(f"A deck's name must be {DECK_NAME_RULE}.")
    row = db.scalar(select(PlanDeck).where(PlanDeck.plan_slug == plan_slug, PlanDeck.name == name))
    if row is None:
        row = PlanDeck(plan_slug=plan_slug, name=name, deck_id=deck.id)
        db.add(row)
    else:
        row.deck_id = deck.id
    db.flush()
    _remove_unused(db)  # the deck replaced, if nothing else names it
    return row


def detach(db: Session, plan_slug: str, name: str) -> bool:
    """Remove the deck ``name`` from the plan; False if it had none of that name."""
    removed = db.execute(
        delete(PlanDeck).where(PlanDeck.plan_slug == plan_slug, PlanDeck.name == name)
    ).rowcount
    db.flush()
    _remove_unused(db)
    return bool(removed)


def copy_plan_decks(db: Session, from_slug: str, to_slug: str) -> None:
    """Give the plan ``to_slug`` (a new copy, or a plan renamed) the decks of ``from_slug``."""
    for name, deck in decks_of_plan(db, from_slug).items():
        db.add(PlanDeck(plan_slug=to_slug, name=name, deck_id=deck.id))
    db.flush()


def drop_plan_decks(db: Session, slug: str) -> None:
    """Forget the decks of the plan ``slug`` (deleted); their pages go unless a session or
    another plan still shows them."""
    db.execute(delete(PlanDeck).where(PlanDeck.plan_slug == slug))
    db.flush()
    _remove_unused(db)


def _remove_unused(db: Session) -> None:
    # Imported here: the store renders decks (a worker process, its libraries), which
    # nothing that only reads a plan's decks needs.
    from .store import remove_unused_decks

    remove_unused_decks(db)


def preview_view(db: Session, slug: str, stage, image_url) -> dict:
    """What the editor's phone preview adds to a slides stage's view: its pages as a phone
    in a run gets them (``slides``, every page in order), from the stored plan ``slug``'s
    deck, the image of page number n at ``image_url(n)``. Nothing for any other stage."""
    activity = stage.activity
    if not activity.deck:
        return {}
    return {"slides": _preview_pages(db, slug, activity, image_url)}


def _preview_pages(db: Session, slug: str, activity, image_url) -> list[dict]:
    deck = decks_of_plan(db, slug).get(activity.deck) if slug else None
    numbers = page_numbers(activity.pages, deck.page_count) if deck is not None else ()
    if not numbers:
        return [{"error": DECK_MISSING}]
    rows = db.execute(
        select(DeckPage.number, DeckPage.text, DeckPage.phone_width, DeckPage.phone_height)
        .where(DeckPage.deck_id == deck.id, DeckPage.number.in_(numbers))
        .order_by(DeckPage.number)
    )
    return [
        {
            "index": index,
            "of": len(numbers),
            "image": image_url(number),
            "text": text,
            "width": width,
            "height": height,
        }
        for index, (number, text, width, height) in enumerate(rows)
    ]


# Checking a plan's decks ----------------------------------------------------------------


def deck_names(plan: Plan) -> list[str]:
    """The decks the plan's stages name, each once, in the order of the stages."""
    return list(dict.fromkeys(stage.activity.deck for stage in plan.stages if stage.activity.deck))


def _problems(plan: Plan, decks: dict[str, Deck]):
    """(stage number, stage, field, what is wrong) of each slides stage whose deck is not
    in ``decks`` or does not have the pages it shows."""
    for number, stage in enumerate(plan.stages, start=1):
        activity = stage.activity
        if not activity.deck:
            continue
        deck = decks.get(activity.deck)
        if deck is None:
            yield number, stage, "deck", None
        elif activity.pages is not None and activity.pages[1] > deck.page_count:
            yield number, stage, "pages", deck


def _field_lines(source: str) -> dict[tuple[int, str], int]:
    """{(stage number, field): line} of the stages' deck: and pages: fields in ``source``."""
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[tuple[int, str], int] = {}
    if not isinstance(root, MappingNode):
        return lines
    stages = next((v for k, v in root.value if k.value == "stages"), None)
    if not isinstance(stages, SequenceNode):
        return lines
    for number, stage in enumerate(stages.value, start=1):
        if isinstance(stage, MappingNode):
            for key, _value in stage.value:
                if key.value in ("deck", "pages"):
                    lines[(number, key.value)] = key.start_mark.line + 1
    return lines


def _pages(count: int) -> str:
    return f"{count} page{'' if count == 1 else 's'}"


def check_decks(db: Session, plan: Plan) -> list[PlanError]:
    """The problems of the stored plan's slides stages with their decks, worded for its
    editor (where the decks are uploaded): each must be uploaded, with the pages shown."""
    if not deck_names(plan):
        return []
    lines = _field_lines(plan.source)
    errors = []
    for number, stage, name, deck in _problems(plan, decks_of_plan(db, plan.slug)):
        activity = stage.activity
        if deck is None:
            message = (
                f"the deck {activity.deck} is not uploaded yet: upload {activity.deck} below, "
                "under Slide decks"
            )
        else:
            message = (
                f"shows pages {pages_text(activity.pages)}, but {activity.deck} has "
                f"{_pages(deck.page_count)}"
            )
        errors.append(PlanError(lines.get((number, name)), f"stages[{number}].{name}", message))
    return errors


def copy_to_session(
    db: Session, plan: Plan, session: WorkshopSession, origin: str | None = None
) -> None:
    """Give the new ``session`` (flushed, not committed) the decks its plan's stages name:
    the stored plan's, or those of the session ``origin`` (a code) it duplicates, which
    shows what that session showed. Refused, with every transaction change rolled back
    (the session too), when a deck is missing or too short: the room would see nothing."""
    names = deck_names(plan)
    if not names:
        return
    decks = decks_of_plan(db, plan.slug)
    if origin is not None:
        source = db.scalar(select(WorkshopSession.id).where(WorkshopSession.code == origin))
        decks = decks_of_session(db, source) if source is not None else {}
    found = _problems(plan, decks)
    problems = [_session_problem(number, stage, deck) for number, stage, _, deck in found]
    if problems:
        db.rollback()
        raise Refused(" ".join(problems))
    for name in names:
        db.add(SessionDeck(session_id=session.id, name=name, deck_id=decks[name].id))
    db.flush()


def _session_problem(number: int, stage, deck: Deck | None) -> str:
    activity = stage.activity
    where = f"Stage {number} (“{stage.title}”)"
    if deck is None:
        return (
            f"{where} shows the slide deck {activity.deck}, which has not been uploaded: "
            "upload it in the plan's editor, under Slide decks."
        )
    return (
        f"{where} shows pages {pages_text(activity.pages)} of {activity.deck}, which has "
        f"{_pages(deck.page_count)}: correct the stage's pages in the plan's editor."
    )
