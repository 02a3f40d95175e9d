"""Decks made in the database directly (tiny WebP pages drawn with Pillow, no PDF) and a
live session of a plan with slides stages, for the running session's tests."""

from __future__ import annotations

import io
from textwrap import dedent

from PIL import Image
from sqlalchemy import delete, select

from facilitation.models import Deck, DeckPage, PlanDeck, SessionDeck
from facilitation.plans import parse_plan
from facilitation.workshop import operations
from tests.factories import Run, Workshop

DECK = "framework.pdf"
PAGE_TEXTS = tuple(f"Page {n}: the framework, part {n}" for n in range(1, 7))

# Two slides stages of one six-page deck with a rating between them: pages 1-4, then 5-6.
PLAN = dedent(
    f"""\
    title: Slides between activities
    description: A deck, a rating, the rest of the deck.
    privacy_notice: We keep your answers for 90 days.
    sectors: [Health, Housing]
    stages:
      - key: intro
        title: Introduction
        prompt: The framework, in four pages
        type: slides
        deck: {DECK}
        pages: 1-4
      - key: rate
        title: How clear was that?
        prompt: Rate it
        type: rating
        items: [Clarity]
      - key: more
        title: The rest
        prompt: The five features, and what comes next
        type: slides
        deck: {DECK}
        pages: 5-6
      - key: bye
        title: Thank you
        prompt: That is all
        type: info
        body: Goodbye.
    """
)

# Each page's colour: pages told apart on screenshots.
COLOURS = ((200, 30, 30), (30, 160, 60), (40, 60, 200), (220, 180, 20), (120, 40, 160))


def webp(width: int, height: int, colour=(200, 30, 30)) -> bytes:
    """A plain WebP image of one colour."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "WEBP")
    return buffer.getvalue()


def make_deck(db, texts=PAGE_TEXTS, sha256: str | None = None) -> Deck:
    """A rendered deck with one page per text (16:9 projector images, smaller phone ones)."""
    deck = Deck(sha256=sha256 or f"{len(texts):064d}", page_count=len(texts))
    db.add(deck)
    db.flush()
    for number, text in enumerate(texts, start=1):
        colour = COLOURS[(number - 1) % len(COLOURS)]
        db.add(
            DeckPage(
                deck_id=deck.id,
                number=number,
                text=text,
                projector=webp(160, 90, colour),
                projector_width=160,
                projector_height=90,
                phone=webp(80, 45, colour),
                phone_width=80,
                phone_height=45,
            )
        )
    db.commit()
    return deck


def attach(db, session_id: int, deck: Deck, name: str = DECK) -> None:
    """The session names ``deck`` as ``name`` (what the plan's decks are copied to)."""
    db.add(SessionDeck(session_id=session_id, name=name, deck_id=deck.id))
    db.commit()


def slides_plan(source: str = PLAN):
    return parse_plan(source, "slides-plan")


def store_plan_deck(db, plan, name: str = DECK) -> Deck:
    """A deck uploaded with ``plan`` as ``name`` (what the plan editor keeps): sessions of
    the plan copy it when they open."""
    deck = db.scalar(select(Deck).where(Deck.sha256 == f"{len(PAGE_TEXTS):064d}"))
    deck = deck or make_deck(db)
    if db.scalar(select(PlanDeck).where(PlanDeck.plan_slug == plan.slug)) is None:
        db.add(PlanDeck(plan_slug=plan.slug, name=name, deck_id=deck.id))
        db.commit()
    return deck


class SlidesWorkshop(Workshop):
    """A live session of ``PLAN`` whose deck is stored (unless ``with_deck`` is False)."""

    def __init__(self, app, socketio, source: str = PLAN, *, with_deck: bool = True):
        self.app, self.socketio = app, socketio
        self.plan = slides_plan(source)
        with self.db() as db:
            store_plan_deck(db, self.plan)
            session = operations.create_session(db, self.plan, None)
            self.session_id, self.code = session.id, session.code
            if not with_deck:  # a hostile or damaged database: the session's deck is gone
                db.execute(delete(SessionDeck).where(SessionDeck.session_id == session.id))
                db.commit()
        self.clients = []


class SlidesRun(Run):
    """A self-paced run of ``PLAN`` with its deck stored."""

    def __init__(self, app, socketio, source: str = PLAN, **settings):
        from datetime import timedelta

        from facilitation import clock
        from facilitation.workshop import run_operations
        from facilitation.workshop.runs import RunSettings

        self.app, self.socketio = app, socketio
        self.plan = slides_plan(source)
        with self.db() as db:
            store_plan_deck(db, self.plan)
            session = run_operations.publish_run(
                db,
                self.plan,
                None,
                opens_at=clock.now() - timedelta(hours=1),
                closes_at=clock.now() + timedelta(days=7),
                settings=RunSettings.from_plan(self.plan, **settings),
            )
            self.session_id, self.code = session.id, session.code
        self.clients = []
