"""``slides.csv``: the pages of each slides stage (docs/plan-format.md), with their text and
whether the room saw them; and the one place the exports read those pages from.

One row per page of each slides stage in each session: the page's place in the stage
(``index``, from 0), its number in the deck, the deck's name, the page's text layer, and
from the session's log (``slide.shown`` events) whether, when first and how often it was
shown. The pages are those the running session shows (``slides/session_pages.py``: the
stage's range, within the deck). The text comes from the deck the session keeps
(``SessionDeck`` -> ``DeckPage``);
when that deck is gone, from the text the ``slide.shown`` events recorded, so a page
nobody showed then has no text. The text is the facilitator's, not a participant's.

A purge deletes the log, not the decks: a purged session still has its pages and their
text, but whether they were shown is no longer known (empty). ``report.py`` and
``qdpx.py`` read the same pages through ``session_slides``; ``datapackage.py`` describes
every column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import DeckPage, Event, WorkshopSession
from ..plans.model import Plan, Stage
from ..slides import session_pages
from ..workshop.plan_cache import plan_of
from .common import as_sessions, csv_stream, in_log_order, moment

SHOWN = "slide.shown"  # the event a page's showing leaves in the log

COLUMNS = (
    "session",
    "stage",
    "index",
    "page",
    "deck",
    "text",
    "shown",
    "first_shown_at",
    "times_shown",
)


@dataclass(frozen=True)
class SlidePage:
    """One page of a slides stage as one session had it."""

    index: int  # its place among the stage's pages, from 0
    number: int  # its number in the deck, from 1
    text: str | None  # its text layer; None when neither the deck nor the log keeps it
    shown: bool | None  # None: not known any more (the log went with a purge)
    first_shown_at: datetime | None = None
    times_shown: int | None = None


@dataclass
class _Showings:
    """What the log says of one page of a stage: when first shown, how often, and the text
    it was shown with last."""

    first: datetime
    times: int = 0
    text: str | None = None
    first_page: int | None = None  # the stage's first page, as the event counted


def slide_stages(plan: Plan) -> list[Stage]:
    """The plan's slides stages, in the plan's order."""
    return [stage for stage in plan.stages if session_pages.is_slides(stage)]


def has_slides(db: Session | None, sessions: list[WorkshopSession]) -> bool:
    """Whether any of ``sessions`` ran a plan with a slides stage. Read from the plans
    alone, so ``datapackage.json`` (which has no database) says the same."""
    return any(slide_stages(plan_of(session)) for session in sessions)


def session_slides(db: Session, session: WorkshopSession) -> dict[str, list[SlidePage]]:
    """Each slides stage's pages in ``session``, by stage key, in page order; reads the log
    once for every stage."""
    stages = slide_stages(plan_of(session))
    if not stages:
        return {}
    known = session.purged_at is None
    showings = _showings(db, session) if known else {}
    return {
        stage.key: _stage_pages(db, session, stage, showings.get(stage.key, {}), known)
        for stage in stages
    }


def _showings(db: Session, session: WorkshopSession) -> dict[str, dict[int, _Showings]]:
    """The ``slide.shown`` events of ``session``: by stage key and page number."""
    found: dict[str, dict[int, _Showings]] = {}
    for event in in_log_order(db, Event, session, Event.type == SHOWN):
        payload = event.payload if isinstance(event.payload, dict) else {}
        number, index = payload.get("page"), payload.get("index")
        if not event.stage_key or not _whole(number) or number < 1:
            continue  # not a page: nothing to say of it
        page = found.setdefault(event.stage_key, {}).setdefault(number, _Showings(event.at))
        page.times += 1
        text = payload.get("text")
        if isinstance(text, str):
            page.text = text
        if _whole(index) and 0 <= index < number:
            page.first_page = number - index
    return found


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _stage_pages(
    db: Session,
    session: WorkshopSession,
    stage: Stage,
    showings: dict[int, _Showings],
    known: bool,
) -> list[SlidePage]:
    kept = session_pages.stage_pages(db, session, stage)  # the pages the room could see
    if kept is not None:
        first, texts = kept.numbers[0], _deck_texts(db, kept)
    else:  # the deck is gone: the log says which pages were shown, where the stage began
        pages = stage.activity.pages
        firsts = [p.first_page for p in showings.values() if p.first_page is not None]
        first = pages[0] if pages is not None else min(firsts, default=1)
        texts = {}
    found = []
    for number in sorted(set(texts) | set(showings)):
        seen = showings.get(number)
        found.append(
            SlidePage(
                index=number - first,
                number=number,
                text=texts.get(number, seen.text if seen else None),
                shown=(seen is not None) if known else None,
                first_shown_at=seen.first if seen else None,
                times_shown=(seen.times if seen else 0) if known else None,
            )
        )
    return found


def _deck_texts(db: Session, pages: session_pages.StagePages) -> dict[int, str]:
    """The text of each of the stage's pages in its deck, by page number. Only the text is
    read: the images are large and no export has a use for them."""
    rows = db.execute(
        select(DeckPage.number, DeckPage.text).where(
            DeckPage.deck_id == pages.deck_id,
            DeckPage.number.between(pages.numbers[0], pages.numbers[-1]),
        )
    )
    return {number: text or "" for number, text in rows}


# The CSV file ----------------------------------------------------------------------------


def slides_rows(db: Session, sessions) -> Iterator[dict]:
    for session in as_sessions(sessions):
        plan = plan_of(session)
        slides = session_slides(db, session)
        for stage in slide_stages(plan):
            for page in slides.get(stage.key, []):
                yield {
                    "session": session.code,
                    "stage": stage.key,
                    "index": page.index,
                    "page": page.number,
                    "deck": stage.activity.deck,
                    "text": page.text,
                    "shown": page.shown,
                    "first_shown_at": moment(page.first_shown_at),
                    "times_shown": page.times_shown,
                }


def slides_csv(db: Session, sessions) -> Iterator[str]:
    return csv_stream(COLUMNS, slides_rows(db, sessions))
