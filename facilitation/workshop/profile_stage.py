"""What a profile stage shows: the framework profile (profile.py) as a stage's results.

A profile stage (``ActivityType.from_framework``) has no answers of its own: its results
are the profile of everyone's answers to the plan's framework stages, for the room
(``room_results``, what ``aggregates.stage_results`` gives for it) and per sector or table
(``group_results``, small groups folded and small scores withheld as profile.py does).
A phone asks for its person's own profile (``own_profile``) to mark their scores beside
the room's. Each test and feature carries its stage's title, as the chart and the table
name it. The room's and the groups' profiles are kept while the answers behind them stay
the same (profile_cache.py): the projector's pushes ask for them at every change of the room.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..errors import Refused
from ..models import Participant, WorkshopSession
from ..plans.model import Plan
from .breakouts import effective_tables
from .plan_cache import plan_of
from .profile import Profile, breakdowns, compute_profile, session_answers
from .profile_cache import cached


def profile_results(plan: Plan, profile: Profile) -> dict:
    """``profile`` as a stage's results: ``Profile.as_json()`` with each test's and
    feature's stage ``title`` and ``answered``, the people behind the profile."""
    results = profile.as_json()
    for entry in (*results["tests"], *results["features"]):
        entry["title"] = plan.stage(entry["stage"]).title
    results["answered"] = profile.n
    return results


def room_results(db: Session, session: WorkshopSession) -> dict:
    """The room's profile as the stage's results; only ``answered`` (0) for a session
    whose plan declares no framework (the plan reader refuses such a profile stage)."""
    plan = plan_of(session)
    if plan.framework is None:
        return {"answered": 0}
    room = cached(
        db,
        session,
        "room",
        lambda: session_answers(db, session),
        lambda people: compute_profile(plan, people),
    )
    return profile_results(plan, room)


def group_results(
    db: Session, session: WorkshopSession, breakdown: str, names: list[str]
) -> tuple[list[dict], dict | None] | None:
    """The profile per sector or per table as ``aggregates.grouped_results`` gives a
    stage's groups (``names``: the breakdown's groups in order), with the note on the
    groups folded away; None without a framework."""
    plan = plan_of(session)
    if plan.framework is None:
        return None
    names_of = {"sector": list(plan.sectors), "table": effective_tables(session)}
    names_of[breakdown] = list(names)
    sectors, tables = tuple(names_of["sector"]), tuple(names_of["table"])
    by_sector, by_table = cached(
        db,
        session,
        ("breakdowns", sectors, tables),
        lambda: session_answers(db, session),
        lambda people: breakdowns(plan, people, sectors, tables),
    )
    chosen = by_sector if breakdown == "sector" else by_table
    groups = []
    for group in chosen.groups:
        results = profile_results(plan, group.profile)
        found = {
            "key": group.key,
            "label": group.label,
            "answered": results["answered"],
            "results": results,
        }
        if group.other:
            found["other"] = True
        groups.append(found)
    return groups, chosen.folded


def own_profile(db: Session, session: WorkshopSession, participant_id: int) -> dict:
    """One participant's own profile (their own scores; its intervals say nothing of
    one person), for their phone to mark beside the room's. Refused to a participant who
    has withdrawn (their answers are gone) and in a session without a framework."""
    person = db.get(Participant, participant_id)
    if person is None or person.session_id != session.id or person.withdrawn_at is not None:
        raise Refused("You have withdrawn from this session, so you have no answers to show.")
    plan = plan_of(session)
    if plan.framework is None:
        raise Refused("This session's plan declares no framework, so it has no profile.")
    mine = session_answers(db, session, participant_id)
    # One person: a single resample gives the same (empty) interval as two thousand.
    return profile_results(plan, compute_profile(plan, mine, resamples=1))
