"""Decks in the database: one per file content, pages as rendered, removed when unused."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from facilitation.models import Deck, DeckPage, PlanDeck, SessionDeck
from facilitation.slides import store
from facilitation.slides.convert import MAX_BYTES
from facilitation.slides.errors import DeckRefused
from facilitation.slides.store import add_deck, deck_page, remove_unused_decks
from tests.slides import pdfs


def count(db, table) -> int:
    return db.scalar(select(func.count()).select_from(table))


def test_a_deck_is_kept_with_its_pages_text_and_image_sizes(db):
    data = pdfs.pdf_with_pages(5)
    deck = add_deck(db, data, "framework.pdf")
    db.commit()
    assert deck.sha256 == hashlib.sha256(data).hexdigest()
    assert deck.page_count == 5
    assert count(db, DeckPage) == 5
    page = deck_page(db, deck.id, 3)
    assert page.text == "Slide 3 title\nBody of slide 3"
    assert (page.projector_width, page.projector_height) == (1920, 1080)
    assert (page.phone_width, page.phone_height) == (800, 450)
    assert page.projector[8:12] == b"WEBP" and page.phone[8:12] == b"WEBP"
    assert deck_page(db, deck.id, 6) is None
    assert deck_page(db, deck.id + 1, 1) is None


def test_the_same_bytes_twice_are_one_deck_rendered_once(db, monkeypatch):
    data = pdfs.pdf_with_pages(2)
    first = add_deck(db, data, "a.pdf")
    db.commit()
    monkeypatch.setattr(store, "render_pdf", lambda pdf: pytest.fail("rendered again"))
    second = add_deck(db, data, "renamed.pdf")
    assert second.id == first.id
    assert count(db, Deck) == 1 and count(db, DeckPage) == 2


def test_an_oversized_file_is_refused_before_any_work(db, monkeypatch):
    monkeypatch.setattr(store, "render_pdf", lambda pdf: pytest.fail("rendered"))
    monkeypatch.setattr(store.hashlib, "sha256", lambda data: pytest.fail("hashed"))
    with pytest.raises(DeckRefused) as refused:
        add_deck(db, pdfs.oversized_pdf(MAX_BYTES + 1024 * 1024), "huge.pdf")
    assert "This file is 51 MB; a deck can be at most 50 MB." in refused.value.message
    assert count(db, Deck) == 0


def test_a_refused_deck_leaves_nothing_behind(db):
    with pytest.raises(DeckRefused):
        add_deck(db, pdfs.encrypted_pdf(), "locked.pdf")
    db.commit()
    assert count(db, Deck) == 0 and count(db, DeckPage) == 0


def test_a_pptx_is_kept_by_the_digest_of_the_file_uploaded(db, soffice):
    data = pdfs.pptx_with_slides(5)
    deck = add_deck(db, data, "talk.pptx")
    assert deck.sha256 == hashlib.sha256(data).hexdigest()
    assert deck.page_count == 5
    assert "Slide 5 title" in deck_page(db, deck.id, 5).text


def test_unused_decks_are_removed_and_named_ones_kept(db, workshop):
    for_plan = add_deck(db, pdfs.pdf_with_pages(1), "plan.pdf")
    for_session = add_deck(db, pdfs.pdf_with_pages(2), "session.pdf")
    unused = add_deck(db, pdfs.pdf_with_pages(3), "unused.pdf")
    db.add(PlanDeck(plan_slug="my-plan", name="plan.pdf", deck_id=for_plan.id))
    db.add(SessionDeck(session_id=workshop.session_id, name="s.pdf", deck_id=for_session.id))
    db.commit()
    assert remove_unused_decks(db) == 1
    db.commit()
    assert set(db.scalars(select(Deck.id))) == {for_plan.id, for_session.id}
    assert set(db.scalars(select(DeckPage.deck_id))) == {for_plan.id, for_session.id}
    assert deck_page(db, unused.id, 1) is None
    assert remove_unused_decks(db) == 0


def test_a_deck_uploaded_twice_at_once_is_kept_once(db, monkeypatch):
    """The second upload finds no deck when it starts, renders, and meets the first one's
    row when it inserts: it gives that deck, and the session goes on."""
    data = pdfs.pdf_with_pages(1)
    first = add_deck(db, data, "a.pdf")
    looks = []

    def not_yet(db, digest):
        looks.append(digest)
        return None if len(looks) == 1 else db.scalar(select(Deck).where(Deck.sha256 == digest))

    monkeypatch.setattr(store, "deck_of", not_yet)
    assert add_deck(db, data, "a.pdf").id == first.id
    db.commit()
    assert count(db, Deck) == 1 and count(db, DeckPage) == 1
