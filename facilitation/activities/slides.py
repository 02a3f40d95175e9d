"""Slides: pages of a deck the facilitator uploaded with the plan; nothing to answer.

The plan names the deck by its file name (``deck: framework.pdf``) and may show only some of
its pages (``pages: 1-4``); each page is one step of the stage. The deck itself is uploaded
in the plan editor and kept with the plan written in the app (``slides/plan_decks.py``): a
plan file on the server cannot hold one (the loader refuses it there, ``keeps_files``).
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext
from yaml.nodes import ScalarNode

from ..plans.reader import NULL, join
from .base import ActivityType

# A deck's name as a plan and the plan editor's upload give it: a plain file name (it is a
# part of the thumbnails' URLs and shown in messages), with the extension of a kind of
# deck the app converts or renders.
DECK_EXTENSIONS = (".pdf", ".pptx", ".ppt", ".odp")
MAX_DECK_NAME = 120  # the width of PlanDeck.name and SessionDeck.name
DECK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_. -]*\.(pdf|pptx|ppt|odp)\Z", re.IGNORECASE)
DECK_NAME_RULE = (
    f"a file name of at most {MAX_DECK_NAME} characters (letters, digits, '-', '_', '.' and "
    f"spaces) ending in {', '.join(DECK_EXTENSIONS)}, like 'framework.pdf'"
)
PAGES = re.compile(r"(\d+)(?:\s*-\s*(\d+))?\Z")
PAGES_RULE = "a page or a range of pages, like 3 or 1-4 (counted from 1)"


def is_deck_name(name: str) -> bool:
    return isinstance(name, str) and len(name) <= MAX_DECK_NAME and bool(DECK_NAME.match(name))


def read_pages(text: str) -> tuple[int, int] | None:
    """``"3"`` gives (3, 3), ``"1-4"`` (1, 4); None for anything else, or a range that
    does not start at 1 or later, or ends before it starts."""
    match = PAGES.match(text.strip())
    if match is None:
        return None
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) is not None else first
    return (first, last) if 1 <= first <= last else None


def pages_text(pages: tuple[int, int]) -> str:
    first, last = pages
    return str(first) if first == last else f"{first}-{last}"


class Slides(ActivityType):
    name = "slides"
    label = lazy_gettext("Slides")
    editor_hint = (
        "Pages of a slide deck uploaded under Slide decks; each press of the big button "
        "shows the next page."
    )
    plan_fields = ("deck", "pages")
    keeps_files = True

    def read_plan(self, reader, fields) -> dict:
        return {"deck": self.read_deck(reader, fields), "pages": self.read_pages(reader, fields)}

    def check(self, reader, fields, *, has_scenarios: bool, has_framework: bool) -> None:
        # Required, but told here, with the stage as a whole: read_plan reads only what is
        # given (for a stage of an unknown type too, to tell what is wrong with it).
        if fields.get("deck") is None:
            reader.error(
                fields.node,
                join(fields.path, "deck"),
                "is required for a slides stage: the deck's file name, like 'framework.pdf'",
            )

    def read_deck(self, reader, fields) -> str:
        if fields.get("deck") is None:
            return ""  # told by check
        name = reader.text(fields, "deck", max_length=MAX_DECK_NAME)
        if name and len(name) <= MAX_DECK_NAME and not is_deck_name(name):
            node = fields.get("deck")[1]
            reader.error(node, join(fields.path, "deck"), f"must be {DECK_NAME_RULE}")
        return name

    def read_pages(self, reader, fields) -> tuple[int, int] | None:
        entry = fields.get("pages")
        if entry is None or entry[1].tag == NULL:
            return None
        node = entry[1]
        pages = read_pages(node.value) if isinstance(node, ScalarNode) else None
        if pages is None:
            reader.error(node, join(fields.path, "pages"), f"must be {PAGES_RULE}")
        return pages

    def stage_view(self, activity) -> dict:
        pages = list(activity.pages) if activity.pages is not None else None
        return {"deck": activity.deck, "pages": pages}


TYPE = Slides()
