"""Validation of what clients send, in one place, with messages a person can read.

Each ``parse_*`` function takes the raw Socket.IO payload and returns clean values or
raises ``Refused``. ``clean_answer`` checks an answer against the stage's activity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..plans.model import TRAFFIC_LIGHTS, Activity, Plan
from .errors import Refused

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
REACTIONS = {"agree": 1, "disagree": -1, "none": 0}
MAX_DISPLAY_NAME = 60


def _mapping(payload) -> dict:
    if not isinstance(payload, dict):
        raise Refused("The message was not understood (expected an object).")
    return payload


def _client_id(payload: dict) -> str:
    client_id = payload.get("client_id")
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise Refused("Each submission needs a client_id of 8 to 64 letters, digits, - or _.")
    return client_id


def _int(payload: dict, name: str) -> int:
    value = payload.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refused(f"'{name}' must be a whole number.")
    return value


def _str(payload: dict, name: str, max_length: int = 80) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        raise Refused(f"'{name}' must be text of 1 to {max_length} characters.")
    return value.strip()


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
    reaction: int  # +1 agree, -1 disagree, 0 take back


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
    if reaction not in REACTIONS:
        raise Refused("'reaction' must be agree, disagree or none.")
    return ReactionPayload(_int(payload, "comment_id"), _client_id(payload), REACTIONS[reaction])


def parse_stage_index(payload) -> int:
    return _int(_mapping(payload), "index")


def parse_comment_id(payload) -> int:
    return _int(_mapping(payload), "comment_id")


def parse_scenario(payload) -> str:
    return _str(_mapping(payload), "scenario")


def clean_comment_text(text: str, max_length: int) -> str:
    text = " ".join(text.split())  # one line: comments are short and shown on a wall
    if not text:
        raise Refused("A comment cannot be empty.")
    if len(text) > max_length:
        raise Refused(f"A comment can be at most {max_length} characters ({len(text)} sent).")
    return text


def clean_display_name(text: str | None) -> str | None:
    text = " ".join((text or "").split())
    if len(text) > MAX_DISPLAY_NAME:
        raise Refused(f"A display name can be at most {MAX_DISPLAY_NAME} characters.")
    return text or None


def clean_answer(activity: Activity, plan: Plan, value: dict) -> dict:
    """The answer in canonical form, or ``Refused`` saying what is wrong with it."""
    cleaner = _ANSWER_CLEANERS.get(activity.type)
    if cleaner is None:
        raise Refused("This stage takes no answers.")
    return cleaner(activity, plan, value)


def _only(value: dict, field: str, shape: str):
    if set(value) != {field}:
        raise Refused(f"The answer must be {{'{field}': {shape}}}.")
    return value[field]


def _item_keys(activity: Activity) -> list[str]:
    return [item.key for item in activity.items]


def _clean_sector(_activity: Activity, plan: Plan, value: dict) -> dict:
    sector = _only(value, "sector", "a sector")
    if sector not in plan.sectors:
        raise Refused("Please choose one of the sectors listed.")
    return {"sector": sector}


def _clean_choice(activity: Activity, _plan: Plan, value: dict) -> dict:
    choices = _only(value, "choices", "a list of options")
    keys = _item_keys(activity)
    if not isinstance(choices, list) or not choices:
        raise Refused("Please choose an option.")
    if any(c not in keys for c in choices) or len(set(choices)) != len(choices):
        raise Refused("That is not one of the options.")
    if not activity.multiple and len(choices) > 1:
        raise Refused("Please choose only one option.")
    return {"choices": sorted(choices, key=keys.index)}


def _clean_keyed(value: dict, field: str, activity: Activity, check) -> dict:
    given = _only(value, field, "an object keyed by item")
    if not isinstance(given, dict) or not given:
        raise Refused("Please answer at least one item.")
    keys = _item_keys(activity)
    unknown = [k for k in given if k not in keys]
    if unknown:
        raise Refused(f"Unknown item: {unknown[0]!r}.")
    return {field: {k: check(given[k]) for k in keys if k in given}}


def _clean_rating(activity: Activity, _plan: Plan, value: dict) -> dict:
    scale = activity.scale

    def check(rating):
        if isinstance(rating, bool) or not isinstance(rating, int) or rating not in scale.points:
            raise Refused(f"A rating must be a whole number from {scale.min} to {scale.max}.")
        return rating

    return _clean_keyed(value, "ratings", activity, check)


def _clean_lights(activity: Activity, _plan: Plan, value: dict) -> dict:
    def check(light):
        if light not in TRAFFIC_LIGHTS:
            raise Refused("Choose met, partly met or not met.")
        return light

    return _clean_keyed(value, "lights", activity, check)


def _clean_ranking(activity: Activity, _plan: Plan, value: dict) -> dict:
    order = _only(value, "order", "a list of every item")
    if (
        not isinstance(order, list)
        or not all(isinstance(key, str) for key in order)
        or sorted(order) != sorted(_item_keys(activity))
    ):
        raise Refused("A ranking must put every item in order, each exactly once.")
    return {"order": order}


_ANSWER_CLEANERS = {
    "sector": _clean_sector,
    "choice": _clean_choice,
    "rating": _clean_rating,
    "traffic_light": _clean_lights,
    "ranking": _clean_ranking,
}
