"""Decks in the database: added once per file content, read page by page, removed when no
plan or session names them. Callers commit; these only flush."""

from __future__ import annotations

import hashlib

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from facilitation.models import Deck, DeckPage, PlanDeck, SessionDeck

from .convert import check_size, to_pdf
from .render import RenderedPage, render_pdf


def add_deck(db: Session, data: bytes, filename: str) -> Deck:
    """The deck of the file ``data`` (named ``filename`` by the person uploading it): the one
    already kept for the same bytes, or a new one rendered now; ``DeckRefused`` if it cannot be.
    """
    check_size(data)  # before any work on the bytes, hashing included
    digest = hashlib.sha256(data).hexdigest()
    deck = deck_of(db, digest)
    if deck is not None:
        return deck
    pages = render_pdf(to_pdf(data, filename))
    try:
        with db.begin_nested():
            return insert_deck(db, digest, pages)
    except IntegrityError:
        # Someone uploaded the same file while this one rendered: theirs is as good.
        return deck_of(db, digest)


def deck_of(db: Session, digest: str) -> Deck | None:
    return db.scalar(select(Deck).where(Deck.sha256 == digest))


def insert_deck(db: Session, digest: str, pages: list[RenderedPage]) -> Deck:
    deck = Deck(sha256=digest, page_count=len(pages))
    db.add(deck)
    db.flush()
    db.add_all(
        DeckPage(
            deck_id=deck.id,
            number=page.number,
            text=page.text,
            projector=page.projector,
            projector_width=page.projector_size[0],
            projector_height=page.projector_size[1],
            phone=page.phone,
            phone_width=page.phone_size[0],
            phone_height=page.phone_size[1],
        )
        for page in pages
    )
    db.flush()
    return deck


def deck_page(db: Session, deck_id: int, number: int) -> DeckPage | None:
    return db.scalar(
        select(DeckPage).where(DeckPage.deck_id == deck_id, DeckPage.number == number)
    )


def remove_unused_decks(db: Session) -> int:
    """Delete the decks (and their pages) no stored plan and no session names; how many."""
    unused = db.scalars(
        select(Deck.id).where(
            Deck.id.not_in(select(PlanDeck.deck_id)),
            Deck.id.not_in(select(SessionDeck.deck_id)),
        )
    ).all()
    if unused:
        db.execute(delete(DeckPage).where(DeckPage.deck_id.in_(unused)))
        db.execute(delete(Deck).where(Deck.id.in_(unused)))
    return len(unused)
