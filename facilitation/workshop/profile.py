"""The framework profile of a scenario: its tests, its features and its acceptability score.

From each participant's answers to the stages the plan's ``framework:`` names (plans/
framework.py), for the room and for each sector and table:

- a test (a traffic light stage): a person's score is the mean over the test's items they
  lit of met 100, partly 50, not met 0; the test's score is the mean over people, and its
  shares of met, partly and not met weigh each person as one, split over their items (so
  score = 100 x met + 50 x partly, exactly);
- a feature (a rating stage's questions): a person's score is the mean over the questions
  they rated of (rating - min) / (max - min) x 100 on the stage's scale; the feature's score
  is the mean over people, with their median and interquartile range;
- the acceptability score: the mean of the feature scores, defined once every feature has
  a score;
- each score with a 95 % percentile bootstrap interval over participants (``bootstrap``).

Pure functions over plain data (``PersonAnswers``), and ``session_answers`` to read a
session's from the database. The formulas and why: docs/framework.md.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..activities import activity_type
from ..models import Answer, Participant, WorkshopSession
from ..plans.model import TRAFFIC_LIGHTS, Plan
from .breakouts import effective_tables
from .plan_cache import plan_of
from .small_groups import (
    NO_GROUP_LABELS,
    OTHER_GROUPS,
    OTHER_KEY,
    fold_crossed,
    fold_note,
    fold_small_groups,
)

LIGHT_SCORES = {"met": 100.0, "partly": 50.0, "not_met": 0.0}
# The bootstrap: resamples, the interval's level, and the seed that makes a report's
# intervals the same each time it is made from the same answers.
RESAMPLES = 2000
LEVEL = 0.95
SEED = 20180605  # any fixed number; changing it changes every published interval
# The kept aggregate that holds a purged session's profile (``session_profile_json``): not
# a stage key, which is only lower-case letters, digits, '-' and '_'.
PROFILE_KEPT_KEY = "framework:profile"


# What goes in ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonAnswers:
    """One participant's answers to the framework's stages, as plain data.

    ``person`` orders the participants (their id in the session), so the bootstrap draws
    the same resamples from the same answers whatever order they came in. ``answers`` maps
    a stage key to that stage's answer by item key: a light ("met", "partly", "not_met")
    for a test, a whole-number rating for a feature.
    """

    person: int
    answers: dict[str, dict[str, object]]
    sector: str | None = None
    table: str | None = None


# What comes out ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A 95 % bootstrap interval (percentile method), on the score's 0-100 scale."""

    low: float
    high: float


@dataclass(frozen=True)
class TestScore:
    """One test: its score 0-100 and the shares (0-1) of met, partly met and not met."""

    __test__ = False  # not a pytest test class, whatever its name

    stage: str
    n: int  # people who lit at least one of its items
    score: float | None  # None when nobody answered, or withheld (``withheld``)
    interval: Interval | None
    shares: dict[str, float] = field(default_factory=dict)  # by light, in TRAFFIC_LIGHTS order
    withheld: bool = False  # a breakdown's group too small for this number (small_groups)


@dataclass(frozen=True)
class FeatureScore:
    """One feature: the mean of people's scores 0-100, their median and spread."""

    stage: str
    n: int  # people who rated at least one of its questions
    score: float | None
    interval: Interval | None
    median: float | None = None
    q1: float | None = None  # lower quartile of people's scores
    q3: float | None = None  # upper quartile
    withheld: bool = False

    @property
    def spread(self) -> float | None:
        """The interquartile range of people's scores (q3 - q1)."""
        return None if self.q1 is None else self.q3 - self.q1


@dataclass(frozen=True)
class Acceptability:
    """The mean of the feature scores, 0-100: None until every feature has a score."""

    n: int  # people who rated at least one question of any feature
    score: float | None
    interval: Interval | None
    withheld: bool = False


@dataclass(frozen=True)
class Profile:
    n: int  # people with at least one answer to the framework's stages
    tests: tuple[TestScore, ...]
    features: tuple[FeatureScore, ...]
    acceptability: Acceptability

    def as_json(self) -> dict:
        """Plain JSON-ready data (each feature's ``spread`` included)."""
        data = asdict(self)
        for feature, out in zip(self.features, data["features"], strict=True):
            out["spread"] = feature.spread
        return data


@dataclass(frozen=True)
class GroupProfile:
    key: str | None  # the sector's or table's name; None: people without one; OTHER_KEY
    label: str
    profile: Profile
    other: bool = False  # the folded "Other groups"


@dataclass(frozen=True)
class Breakdown:
    """The profile per sector or per table, small groups folded (small_groups.py), with the
    console's note on what was folded (``fold_note``; None when every group shows)."""

    by: str  # "sector" or "table"
    groups: tuple[GroupProfile, ...]
    folded: dict | None


@dataclass(frozen=True)
class SessionProfile:
    room: Profile
    by_sector: Breakdown
    by_table: Breakdown


# The numbers ---------------------------------------------------------------------------------


def quantile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile of ``values`` by linear interpolation between the sorted values
    (R's type 7, numpy's default; the rating summaries' own quartiles)."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _test_items(plan: Plan, key: str) -> tuple[str, ...]:
    return tuple(item.key for item in plan.stage(key).activity.items)


def _light_part(answer: dict, items: tuple[str, ...]) -> tuple[float, dict[str, float]] | None:
    """A person's score on a test and their weight (1 in all) split over the lights."""
    lights = [answer[key] for key in items if answer.get(key) in LIGHT_SCORES]
    if not lights:
        return None
    share = {light: lights.count(light) / len(lights) for light in TRAFFIC_LIGHTS}
    return _mean([LIGHT_SCORES[light] for light in lights]), share


def _feature_scorer(plan: Plan, feature) -> Callable[[dict], float | None]:
    """A person's score on a feature from their answer: their ratings of its questions
    on 0-100, averaged (the scale looked up once, not once per person)."""
    scale = plan.stage(feature.stage).activity.scale
    low, width, questions = scale.min, scale.max - scale.min, feature.questions

    def score(answer: dict) -> float | None:
        ratings = [answer[key] for key in questions if isinstance(answer.get(key), int)]
        return _mean([(rating - low) / width * 100 for rating in ratings])

    return score


@dataclass(frozen=True)
class _Columns:
    """Each person's part of every statistic, one column per test and feature (None where
    the person gave no answer to it): what the bootstrap resamples."""

    tests: list[list[float | None]]
    shares: list[list[dict[str, float] | None]]
    features: list[list[float | None]]


def _columns(plan: Plan, people: Sequence[PersonAnswers]) -> _Columns:
    framework = plan.framework
    tests, shares = [], []
    for key in framework.tests:
        items = _test_items(plan, key)
        parts = [_light_part(p.answers.get(key) or {}, items) for p in people]
        tests.append([part[0] if part else None for part in parts])
        shares.append([part[1] if part else None for part in parts])
    features = []
    for feature in framework.features:
        score = _feature_scorer(plan, feature)
        features.append([score(p.answers.get(feature.stage) or {}) for p in people])
    return _Columns(tests, shares, features)


def _statistics(columns: _Columns, picks: Sequence[int]) -> list[float | None]:
    """Every score of the profile for the people at ``picks`` (a person may come twice):
    each test's, each feature's, then the acceptability score."""
    scores = []
    for column in (*columns.tests, *columns.features):
        scores.append(_mean([v for v in (column[i] for i in picks) if v is not None]))
    feature_scores = scores[len(columns.tests) :]
    complete = feature_scores and all(score is not None for score in feature_scores)
    scores.append(_mean(feature_scores) if complete else None)
    return scores


# Resampling: one resample is one row of weights (how often each person was drawn), and
# every score of a row is a weighted mean, so a block of rows is two matrix products. In
# pure Python a room of 20,000 took minutes; this takes about a second.
_BLOCK = 128  # resamples per block: 128 x 20,000 weights is 20 MB


def _draw(rng: np.random.Generator, count: int) -> np.ndarray:
    """One resample of ``count`` people with replacement, as each person's weight:
    ``rng.integers(0, count, size=count)`` counted per person."""
    return np.bincount(rng.integers(0, count, size=count), minlength=count)


def _matrix(columns: _Columns) -> tuple[np.ndarray, np.ndarray]:
    """The columns of tests and features as values (0 where missing) and a 0/1 mask."""
    rows = [*columns.tests, *columns.features]
    mask = np.array([[v is not None for v in row] for row in rows], dtype=float).T
    values = np.array([[v or 0.0 for v in row] for row in rows], dtype=float).T
    return values, mask


def _resampled(columns: _Columns, matrix, weights: np.ndarray) -> np.ndarray:
    """``_statistics`` for each row of ``weights``: one row of scores per resample, NaN
    where a score has nobody behind it. ``matrix``: ``_matrix(columns)``."""
    values, mask = matrix
    weights = weights.astype(float)
    width = len(columns.tests) + len(columns.features)
    if not len(values):
        return np.full((len(weights), width + 1), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = (weights @ values) / (weights @ mask)
    features = scores[:, len(columns.tests) :]
    if features.shape[1]:
        acceptability = features.mean(axis=1)  # NaN unless every feature has a score
    else:
        acceptability = np.full(len(weights), np.nan)
    return np.column_stack([scores, acceptability])


def _intervals(drawn: np.ndarray) -> list[Interval | None]:
    """The percentile interval of each column of ``drawn``, leaving out its NaNs."""
    tail = (1 - LEVEL) / 2
    found = []
    for column in drawn.T:
        values = column[~np.isnan(column)]
        if not len(values):
            found.append(None)
            continue
        low, high = np.quantile(values, [tail, 1 - tail])  # linear: R's type 7
        found.append(Interval(float(low), float(high)))
    return found


def bootstrap(
    columns: _Columns, count: int, *, resamples: int = RESAMPLES, seed: int = SEED
) -> list[Interval | None]:
    """The percentile interval of each of ``_statistics``, over ``resamples`` resamples of
    the ``count`` people (in their fixed order): resample after resample, each draws
    ``count`` of them with replacement, ``rng.integers(0, count, size=count)`` from
    ``numpy.random.default_rng(seed)``. A resample in which a score has nobody behind it
    is left out of that score's interval; None when no resample has one."""
    width = len(columns.tests) + len(columns.features) + 1
    if count == 0:
        return [None] * width
    rng = np.random.default_rng(seed)
    matrix = _matrix(columns)
    blocks = []
    for start in range(0, resamples, _BLOCK):
        weights = np.array([_draw(rng, count) for _ in range(min(_BLOCK, resamples - start))])
        blocks.append(_resampled(columns, matrix, weights))
    return _intervals(np.vstack(blocks))


def compute_profile(
    plan: Plan,
    people: Sequence[PersonAnswers],
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> Profile:
    """The profile of ``people``'s answers to the framework of ``plan`` (which must have
    one). People without an answer to any of its stages are left out."""
    framework = plan.framework
    if framework is None:
        raise ValueError(f"the plan '{plan.slug}' declares no framework")
    keys = framework.stage_keys
    people = sorted(
        (p for p in people if any(p.answers.get(key) for key in keys)), key=lambda p: p.person
    )
    columns = _columns(plan, people)
    point = _statistics(columns, range(len(people)))
    intervals = bootstrap(columns, len(people), resamples=resamples, seed=seed)
    tests = []
    for index, key in enumerate(framework.tests):
        given = [share for share in columns.shares[index] if share is not None]
        shares = {light: _mean([s[light] for s in given]) for light in TRAFFIC_LIGHTS}
        tests.append(
            TestScore(
                stage=key,
                n=len(given),
                score=point[index],
                interval=intervals[index],
                shares=shares if given else {},
            )
        )
    features = []
    for index, feature in enumerate(framework.features):
        at = len(framework.tests) + index
        scores = [s for s in columns.features[index] if s is not None]
        features.append(
            FeatureScore(
                stage=feature.stage,
                n=len(scores),
                score=point[at],
                interval=intervals[at],
                median=quantile(scores, 0.5),
                q1=quantile(scores, 0.25),
                q3=quantile(scores, 0.75),
            )
        )
    rated = sum(1 for i in range(len(people)) if any(c[i] is not None for c in columns.features))
    acceptability = Acceptability(n=rated, score=point[-1], interval=intervals[-1])
    return Profile(len(people), tuple(tests), tuple(features), acceptability)


# By sector and by table ------------------------------------------------------------------


def _display_order(names: Sequence[str], found: set) -> list:
    """``names`` someone is in, then any others by name, then None (no group)."""
    known = [name for name in names if name in found]
    others = sorted(name for name in found if name is not None and name not in names)
    return known + others + ([None] if None in found else [])


def _withhold(
    groups: list[GroupProfile], min_size: int, *, total_shown: bool = True
) -> list[GroupProfile]:
    """Each score of the groups passed through the fold rule on its own: a score behind
    fewer than ``min_size`` people is withheld, and so is the next smallest where the room
    minus the groups shown would give those few away (``fold_small_groups``; with
    ``total_shown`` false, when no total over the groups is shown, only the small)."""

    def kept(scores: list, make: Callable) -> list:
        shown = fold_small_groups(
            list(range(len(scores))), lambda i: scores[i].n, min_size, total_shown=total_shown
        ).shown
        return [
            score if i in shown or not score.n else make(score) for i, score in enumerate(scores)
        ]

    def hide_test(score: TestScore) -> TestScore:
        return TestScore(score.stage, score.n, None, None, {}, withheld=True)

    def hide_feature(score: FeatureScore) -> FeatureScore:
        return FeatureScore(score.stage, score.n, None, None, withheld=True)

    def hide_acceptability(score: Acceptability) -> Acceptability:
        return Acceptability(score.n, None, None, withheld=True)

    profiles = [group.profile for group in groups]
    tests = [kept([p.tests[i] for p in profiles], hide_test) for i in range(len(profiles[0].tests))]
    features = [
        kept([p.features[i] for p in profiles], hide_feature)
        for i in range(len(profiles[0].features))
    ]
    acceptability = kept([p.acceptability for p in profiles], hide_acceptability)
    # The acceptability score is the mean of the feature scores: shown beside the others,
    # it would give a withheld feature's score away (5 x mean - the four shown).
    for g in range(len(groups)):
        if any(column[g].withheld for column in features) and not acceptability[g].withheld:
            acceptability[g] = hide_acceptability(acceptability[g])
    return [
        GroupProfile(
            group.key,
            group.label,
            Profile(
                group.profile.n,
                tuple(column[g] for column in tests),
                tuple(column[g] for column in features),
                acceptability[g],
            ),
            group.other,
        )
        for g, group in enumerate(groups)
    ]


def breakdowns(
    plan: Plan,
    people: Sequence[PersonAnswers],
    sectors: Sequence[str],
    tables: Sequence[str],
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> tuple[Breakdown, Breakdown]:
    """The profile per sector and per table (``sectors`` and ``tables`` in display order).

    Groups are folded as every breakdown's are (workshop/small_groups.py): by the people
    behind the profile (who answered any of the framework's stages), both breakdowns
    crossed, so that switching between them gives nothing away; small groups go into
    "Other groups". Then each score of the groups shown is folded on its own by how many
    people are behind it (``_withhold``): a group of five where two lit a test shows the
    rest of its profile but not that test.
    """
    keys = plan.framework.stage_keys
    people = [p for p in people if any(p.answers.get(key) for key in keys)]
    cells: dict[tuple, int] = {}
    for p in people:
        cells[(p.sector, p.table)] = cells.get((p.sector, p.table), 0) + 1
    rows = _display_order(sectors, {s for s, _ in cells})
    columns = _display_order(tables, {t for _, t in cells})
    by_sector, by_table = fold_crossed(cells, rows, columns, plan.min_group_size)

    def breakdown(by: str, fold, group_of: Callable[[PersonAnswers], str | None]) -> Breakdown:
        def label(key) -> str:
            return key if key is not None else NO_GROUP_LABELS[by]

        def profile_of(members) -> Profile:
            return compute_profile(plan, members, resamples=resamples, seed=seed)

        groups = [
            GroupProfile(key, label(key), profile_of([p for p in people if group_of(p) == key]))
            for key in fold.shown
        ]
        if fold.other_shown:
            members = [p for p in people if group_of(p) in fold.folded]
            groups.append(GroupProfile(OTHER_KEY, OTHER_GROUPS, profile_of(members), True))
        if groups:
            groups = _withhold(groups, plan.min_group_size)
        across = "tables" if by == "sector" else "sectors"
        return Breakdown(by, tuple(groups), fold_note(fold, label, across))

    return (
        breakdown("sector", by_sector, lambda p: p.sector),
        breakdown("table", by_table, lambda p: p.table),
    )


# From the database -----------------------------------------------------------------------


READ_BATCH = 5000  # answers read at a time (session_answers)


def session_answers(
    db: Session, session: WorkshopSession, participant_id: int | None = None
) -> list[PersonAnswers]:
    """Each participant's answers to the framework's stages of ``session``'s plan, in the
    order they joined (only ``participant_id``'s, if given). A withdrawn participant has
    none: withdrawing deletes their answers (workshop/operations.py ``withdraw``), and their
    row is filtered out here as well; a purged session has no answers left at all."""
    plan = plan_of(session)
    if plan.framework is None:
        return []
    keys = plan.framework.stage_keys
    rows = db.execute(
        select(
            Participant.id,
            Participant.sector,
            Participant.table_key,
            Answer.stage_key,
            Answer.value,
        )
        .join(Participant, Participant.id == Answer.participant_id)
        .where(
            Answer.session_id == session.id,
            Answer.stage_key.in_(keys),
            Participant.withdrawn_at.is_(None),
            *([Answer.participant_id == participant_id] if participant_id is not None else []),
        )
        .order_by(Participant.id)
        .execution_options(stream_results=True, yield_per=READ_BATCH)
    )
    people: dict[int, PersonAnswers] = {}
    stages = {key: plan.stage(key) for key in keys}
    kinds = {key: activity_type(stage.activity.type) for key, stage in stages.items()}
    for batch in rows.partitions():
        for person, sector, table, stage_key, value in batch:
            stage, kind = stages[stage_key], kinds[stage_key]
            # The registry's reading of an answer as (item, label, value) rows, as exports use it.
            value = json.loads(value)
            items = {key: item for key, _, item in kind.export_items(stage.activity, value)}
            found = people.setdefault(person, PersonAnswers(person, {}, sector, table))
            found.answers[stage_key] = items
        # A consultation's 160,000 answers take a second or two to read: under gevent (the
        # server) this lets the loop carry others' votes between batches.
        time.sleep(0)
    return list(people.values())


def session_profile(
    db: Session, session: WorkshopSession, *, resamples: int = RESAMPLES, seed: int = SEED
) -> SessionProfile | None:
    """The room's profile and its breakdowns by sector and by table; None when the
    session's plan declares no framework."""
    plan = plan_of(session)
    if plan.framework is None:
        return None
    people = session_answers(db, session)
    room = compute_profile(plan, people, resamples=resamples, seed=seed)
    by_sector, by_table = breakdowns(
        plan, people, plan.sectors, effective_tables(session), resamples=resamples, seed=seed
    )
    return SessionProfile(room, by_sector, by_table)


# Several sessions pooled, and two groups compared -------------------------------------------


def _as_json(value) -> dict:
    """A dataclass as JSON-ready data, each profile's features with their ``spread``."""
    data = asdict(value)

    def spread(node) -> None:
        if isinstance(node, dict):
            if "q1" in node and "q3" in node and "spread" not in node:
                node["spread"] = None if node["q1"] is None else node["q3"] - node["q1"]
            for child in node.values():
                spread(child)
        elif isinstance(node, list | tuple):
            for child in node:
                spread(child)

    spread(data)
    return data


def session_profile_json(profile: SessionProfile) -> dict:
    """A session's profile and breakdowns as plain data: what a purge keeps of it
    (counts and scores, no one's words; privacy/retention.py) and ``profile.csv`` reads."""
    return _as_json(profile)


def fold_scores(
    groups: Sequence[GroupProfile], min_size: int, *, total_shown: bool = True
) -> list[GroupProfile]:
    """Groups' profiles (a series' sessions, say) with each score folded as a breakdown's
    are: withheld where fewer than ``min_size`` people are behind it, or where the total
    minus the others would give such a score away (unless no total is shown)."""
    return _withhold(list(groups), min_size, total_shown=total_shown)


def pool(groups: Sequence[Sequence[PersonAnswers]]) -> list[PersonAnswers]:
    """The people of several sessions as one group, for a pooled profile.

    Each person must keep an id of their own: the bootstrap orders people by it, and two
    sessions' people under one id would be taken for one person's answers. Participants'
    ids in the database are unique across sessions (``session_answers``); plain data that
    reuses an id across groups is refused (``ValueError``) rather than silently renumbered.
    """
    people: list[PersonAnswers] = []
    seen: set[int] = set()
    for group in groups:
        for person in group:
            if person.person in seen:
                raise ValueError(f"person {person.person} is in more than one group")
            seen.add(person.person)
            people.append(person)
    return people


def pooled_answers(db: Session, sessions: Sequence[WorkshopSession]) -> list[PersonAnswers]:
    """Every participant's answers to the framework's stages across ``sessions`` (those
    with raw data left: a purged session's participants are gone)."""
    return pool([session_answers(db, s) for s in sessions if s.purged_at is None])


def pooled_by_sector(
    plan: Plan, people: Sequence[PersonAnswers], *, resamples: int = RESAMPLES, seed: int = SEED
) -> Breakdown:
    """A pooled group's profile per sector, folded by the same rule as a room's. Tables are
    a session's own (table "A" of one workshop is not table "A" of another), so a pooled
    group is broken down by sector only, and not crossed with tables."""
    without_tables = [dataclasses.replace(person, table=None) for person in people]
    by_sector, _ = breakdowns(
        plan, without_tables, plan.sectors, [], resamples=resamples, seed=seed
    )
    return by_sector


@dataclass(frozen=True)
class Difference:
    """One score of group b minus the same score of group a, with its 95 % interval."""

    part: str  # "test", "feature" or "acceptability"
    stage: str | None  # the test's or feature's stage key; None for the acceptability score
    a: float | None
    b: float | None
    n_a: int
    n_b: int
    difference: float | None  # b - a; None when either has no score
    interval: Interval | None

    @property
    def excludes_zero(self) -> bool | None:
        """Whether the interval lies wholly above or below 0 (None without an interval)."""
        if self.interval is None:
            return None
        return self.interval.low > 0 or self.interval.high < 0


def _answering(plan: Plan, people: Sequence[PersonAnswers]) -> list[PersonAnswers]:
    """The people behind a profile (an answer to any framework stage), in their fixed order."""
    keys = plan.framework.stage_keys
    return sorted(
        (p for p in people if any(p.answers.get(key) for key in keys)), key=lambda p: p.person
    )


def difference(
    plan: Plan,
    a_people: Sequence[PersonAnswers],
    b_people: Sequence[PersonAnswers],
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> tuple[Difference, ...]:
    """Per test, per feature and for the acceptability score: b's score minus a's, with a
    95 % percentile bootstrap interval of the difference.

    The two groups are independent samples (a workshop's professionals, the public online),
    so each is resampled on its own: one ``numpy.random.default_rng(seed)``, and for each
    of the ``resamples`` rounds first a's draw ``rng.integers(0, n_a, size=n_a)``, then b's
    ``rng.integers(0, n_b, size=n_b)``, each group's people in their fixed order (by
    ``person``). A round in which either group has nobody behind a score is left out of
    that score's interval. docs/framework.md gives the formula and why.
    """
    framework = plan.framework
    if framework is None:
        raise ValueError(f"the plan '{plan.slug}' declares no framework")
    a_people, b_people = _answering(plan, a_people), _answering(plan, b_people)
    a_columns, b_columns = _columns(plan, a_people), _columns(plan, b_people)
    a_count, b_count = len(a_people), len(b_people)
    a_point = _statistics(a_columns, range(a_count))
    b_point = _statistics(b_columns, range(b_count))
    intervals: list[Interval | None] = [None] * len(a_point)
    if a_count and b_count:
        rng = np.random.default_rng(seed)
        a_matrix, b_matrix = _matrix(a_columns), _matrix(b_columns)
        blocks = []
        for start in range(0, resamples, _BLOCK):
            rounds = [
                (_draw(rng, a_count), _draw(rng, b_count))
                for _ in range(min(_BLOCK, resamples - start))
            ]
            a_found = _resampled(a_columns, a_matrix, np.array([a for a, _ in rounds]))
            b_found = _resampled(b_columns, b_matrix, np.array([b for _, b in rounds]))
            blocks.append(b_found - a_found)  # NaN where either has nobody behind it
        intervals = _intervals(np.vstack(blocks))

    def counted(columns: _Columns, count: int) -> list[int]:
        each = [sum(v is not None for v in c) for c in (*columns.tests, *columns.features)]
        rated = sum(1 for i in range(count) if any(c[i] is not None for c in columns.features))
        return [*each, rated]

    parts = [("test", key) for key in framework.tests]
    parts += [("feature", feature.stage) for feature in framework.features]
    parts.append(("acceptability", None))
    a_n, b_n = counted(a_columns, a_count), counted(b_columns, b_count)
    found = []
    for index, (part, stage) in enumerate(parts):
        a, b = a_point[index], b_point[index]
        found.append(
            Difference(
                part=part,
                stage=stage,
                a=a,
                b=b,
                n_a=a_n[index],
                n_b=b_n[index],
                difference=None if a is None or b is None else b - a,
                interval=intervals[index],
            )
        )
    return tuple(found)


def profile_from_json(data: dict) -> Profile:
    """A ``Profile`` back from its plain data (``Profile.as_json``, or a kept profile's
    ``room`` or a group's ``profile``)."""

    def interval(found: dict | None) -> Interval | None:
        return None if found is None else Interval(found["low"], found["high"])

    tests = tuple(
        TestScore(
            t["stage"],
            t["n"],
            t["score"],
            interval(t["interval"]),
            dict(t.get("shares") or {}),
            t.get("withheld", False),
        )
        for t in data["tests"]
    )
    features = tuple(
        FeatureScore(
            f["stage"],
            f["n"],
            f["score"],
            interval(f["interval"]),
            f.get("median"),
            f.get("q1"),
            f.get("q3"),
            f.get("withheld", False),
        )
        for f in data["features"]
    )
    found = data["acceptability"]
    acceptability = Acceptability(
        found["n"], found["score"], interval(found["interval"]), found.get("withheld", False)
    )
    return Profile(data["n"], tests, features, acceptability)
