"""Validation of what clients send, in one place, with messages a person can read.

Each ``parse_*`` function takes the raw Socket.IO payload and returns clean values or
raises ``Refused``. An answer's value is checked by its stage's activity type (``clean``).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

from ..errors import Refused
from ..plans.model import (
    MAX_KEY,
    MAX_STAGES,
    TIMER_MAX_SECONDS,
    TIMER_MIN_SECONDS,
)
from ..text import clean_text
from ..whole_numbers import MAX_ID
from .breakouts import BREAKDOWNS, clean_tables

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# "none" takes a reaction back; "pass" (statements only) is a stored vote of 0.
REACTIONS = {"agree": 1, "disagree": -1, "pass": 0, "none": 0}
MAX_DISPLAY_NAME = 60


# Far above any valid message (a 2,000-character note, 50 table names), far below
# engine.io's 64 KB packet limit (app.py), above which the connection itself is dropped.
MAX_PAYLOAD_CHARS = 8 * 1024
TOO_LARGE = "That message is too large to send; please shorten it."


# Deeper than any valid message (an answer's ``{value: {cells: {item: [x, y]}}}`` is 4).
MAX_PAYLOAD_DEPTH = 8
NOT_UNDERSTOOD = "The message was not understood (expected plain JSON data)."


def size_refusal(payload) -> str | None:
    """Why a payload is refused before any work: too large, nested too deeply, or not
    plain JSON data (NaN and Infinity, which Python's JSON reader lets through, are not)."""
    if _too_deep(payload, MAX_PAYLOAD_DEPTH):
        return NOT_UNDERSTOOD
    try:
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return NOT_UNDERSTOOD
    return TOO_LARGE if len(text) > MAX_PAYLOAD_CHARS else None


def _too_deep(value, depth: int) -> bool:
    """Lists and objects nested more than ``depth`` levels (checked before ``json.dumps``,
    which would recurse through all of them)."""
    if isinstance(value, float) and not math.isfinite(value):
        return True  # answered as not understood either way; this skips the dumps
    if not isinstance(value, dict | list):
        return False
    if depth == 0:
        return True
    children = value.values() if isinstance(value, dict) else value
    return any(_too_deep(child, depth - 1) for child in children)


def _mapping(payload) -> dict:
    if not isinstance(payload, dict):
        raise Refused("The message was not understood (expected an object).")
    return payload


def _client_id(payload: dict) -> str:
    client_id = payload.get("client_id")
    # fullmatch: "$" alone would let a trailing line break through.
    if not isinstance(client_id, str) or not CLIENT_ID.fullmatch(client_id):
        raise Refused("Each submission needs a client_id of 8 to 64 letters, digits, - or _.")
    return client_id


def _int(payload: dict, name: str, low: int, high: int, message: str | None = None) -> int:
    """A whole number from ``low`` to ``high`` (never a float, a boolean or a number the
    database cannot hold: an id of 2**63 overflowed SQLite's integer)."""
    value = payload.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Refused(message or f"'{name}' must be a whole number from {low} to {high}.")
    return value


def _id(payload: dict, name: str) -> int:
    return _int(payload, name, 1, MAX_ID)


def _str(payload: dict, name: str, max_length: int = MAX_KEY) -> str:
    value = payload.get(name)
    if not isinstance(value, str):
        raise Refused(f"'{name}' must be text of 1 to {max_length} characters.")
    value = clean_text(value)
    if not value or len(value) > max_length:
        raise Refused(f"'{name}' must be text of 1 to {max_length} characters.")
    return value


@dataclass(frozen=True)
class AnswerPayload:
    stage: str
    client_id: str
    value: dict


@dataclass(frozen=True)
class CommentPayload:
    stage: str
    client_id: str
    text: str


@dataclass(frozen=True)
class ReactionPayload:
    comment_id: int
    client_id: str
    reaction: int  # +1 agree, -1 disagree, 0 take back (or pass, when ``is_pass``)
    is_pass: bool = False  # statements: seen, and neither agreed nor disagreed


def parse_answer(payload) -> AnswerPayload:
    payload = _mapping(payload)
    value = payload.get("value")
    if not isinstance(value, dict):
        raise Refused("'value' must be an object.")
    return AnswerPayload(_str(payload, "stage"), _client_id(payload), value)


def parse_comment(payload) -> CommentPayload:
    payload = _mapping(payload)
    text = payload.get("text")
    if not isinstance(text, str):
        raise Refused("'text' must be text.")
    return CommentPayload(_str(payload, "stage"), _client_id(payload), text)


def parse_reaction(payload) -> ReactionPayload:
    payload = _mapping(payload)
    reaction = payload.get("reaction")
    if not isinstance(reaction, str) or reaction not in REACTIONS:  # a list is unhashable
        raise Refused("'reaction' must be agree, disagree, pass or none.")
    return ReactionPayload(
        _id(payload, "comment_id"),
        _client_id(payload),
        REACTIONS[reaction],
        is_pass=reaction == "pass",
    )


# The plan loader refuses a plan of more stages; go_to_stage says how many there are.
MAX_STAGE_INDEX = MAX_STAGES - 1


def parse_stage_index(payload) -> int:
    return _int(_mapping(payload), "index", 0, MAX_STAGE_INDEX)


def parse_comment_id(payload) -> int:
    return _id(_mapping(payload), "comment_id")


def parse_scenario(payload) -> str:
    return _str(_mapping(payload), "scenario")


def clean_comment_text(text: str, max_length: int) -> str:
    text = clean_text(text)  # one line: comments are short and shown on a wall
    if not text:
        raise Refused("A comment cannot be empty.")
    if len(text) > max_length:
        raise Refused(f"A comment can be at most {max_length} characters ({len(text)} sent).")
    return text


def clean_display_name(text: str | None) -> str | None:
    text = clean_text(text or "")
    if len(text) > MAX_DISPLAY_NAME:
        raise Refused(f"A display name can be at most {MAX_DISPLAY_NAME} characters.")
    return text or None


# Notes (note-takers and facilitators) ---------------------------------------------------

NOTE_MAX_LENGTH = 2000


@dataclass(frozen=True)
class NotePayload:
    client_id: str
    text: str
    stage: str | None  # None: the current stage
    table: str | None  # None: not tied to one table


def parse_note(payload) -> NotePayload:
    payload = _mapping(payload)
    text = payload.get("text")
    if not isinstance(text, str):
        raise Refused("'text' must be text.")
    stage = payload.get("stage")
    if stage is not None and (not isinstance(stage, str) or not clean_text(stage)):
        raise Refused("'stage' must be a stage key, or left out for the current stage.")
    return NotePayload(
        _client_id(payload), text, clean_text(stage) if stage else None, _table(payload)
    )


def _table(payload: dict) -> str | None:
    """A table's name, or None for "no table"."""
    table = payload.get("table")
    if table is not None and not isinstance(table, str):
        raise Refused("'table' must be a table name, or null for no table.")
    return clean_text(table or "") or None


def parse_note_id(payload) -> int:
    return _id(_mapping(payload), "note_id")


def clean_note_text(text: str, word_limit: int | None = None) -> str:
    """A note as typed, with its line breaks (notes can be lists), trimmed of blank runs."""
    text = clean_text(text, lines=True)
    if not text:
        raise Refused("A note cannot be empty.")
    if len(text) > NOTE_MAX_LENGTH:
        raise Refused(f"A note can be at most {NOTE_MAX_LENGTH} characters ({len(text)} sent).")
    words = len(text.split())
    if word_limit is not None and words > word_limit:
        unit = "word" if word_limit == 1 else "words"
        raise Refused(f"Please keep it to {word_limit} {unit} (you wrote {words}).")
    return text


# Breakout tables and breakdowns (facilitator) ----------------------------------------------


def parse_tables(payload) -> list[str] | None:
    """``{tables: [names]}``; ``{tables: null}`` goes back to the plan's list."""
    payload = _mapping(payload)
    if "tables" not in payload:
        raise Refused("Send 'tables': a list of table names, or null for the plan's list.")
    return clean_tables(payload["tables"])  # tables.py is the one place that knows the limits


def parse_move(payload) -> tuple[str, str | None]:
    """``{pseudonym, table}``: table is a table's name, or null for "no table"."""
    payload = _mapping(payload)
    return _str(payload, "pseudonym", 16), _table(payload)


def parse_breakdown(payload) -> str:
    breakdown = _mapping(payload).get("breakdown")
    if breakdown not in BREAKDOWNS:
        raise Refused("'breakdown' must be room, sector, table or opinion.")
    return breakdown


# Facilitator controls: timer, screen mode, projectors ------------------------------------


def parse_timer_start(payload) -> tuple[int, bool]:
    """``{seconds: 10..3600, auto_close?: bool}`` -> (seconds, auto_close)."""
    payload = _mapping(payload)
    seconds = _int(
        payload,
        "seconds",
        TIMER_MIN_SECONDS,
        TIMER_MAX_SECONDS,
        "A timer runs for 10 seconds to 60 minutes.",
    )
    auto_close = payload.get("auto_close", False)
    if not isinstance(auto_close, bool):
        raise Refused("'auto_close' must be true or false.")
    return seconds, auto_close


def parse_timer_add(payload) -> int:
    """``{seconds?: 1..3600}`` (default 60) -> seconds to add."""
    payload = _mapping(payload)
    if payload.get("seconds") is None:
        return 60
    return _int(payload, "seconds", 1, TIMER_MAX_SECONDS, "Add 1 second to 60 minutes at a time.")


def parse_screen_mode(payload) -> str:
    mode = _mapping(payload).get("mode")
    if not isinstance(mode, str):
        raise Refused("'mode' must be auto, join, question, results, wall or notes, or black.")
    return mode


def parse_flow(payload) -> tuple[str | None, str | None]:
    """``{input?, reveal?}`` -> the session's flow settings (operations.set_flow checks them)."""
    payload = _mapping(payload)
    values = tuple(payload.get(name) for name in ("input", "reveal"))
    if any(value is not None and not isinstance(value, str) for value in values):
        raise Refused("'input' and 'reveal' must be names of flow settings.")
    if values == (None, None):  # nothing to change: no event for the log
        raise Refused("Say which flow setting to change: 'input' or 'reveal'.")
    return values


def parse_stage_key(payload) -> str:
    """``{stage: key}``: the stage a participant asks about (``own_opinion_group``)."""
    return _str(_mapping(payload), "stage")


def parse_pinned_stage(payload) -> str | None:
    """A projector's ``sync {stage?}``: the key of the stage it is pinned to, if any."""
    if not isinstance(payload, dict) or payload.get("stage") in (None, ""):
        return None
    return _str(payload, "stage")
