"""A series' sessions side by side: per stage, each session's results and counts.

Stages are matched by key across the sessions' plans (a series holds sessions of one plan,
but the plan may have been edited between sessions): the first session's plan gives the
order and the words, stages only later sessions have come after. A session whose plan
lacks the stage, or asks it with another activity, has no results for it.

The stages of the report's tests and features (traffic lights and ratings: the types'
``framework_part``) are always shown; any other stage is shown once some session has
answers or comments on it, and cards (which ask nothing of people) never. A session whose
raw data was purged contributes the aggregate counts kept at the purge, if any. Each type
draws its own side-by-side figure (``series_figure``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..activities import ActivityType, activity_type
from ..models import Comment, KeptAggregate, Series, WorkshopSession
from ..plans.model import DEFAULT_MIN_GROUP_SIZE, Stage
from ..workshop.aggregates import stage_results
from ..workshop.plan_cache import plan_of
from ..workshop.sessions import participant_counts
from ..workshop.small_groups import fold_small_groups


@dataclass
class SessionColumn:
    """One session of the series, as the comparison names and counts it."""

    session: WorkshopSession
    label: str  # unique within the series: the place (and date, or code, when needed)
    participants: int | None  # None once the raw data was purged

    @property
    def code(self) -> str:
        return self.session.code

    @property
    def purged(self) -> bool:
        return self.session.purged_at is not None


@dataclass
class StageSession:
    """One session's results for one stage (``results`` None: not asked, or nothing kept)."""

    column: SessionColumn
    results: dict | None
    answered: int
    comments: int
    asked: bool  # the session's plan has this stage with the same activity
    # Fewer people answered than the plan's min_group_size: its results are not shown
    # beside the others (workshop/small_groups.py), only how many answered.
    withheld: bool = False


@dataclass
class StageComparison:
    stage: Stage
    sessions: list[StageSession]
    figure: dict | None = None
    themes: list = field(default_factory=list)
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE

    @property
    def activity(self) -> str:
        return self.stage.activity.type

    @property
    def kind(self) -> ActivityType:
        return activity_type(self.stage.activity.type)

    @property
    def answered(self) -> int:
        return sum(s.answered for s in self.sessions)

    @property
    def shown(self) -> list[StageSession]:
        """The sessions whose results are drawn side by side."""
        return [s for s in self.sessions if not s.withheld]

    @property
    def withheld(self) -> list[StageSession]:
        return [s for s in self.sessions if s.withheld]

    @property
    def comments(self) -> int:
        return sum(s.comments for s in self.sessions)


def short_date(day: date | None) -> str:
    return "" if day is None else f"{day.day} {day.strftime('%b %Y')}"


def session_columns(db: Session, sessions: list[WorkshopSession]) -> list[SessionColumn]:
    """The sessions with labels that tell them apart and their participant counts."""
    counts = participant_counts(db, [s.id for s in sessions])
    labels = [s.place or s.code for s in sessions]
    for index, session in enumerate(sessions):
        if labels.count(labels[index]) > 1 and session.held_on is not None:
            labels[index] = f"{labels[index]}, {short_date(session.held_on)}"
    for index, session in enumerate(sessions):
        if labels.count(labels[index]) > 1 and labels[index] != session.code:
            labels[index] = f"{labels[index]} ({session.code})"
    return [
        SessionColumn(
            session=session,
            label=label,
            participants=None if session.purged_at is not None else counts.get(session.id, 0),
        )
        for session, label in zip(sessions, labels, strict=True)
    ]


def compared_stages(sessions: list[WorkshopSession]) -> list[Stage]:
    """Every stage worth comparing, in the first plan's order, then any added later."""
    stages: dict[str, Stage] = {}
    for session in sessions:
        for stage in plan_of(session).stages:
            compared = activity_type(stage.activity.type).asks_people
            if compared and stage.key not in stages:
                stages[stage.key] = stage
    return list(stages.values())


def _comment_counts(db: Session, session_ids: list[int]) -> dict[tuple[int, str], int]:
    """Visible comments per (session, stage), in one grouped query."""
    if not session_ids:
        return {}
    rows = db.execute(
        select(Comment.session_id, Comment.stage_key, func.count())
        .where(Comment.session_id.in_(session_ids), Comment.hidden.is_(False))
        .group_by(Comment.session_id, Comment.stage_key)
    ).all()
    return {(session_id, stage_key): n for session_id, stage_key, n in rows}


def _kept(db: Session, session_ids: list[int]) -> dict[tuple[int, str], dict]:
    if not session_ids:
        return {}
    rows = db.execute(
        select(KeptAggregate.session_id, KeptAggregate.stage_key, KeptAggregate.results).where(
            KeptAggregate.session_id.in_(session_ids)
        )
    ).all()
    return {(session_id, stage_key): results for session_id, stage_key, results in rows}


def compare(
    db: Session, sessions: list[WorkshopSession]
) -> tuple[list[SessionColumn], list[StageComparison]]:
    """The sessions' columns and, per stage worth showing, each session's results."""
    columns = session_columns(db, sessions)
    live_ids = [s.id for s in sessions if s.purged_at is None]
    purged_ids = [s.id for s in sessions if s.purged_at is not None]
    comments = _comment_counts(db, live_ids)
    kept = _kept(db, purged_ids)
    min_size = series_min_group_size(sessions)
    comparisons = []
    for stage in compared_stages(sessions):
        entries = []
        for column in columns:
            session = column.session
            own = plan_of(session).stage(stage.key)
            asked = own is not None and own.activity.type == stage.activity.type
            results, answered, commented = None, 0, 0
            if asked and column.purged:
                results = kept.get((session.id, stage.key))
                if results is not None:
                    answered = results.get("answered", 0)
                    commented = results.get("comments", 0) if own.takes_comments else 0
            elif asked:
                kind = activity_type(own.activity.type)
                if kind.answerable or kind.votes_are_results:
                    results = stage_results(db, session, own)
                    answered = results.get("answered", 0)
                commented = comments.get((session.id, stage.key), 0)
            entries.append(StageSession(column, results, answered, commented, asked))
        _withhold_small_sessions(entries, min_size)
        comparison = StageComparison(stage, entries, min_group_size=min_size)
        if comparison.kind.framework_part or comparison.answered or comparison.comments:
            comparisons.append(comparison)
    return columns, comparisons


def comparison_figure(stage: Stage, entries: list[StageSession]) -> dict | None:
    """The stage's side-by-side figure as JSON-ready data, or None for stages whose
    answers are comments (those are compared by their recurring themes)."""
    if not entries:
        return None
    return activity_type(stage.activity.type).series_figure(stage, entries)


def series_min_group_size(sessions: list[WorkshopSession]) -> int:
    """The strictest ``min_group_size`` of the sessions' plans (they may have been edited)."""
    return max((plan_of(s).min_group_size for s in sessions), default=DEFAULT_MIN_GROUP_SIZE)


def _withhold_small_sessions(entries: list[StageSession], min_size: int) -> None:
    """A session is a group of the comparison: one where fewer than ``min_size`` people
    answered shows only its count, never its results. No series-wide result is shown, so
    nothing subtracts to a withheld session and no bigger session has to be withheld too."""
    with_results = [e for e in entries if e.results is not None]
    fold = fold_small_groups(with_results, lambda e: e.answered, min_size, total_shown=False)
    for entry in fold.folded:
        entry.results, entry.withheld = None, True


# Listing series ----------------------------------------------------------------------------


@dataclass
class SeriesSummary:
    series: Series
    sessions: int
    plan_slug: str | None
    plan_title: str | None
    first: date | None
    last: date | None
    places: list[str]


def summaries(db: Session, series_ids=None) -> list[SeriesSummary]:
    """Every series (or those whose ids ``series_ids`` selects), newest first, with how
    many sessions each holds, their plan, places and dates."""
    query = select(Series).order_by(Series.created_at.desc(), Series.id.desc())
    if series_ids is not None:
        query = query.where(Series.id.in_(series_ids))
    series_list = list(db.scalars(query))
    members: dict[int, list[WorkshopSession]] = {s.id: [] for s in series_list}
    if members:
        for session in db.scalars(
            select(WorkshopSession)
            .where(WorkshopSession.series_id.in_(list(members)))
            .order_by(WorkshopSession.held_on, WorkshopSession.created_at)
        ):
            members[session.series_id].append(session)
    result = []
    for series in series_list:
        sessions = members[series.id]
        dates = [s.held_on for s in sessions if s.held_on is not None]
        result.append(
            SeriesSummary(
                series=series,
                sessions=len(sessions),
                plan_slug=sessions[0].plan_slug if sessions else None,
                plan_title=sessions[0].plan_title if sessions else None,
                first=min(dates) if dates else None,
                last=max(dates) if dates else None,
                places=[s.place for s in sessions if s.place],
            )
        )
    return result
