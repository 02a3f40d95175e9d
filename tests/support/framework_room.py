"""A room that answers every stage of the built-in plan's framework, through the real
operations: for the profile's exports, report and series tests."""

from __future__ import annotations

from itertools import count

from facilitation.plans.model import Plan
from facilitation.workshop import operations, payloads

_ids = count(1)


def answer_framework(
    db, plan: Plan, session_id: int, people: list, lights: list[str], ratings: list[int]
) -> None:
    """Each person lights every test with their light and rates every question of every
    feature with their rating (``lights`` and ``ratings`` go with ``people``, in order)."""
    framework = plan.framework
    for key in framework.tests:
        operations.go_to_stage(db, session_id, plan.stage_index(key))
        operations.open_input(db, session_id)
        items = [item.key for item in plan.stage(key).activity.items]
        for person, light in zip(people, lights, strict=True):
            value = {"lights": dict.fromkeys(items, light)}
            payload = payloads.AnswerPayload(key, f"framework-{next(_ids)}", value)
            operations.record_answer(db, session_id, person.id, payload)
    for feature in framework.features:
        operations.go_to_stage(db, session_id, plan.stage_index(feature.stage))
        operations.open_input(db, session_id)
        for person, rating in zip(people, ratings, strict=True):
            value = {"ratings": dict.fromkeys(feature.questions, rating)}
            payload = payloads.AnswerPayload(feature.stage, f"framework-{next(_ids)}", value)
            operations.record_answer(db, session_id, person.id, payload)


def framework_room(
    db, plan: Plan, session_id: int, sectors: list[str], lights: list[str], ratings: list[int]
) -> list:
    """People of ``sectors`` join the session and answer the framework; the participants."""
    people = [operations.join(db, session_id, sector) for sector in sectors]
    answer_framework(db, plan, session_id, people, lights, ratings)
    return people
