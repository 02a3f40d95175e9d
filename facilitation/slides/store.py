"""Decks in the database: added once per file content, read page by page, removed when no
plan or session names them. Callers commit; these only flush (``prepare_deck`` also ends
the caller's transaction before it renders)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from facilitation.db import transaction
from facilitation.models import Deck, DeckPage, PlanDeck, SessionDeck

from .convert import check_size, to_pdf
from .errors import DeckRefused
from .render import RenderedPage, render_pdf


@dataclass(frozen=True)
class Prepared:
    """An uploaded file made ready to keep: its SHA-256, and its rendered pages, or None
    when a deck of the same bytes was kept already (not rendered again)."""

    digest: str
    pages: list[RenderedPage] | None


def prepare_deck(db: Session, data: bytes, filename: str) -> Prepared:
    """Render the file ``data`` (named ``filename`` by the person uploading it), unless a
    deck of the same bytes is kept; ``DeckRefused`` if it cannot be. Ends ``db``'s
    transaction, which must hold no change: rendering takes up to minutes, and a transaction
    kept open that long would fail, on SQLite, to write after anyone else had (and would
    keep the write-ahead log from being emptied meanwhile). ``keep_deck`` follows, in a
    transaction of its own."""
    check_size(data)  # before any work on the bytes, hashing included
    digest = hashlib.sha256(data).hexdigest()
    kept = deck_of(db, digest) is not None
    db.rollback()  # only read: nothing is lost
    if kept:
        return Prepared(digest, None)
    return Prepared(digest, render_pdf(to_pdf(data, filename)))


def keep_deck(db: Session, prepared: Prepared) -> Deck:
    """The deck of a prepared file: the one kept for the same bytes (kept before, or by
    someone who uploaded it while this one rendered), or a new one. In the caller's
    transaction (``db.transaction``: under SQLite's write lock)."""
    deck = deck_of(db, prepared.digest)
    if deck is not None:
        return deck
    if prepared.pages is None:
        # Kept when the upload began, removed since (its last plan dropped it): rare.
        raise DeckRefused(
            gettext("This deck was removed on the server while it uploaded. Upload it again.")
        )
    return insert_deck(db, prepared.digest, prepared.pages)


def add_deck(db: Session, data: bytes, filename: str) -> Deck:
    """``prepare_deck`` then ``keep_deck``, committed (a deck nothing names yet is removed
    at the next ``remove_unused_decks``)."""
    prepared = prepare_deck(db, data, filename)
    with transaction(db):
        try:
            with db.begin_nested():
                return keep_deck(db, prepared)
        except IntegrityError:
            # Someone uploaded the same file while this one rendered: theirs is as good.
            return deck_of(db, prepared.digest)


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
