"""A series' framework profiles: professionals in workshops beside the public online.

A series may hold live sessions (a facilitator stepping a room through the plan) and
self-paced runs (a public consultation, ``WorkshopSession.pace == "self"``) of the same
plan. Their people are pooled by kind (``profile.pool``: each participant once, ids
distinct across sessions) and each pool's profile computed as a room's is; then the
difference per test, feature and the acceptability score (the public's minus the
workshops', ``profile.difference``), each pool by sector, and each session's own profile.
Only the first session's plan's framework is compared (the series' plan; comparison.py
orders stages by it too).

The minimum group size (the strictest of the sessions' plans) holds as everywhere:

- a pool's score behind fewer people is withheld, and the difference with it (no total
  over both pools is shown, so nothing subtracts to it);
- by sector, each pool is folded as a room is (``profile.pooled_by_sector``);
- each session's own profile is a group of its pool, whose total is shown: its scores go
  through the same rule as a breakdown's (``profile.fold_scores``), so a small session's
  score cannot be had by subtracting the others from the pool.

A purged session's people are gone: it is in no pool, and its own row is the profile kept
at the purge, if one was (exports/profile_csv.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ..exports.profile_csv import kept_profile
from ..plans.model import Plan
from ..profile_chart import profile_figure
from ..workshop.plan_cache import plan_of
from ..workshop.profile import (
    RESAMPLES,
    Breakdown,
    Difference,
    GroupProfile,
    Profile,
    compute_profile,
    difference,
    fold_scores,
    pool,
    pooled_by_sector,
    profile_from_json,
    session_answers,
)
from ..workshop.profile_cache import cached
from .comparison import SessionColumn, series_min_group_size

LIVE, SELF = "live", "self"


def pace_of(session) -> str:
    """A session's kind: a live workshop, or a self-paced run."""
    return SELF if getattr(session, "pace", LIVE) == SELF else LIVE


@dataclass
class Pool:
    """The people of one kind of session, pooled."""

    pace: str
    columns: list[SessionColumn]
    profile: Profile | None = None  # None without sessions of this kind
    by_sector: Breakdown | None = None
    left_out: list[SessionColumn] = field(default_factory=list)  # purged: people gone
    people: list = field(default_factory=list, repr=False)  # PersonAnswers, pooled


@dataclass
class SessionProfile:
    """One session's own profile as the series shows it (scores folded within its pool)."""

    column: SessionColumn
    pace: str
    profile: Profile | None  # None: purged with nothing kept, or no one answered
    kept: bool = False  # from what a purge kept


@dataclass
class SectorRow:
    """One sector (or "Other groups") of both pools, side by side."""

    label: str
    live: Profile | None
    public: Profile | None


@dataclass
class ProfileComparison:
    plan: Plan
    min_group_size: int
    live: Pool
    public: Pool
    sessions: list[SessionProfile]
    differences: tuple[Difference, ...] = ()
    sectors: list[SectorRow] = field(default_factory=list)
    sector_notes: list[tuple[str, dict]] = field(default_factory=list)  # (pace, fold note)
    figure: dict | None = None
    resamples: int = RESAMPLES

    @property
    def compares(self) -> bool:
        """Both kinds have people behind their profile: the comparison can be made."""
        return bool(
            self.live.profile
            and self.live.profile.n
            and self.public.profile
            and self.public.profile.n
        )

    def title(self, stage: str | None) -> str:
        return self.plan.stage(stage).title if stage else "Acceptability score"


def _pool_withheld(profile: Profile, min_size: int) -> Profile:
    """A pool's profile with each score behind fewer than ``min_size`` people withheld."""
    group = GroupProfile("pool", "pool", profile)
    return fold_scores([group], min_size, total_shown=False)[0].profile


def _difference_withheld(found: Difference, min_size: int) -> Difference:
    if min(found.n_a, found.n_b) >= min_size or found.difference is None:
        return found
    return Difference(found.part, found.stage, None, None, found.n_a, found.n_b, None, None)


def compare_profiles(db: Session, columns: list[SessionColumn]) -> ProfileComparison | None:
    """The series' profiles by kind of session; None when its plan has no framework."""
    if not columns:
        return None
    sessions = [column.session for column in columns]
    plan = plan_of(sessions[0])
    if plan.framework is None:
        return None
    min_size = series_min_group_size(sessions)
    kept = [c.session.id for c in columns if not c.purged]
    kinds = {pace: [c for c in columns if pace_of(c.session) == pace] for pace in (LIVE, SELF)}
    pooled = {pace: [c.session.id for c in mine if not c.purged] for pace, mine in kinds.items()}

    def read() -> dict:
        return {
            column.session.id: session_answers(db, column.session)
            for column in columns
            if column.session.id in kept
        }

    def compute(answers: dict) -> dict:
        """Every bootstrap of the page, from plain data (profile_cache may run it in a
        thread and keeps it while the sessions' answers stay the same)."""
        found = {"own": {sid: compute_profile(plan, people) for sid, people in answers.items()}}
        for pace, ids in pooled.items():
            people = pool([answers[sid] for sid in ids])
            found[pace] = (people, compute_profile(plan, people), pooled_by_sector(plan, people))
        live_people, public_people = found[LIVE][0], found[SELF][0]
        if live_people and public_people:
            found["difference"] = difference(plan, live_people, public_people)
        return found

    heavy = cached(db, sessions, "series-comparison", read, compute)
    pools = {}
    for pace, mine in kinds.items():
        found = Pool(pace, mine, left_out=[c for c in mine if c.purged])
        if mine:
            people, profile, by_sector = heavy[pace]
            found.profile = _pool_withheld(profile, min_size)
            found.by_sector = by_sector
            found.people = people
        pools[pace] = found
    live, public = pools[LIVE], pools[SELF]
    own = _own(db, columns, heavy["own"], min_size)
    comparison = ProfileComparison(plan, min_size, live, public, own)
    if comparison.compares:
        comparison.differences = tuple(
            _difference_withheld(d, min_size) for d in heavy["difference"]
        )
        comparison.sectors = _sectors(plan, live.by_sector, public.by_sector)
        comparison.sector_notes = [
            (pace, pools[pace].by_sector.folded)
            for pace in (LIVE, SELF)
            if pools[pace].by_sector.folded
        ]
        comparison.figure = profile_figure(
            plan,
            [
                (PACE_GROUP_NAMES[LIVE], live.profile),
                (PACE_GROUP_NAMES[SELF], public.profile),
            ],
        )
    else:
        shown = [(s.column.label, s.profile) for s in comparison.sessions if s.profile]
        comparison.figure = profile_figure(plan, shown[: len(SESSION_SLOTS)]) if shown else None
    return comparison


# The names the figure's legend gives the two pools (the page's words are in its template).
PACE_GROUP_NAMES = {LIVE: "Professionals in workshops", SELF: "The public online"}
SESSION_SLOTS = range(8)  # the series' colours: more sessions than that share them


def _own(
    db: Session, columns: list[SessionColumn], profiles: dict, min_size: int
) -> list[SessionProfile]:
    """Each session's own profile, its scores folded among the sessions of its kind."""
    found: dict[int, SessionProfile] = {}
    for pace in (LIVE, SELF):
        groups = []
        for column in (c for c in columns if pace_of(c.session) == pace):
            if column.purged:
                kept = kept_profile(db, column.session)
                profile = profile_from_json(kept["room"]) if kept else None
                found[column.session.id] = SessionProfile(column, pace, profile, kept=True)
            else:
                profile = profiles[column.session.id]
                found[column.session.id] = SessionProfile(column, pace, profile)
            if found[column.session.id].profile is not None:
                groups.append(GroupProfile(column.session.code, column.label, profile))
        by_code = {entry.column.session.code: entry for entry in found.values()}
        for group in fold_scores(groups, min_size) if groups else []:
            by_code[group.key].profile = group.profile
    return [found[column.session.id] for column in columns]


def _sectors(plan: Plan, live: Breakdown, public: Breakdown) -> list[SectorRow]:
    """Both pools' sector groups, in the plan's order of sectors, then any folded group."""
    live_groups = {g.label: g.profile for g in live.groups}
    public_groups = {g.label: g.profile for g in public.groups}
    labels = [g.label for g in live.groups]
    labels += [g.label for g in public.groups if g.label not in labels]
    order = {name: i for i, name in enumerate(plan.sectors)}
    labels.sort(key=lambda label: order.get(label, len(order)))
    return [SectorRow(label, live_groups.get(label), public_groups.get(label)) for label in labels]
