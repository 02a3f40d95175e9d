"""Which pages a running session's slides stage shows: the deck the session's plan named
when it opened (``SessionDeck``, never a later upload) and the stage's page range.

A stage is a slides stage when its activity names a deck (``Activity.deck``). The range is
checked against the deck as it was rendered: a plan edited against one deck and run with
another (or a database changed by hand) never shows a page that is not there. A deck that
is missing altogether gives ``None``: the room is told so, nothing fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from flask_babel import lazy_gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Deck, DeckPage, SessionDeck, WorkshopSession
from ..plans.model import Stage

# What the room is told when a stage's deck cannot be found (a hostile or damaged database).
DECK_MISSING = lazy_gettext("This stage's slides are missing. Go on to the next stage.")


@dataclass(frozen=True)
class StagePages:
    """A slides stage's pages in a session: its deck's id and the deck's page numbers it
    shows, in order (index 0 is the stage's first page)."""

    deck_name: str
    deck_id: int
    numbers: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.numbers)

    def number(self, index: int) -> int | None:
        """The deck's page number at ``index`` of the stage, or None past either end."""
        return self.numbers[index] if 0 <= index < len(self.numbers) else None


class PageFacts(NamedTuple):
    """What a page's view needs of its row: its text and one image's size."""

    text: str
    width: int
    height: int


def is_slides(stage: Stage) -> bool:
    return bool(stage.activity.deck)


def page_numbers(pages: tuple[int, int] | None, page_count: int) -> tuple[int, ...]:
    """The deck's page numbers a range shows: ``None`` is every page; a range is clamped to
    the deck (a last page past its end stops at its end; a range outside it is empty)."""
    first, last = pages if pages is not None else (1, page_count)
    first, last = max(1, first), min(last, page_count)
    return tuple(range(first, last + 1))


def stage_pages(db: Session, session: WorkshopSession, stage: Stage) -> StagePages | None:
    """The pages of ``stage`` in ``session``; None if it is no slides stage, or its deck is
    missing or shows no page."""
    if not is_slides(stage):
        return None
    cache = _cache(db)
    key = (session.id, stage.key)
    if key not in cache:
        found = _resolve(db, session, stage)
        if found is None:
            return None  # not kept: the session's decks may be stored later in this request
        cache[key] = found
    return cache[key]


def _resolve(db: Session, session: WorkshopSession, stage: Stage) -> StagePages | None:
    row = db.execute(
        select(Deck.id, Deck.page_count)
        .join(SessionDeck, SessionDeck.deck_id == Deck.id)
        .where(SessionDeck.session_id == session.id, SessionDeck.name == stage.activity.deck)
    ).first()
    if row is None:
        return None
    numbers = page_numbers(stage.activity.pages, row.page_count)
    if not numbers:
        return None
    return StagePages(stage.activity.deck, row.id, numbers)


def _cache(db: Session) -> dict:
    """Resolved stages, kept on the database session: a session's decks never change once
    it opened, and a database session lives for one request or one push."""
    return db.info.setdefault("slides.stage_pages", {})


def page_image(db: Session, pages: StagePages, index: int, audience: str) -> bytes | None:
    """The WebP image for ``audience`` ("projector" or "phone") of the page at ``index`` of
    the stage, or None (outside the stage, or a page row that is missing). Only that one
    image is read: a room of phones each fetching a page must not read the projector's."""
    number = pages.number(index)
    if number is None:
        return None
    return db.scalar(
        select(getattr(DeckPage, audience)).where(
            DeckPage.deck_id == pages.deck_id, DeckPage.number == number
        )
    )


def page_text(db: Session, pages: StagePages, index: int) -> str:
    """The text layer of the page at ``index`` (what the transcript records), without
    loading its images."""
    number = pages.number(index)
    text = db.scalar(
        select(DeckPage.text).where(DeckPage.deck_id == pages.deck_id, DeckPage.number == number)
    )
    return text or ""


def page_facts(db: Session, pages: StagePages, index: int, audience: str) -> PageFacts | None:
    """The text and the ``audience`` ("projector" or "phone") image's size of the page at
    ``index``, in one read, or None if it is missing; the images themselves stay unloaded."""
    row = db.execute(
        select(
            DeckPage.text,
            getattr(DeckPage, f"{audience}_width"),
            getattr(DeckPage, f"{audience}_height"),
        ).where(DeckPage.deck_id == pages.deck_id, DeckPage.number == pages.number(index))
    ).first()
    return PageFacts(row[0] or "", row[1], row[2]) if row is not None else None
