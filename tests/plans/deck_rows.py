"""Rendered decks made directly in the database, as ``slides/store.py`` would keep them: the
plan tests need a deck's rows, not a PDF rendered in a worker process."""

from __future__ import annotations

import hashlib
import io
from itertools import count

from PIL import Image

from facilitation.models import Deck, DeckPage

_numbers = count(1)


def webp(colour: str = "navy", size: tuple[int, int] = (64, 36)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "WEBP")
    return out.getvalue()


def insert_deck(db, pages: int = 6) -> Deck:
    """A deck of ``pages`` pages (flushed), each page's text saying its number."""
    digest = hashlib.sha256(f"deck {next(_numbers)}".encode()).hexdigest()
    deck = Deck(sha256=digest, page_count=pages)
    db.add(deck)
    db.flush()
    image = webp()
    db.add_all(
        DeckPage(
            deck_id=deck.id,
            number=number,
            text=f"Page {number}",
            projector=image,
            projector_width=64,
            projector_height=36,
            phone=image,
            phone_width=64,
            phone_height=36,
        )
        for number in range(1, pages + 1)
    )
    db.flush()
    return deck
