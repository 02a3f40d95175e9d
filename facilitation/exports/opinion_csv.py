"""Opinion groups in the research exports (docs/opinion-groups.md): two CSV files, and what
the report, the .qdpx and ``datapackage.json`` read about them.

- ``opinion_groups.csv``: one row per participant who voted on (or wrote) a statement of a
  stage with opinion groups on: their pseudonym, how many statements they voted on (an
  author counting as agreeing with each they wrote, opinion/votes.py), whether they were
  placed on the map, their group letter and map position.
- ``opinion_statements.csv``: one row per (stage, statement, group) of a stage where groups
  formed: the group's votes on the statement, whether the statement is representative of
  the group (with its direction, ratio and z), and the statement's consensus and divisive
  scores, which belong to the statement and repeat on each of its groups' rows.

The groups are computed afresh from the final votes (``compute`` with no previous update to
match), so the letters follow size (A the largest) and the same votes always give the same
file; they may differ from the letters the projector showed last. Only participants still
taking part are in the votes (``opinion/votes.py``), as pseudonyms (``people.py``). A session
whose raw data was purged has no opinion groups: they need each person's votes, which went
with the purge, and no aggregate is kept in their place. ``datapackage.py`` describes every
column and states the method's parameters (``method``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Comment, WorkshopSession
from ..opinion import statements as opinion_statements
from ..opinion.compute import OpinionResult, compute, settings_for
from ..opinion.groups import Settings
from ..opinion.matrix import VoteMatrix
from ..opinion.votes import read_votes
from ..plans.model import Plan, Stage
from ..workshop.plan_cache import plan_of
from .common import csv_stream
from .people import people

GROUPS_COLUMNS = (
    "session",
    "stage",
    "pseudonym",
    "votes",
    "placed",
    "group",
    "x",
    "y",
    "status",
)
STATEMENTS_COLUMNS = (
    "session",
    "stage",
    "comment_id",
    "group",
    "group_size",
    "agree",
    "disagree",
    "passes",
    "seen",
    "enough_votes",
    "p_agree",
    "p_disagree",
    "representative",
    "representative_rank",
    "representative_direction",
    "representative_share",
    "representative_rest_share",
    "representative_ratio",
    "representative_z",
    "in_consensus",
    "consensus_rank",
    "consensus_score",
    "in_divisive",
    "divisive_rank",
    "divisive_score",
    "separation",
)
STATUSES = ("formed", "waiting", "no_split")
# Each group's colour and dot shape, as the projector's map draws them
# (static/js/opinion-map.js GROUP_COLOURS.light and GROUP_SYMBOLS): the same group looks the
# same in the report and in the .qdpx's codes as it did in the room.
GROUP_COLOURS = ("#1d5e9e", "#9a5b00", "#6a3d9a", "#00707a", "#8a4a6b")
GROUP_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "pentagon")
POSITION_DECIMALS = 3  # as the projector's map: finer says nothing more
DECIMALS = 4  # probabilities, ratios and scores
# statements.py's "most of the group" (representative) and "every group agrees" (consensus).
MAJORITY = 0.5


# Which stages, with which settings -------------------------------------------------------


def opinion_stages(plan: Plan) -> list[tuple[Stage, Settings]]:
    """The plan's statements stages with opinion groups on, in the plan's order."""
    found = []
    for stage in plan.stages:
        settings = settings_for(plan, stage)
        if settings is not None:
            found.append((stage, settings))
    return found


def has_opinion_groups(db: Session | None, sessions: list[WorkshopSession]) -> bool:
    """Whether any of ``sessions`` could have opinion groups: its plan has a statements
    stage with them on, and its raw data (the individual votes) is still there. Read from
    the plans alone, so ``datapackage.json`` (which has no database) says the same."""
    return any(
        session.purged_at is None and opinion_stages(plan_of(session)) for session in sessions
    )


# One stage's groups ----------------------------------------------------------------------


@dataclass
class StageOpinion:
    """A statements stage's opinion groups in one session, computed from its final votes."""

    session: WorkshopSession
    stage: Stage
    settings: Settings
    matrix: VoteMatrix
    result: OpinionResult
    pseudonyms: dict[int, str]  # participant id -> pseudonym, those still taking part
    texts: dict[int, str]  # statement id -> its text
    # Who voted on a statement: an author is in the matrix, agreeing with what they wrote,
    # without having voted (votes.StageVotes.voters).
    voted: frozenset[int] = frozenset()

    @property
    def grouping(self):
        return self.result.grouping

    @property
    def analysis(self):
        return self.result.analysis

    @property
    def status(self) -> str:
        return self.grouping.status

    @property
    def formed(self) -> bool:
        return self.status == "formed" and self.analysis is not None

    @cached_property
    def votes(self) -> dict[int, int]:
        """How many of the stage's statements each person voted on (a pass counts), an
        author counting as agreeing with each statement they wrote."""
        counts = self.matrix.votes_per_person()
        return {pid: int(n) for pid, n in zip(self.matrix.participants, counts, strict=True)}

    @property
    def voters(self) -> int:
        """How many people voted on a statement (not those who only wrote some)."""
        return len(self.voted)

    @property
    def placed(self) -> int:
        return len(self.grouping.placed)

    @cached_property
    def positions(self) -> dict[int, tuple[float, float]]:
        """Each placed person's map position, rounded; empty when no map was computed."""
        positions = self.grouping.positions
        if positions is None or len(positions) != len(self.grouping.placed):
            return {}
        return {
            pid: (_round(x, POSITION_DECIMALS), _round(y, POSITION_DECIMALS))
            for pid, (x, y) in zip(self.grouping.placed, positions.tolist(), strict=True)
        }

    @cached_property
    def members(self) -> dict[str, list[int]]:
        """Each group's participant ids, in label order (A first); empty unless formed."""
        if not self.formed:
            return {}
        found: dict[str, list[int]] = {label: [] for label in self.grouping.sizes}
        for pid, label in zip(self.grouping.placed, self.grouping.labels, strict=True):
            found.setdefault(label, []).append(pid)
        return found

    def group_of(self, participant_id: int) -> str | None:
        return self.grouping.group_of(participant_id) if self.formed else None

    def why_none(self) -> str | None:
        """Why no groups formed, in a sentence; None when they did."""
        if self.formed:
            return None
        if self.status == "no_split":
            return (
                f"{_people(self.placed)} voted on at least {self.settings.min_votes} "
                "statements, but they could not be split into groups of at least "
                f"{self.settings.min_group_size} people each."
            )
        return (
            f"Too few votes: {_people(self.placed)} voted on at least "
            f"{self.settings.min_votes} statements, and groups are looked for once "
            f"{self.settings.min_people} have ({_people(self.voters)} voted at all)."
        )


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


def _round(value: float | None, decimals: int = DECIMALS) -> float | None:
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):  # Table Schema numbers, and R/pandas, read blanks best
        return None
    return round(value, decimals) + 0.0  # no "-0.0"


def stage_opinion(
    db: Session, session: WorkshopSession, stage: Stage, settings: Settings
) -> StageOpinion:
    """One stage's groups, computed from the session's votes as they are now."""
    votes = read_votes(db, session, stage.key)
    result = compute(votes.matrix, settings, previous=None)
    taking_part = {
        pid: person.pseudonym
        for pid, person in people(db, session.id).items()
        if not person.withdrawn
    }
    texts = dict(
        db.execute(
            select(Comment.id, Comment.text).where(
                Comment.session_id == session.id, Comment.stage_key == stage.key
            )
        ).all()
    )
    return StageOpinion(
        session, stage, settings, votes.matrix, result, taking_part, texts, votes.voters
    )


def session_opinions(db: Session, session: WorkshopSession) -> list[StageOpinion]:
    """Every statements stage's groups of a session with its raw data; none after a purge."""
    if session.purged_at is not None:
        return []
    return [
        stage_opinion(db, session, stage, settings)
        for stage, settings in opinion_stages(plan_of(session))
    ]


# opinion_groups.csv ----------------------------------------------------------------------


def groups_rows(db: Session, sessions: list[WorkshopSession]) -> Iterator[dict]:
    for session in sessions:
        for opinion in session_opinions(db, session):
            yield from _stage_groups_rows(opinion)


def _stage_groups_rows(opinion: StageOpinion) -> Iterator[dict]:
    placed = set(opinion.grouping.placed)
    rows = []
    for pid, votes in opinion.votes.items():
        pseudonym = opinion.pseudonyms.get(pid)
        if pseudonym is None or votes == 0:  # withdrawn (their votes went with them)
            continue
        x, y = opinion.positions.get(pid, (None, None))
        rows.append(
            {
                "session": opinion.session.code,
                "stage": opinion.stage.key,
                "pseudonym": pseudonym,
                "votes": votes,
                "placed": pid in placed,
                "group": opinion.group_of(pid),
                "x": x,
                "y": y,
                "status": opinion.status,
            }
        )
    # Group by group (A first, those in none last), then by pseudonym: nothing of the order
    # in which people joined or voted.
    rows.sort(key=lambda row: (row["group"] is None, row["group"] or "", row["pseudonym"]))
    yield from rows


def opinion_groups_csv(db: Session, sessions: list[WorkshopSession]) -> Iterator[str]:
    return csv_stream(GROUPS_COLUMNS, groups_rows(db, sessions))


# opinion_statements.csv ------------------------------------------------------------------


def statements_rows(db: Session, sessions: list[WorkshopSession]) -> Iterator[dict]:
    for session in sessions:
        for opinion in session_opinions(db, session):
            if opinion.formed:
                yield from _stage_statements_rows(opinion)


def _ranked(scored) -> dict[int, tuple[int, object]]:
    return {item.statement: (rank, item) for rank, item in enumerate(scored, start=1)}


def _stage_statements_rows(opinion: StageOpinion) -> Iterator[dict]:
    analysis = opinion.analysis
    sizes = opinion.grouping.sizes
    consensus = _ranked(analysis.consensus)
    divisive = _ranked(analysis.divisive)
    representative = {
        (label, item.statement): (rank, item)
        for label, items in analysis.representative.items()
        for rank, item in enumerate(items, start=1)
    }
    for statement in opinion.matrix.statements:
        figures = analysis.by_group.get(statement, {})
        in_consensus = consensus.get(statement)
        in_divisive = divisive.get(statement)
        for label, size in sizes.items():
            votes = figures.get(label)
            rep = representative.get((label, statement))
            row = {
                "session": opinion.session.code,
                "stage": opinion.stage.key,
                "comment_id": statement,
                "group": label,
                "group_size": size,
                "representative": rep is not None,
                "in_consensus": in_consensus is not None,
                "in_divisive": in_divisive is not None,
                "separation": _round(analysis.separation.get(statement)),
            }
            if votes is not None:
                row.update(
                    agree=votes.agree,
                    disagree=votes.disagree,
                    passes=votes.passes,
                    seen=votes.seen,
                    enough_votes=votes.enough,
                    p_agree=_round(votes.p_agree),
                    p_disagree=_round(votes.p_disagree),
                )
            if rep is not None:
                rank, item = rep
                row.update(
                    representative_rank=rank,
                    representative_direction=item.direction,
                    representative_share=_round(item.share),
                    representative_rest_share=_round(item.rest_share),
                    representative_ratio=_round(item.ratio),
                    representative_z=_round(item.z),
                )
            if in_consensus is not None:
                rank, item = in_consensus
                row.update(consensus_rank=rank, consensus_score=_round(item.score))
            if in_divisive is not None:
                rank, item = in_divisive
                row.update(divisive_rank=rank, divisive_score=_round(item.score))
            yield row


def opinion_statements_csv(db: Session, sessions: list[WorkshopSession]) -> Iterator[str]:
    return csv_stream(STATEMENTS_COLUMNS, statements_rows(db, sessions))


# The method, as datapackage.json and the report state it ---------------------------------


def _default(name: str):
    return next(f.default for f in fields(Settings) if f.name == name)


def method(sessions: list[WorkshopSession]) -> dict:
    """The method and its parameters as plain data (``datapackage.json``'s ``method``):
    what every stage shares, and each stage's own thresholds from its plan."""
    stages = []
    for session in sessions:
        if session.purged_at is not None:
            continue
        for stage, settings in opinion_stages(plan_of(session)):
            stages.append(
                {
                    "session": session.code,
                    "stage": stage.key,
                    "min_votes": settings.min_votes,
                    "min_people": settings.min_people,
                    "min_group_size": settings.min_group_size,
                    "max_groups": settings.max_groups,
                    "seed": settings.seed,
                }
            )
    return {
        "documentation": "docs/opinion-groups.md of the app",
        "votes": "agree +1, disagree -1, pass or not seen 0; a pass counts as a vote",
        "placed": "people who voted on at least min_votes of the stage's visible statements",
        "map": "each statement's votes centred on the mean of placed people's votes on it; "
        "PCA to 2 components; each person's coordinates scaled by sqrt(statements / "
        "statements they voted on)",
        "groups": "k-means on the 2-D map (10 greedy k-means++ starts seeded by seed, the least "
        "inertia kept; scikit-learn's method) for k "
        "= 2 .. min(max_groups, placed // min_group_size); a k with a group smaller than "
        "min_group_size is not admissible; the admissible k with the highest mean "
        "silhouette; none formed below min_people placed",
        "labels": "by group size, A the largest (computed afresh from the final votes)",
        "smoothing": "p_agree = (agree + 1) / (seen + 2), p_disagree = (disagree + 1) / "
        "(seen + 2), seen counting passes",
        "representative": {
            "rule": "the group's smoothed share in a direction against everyone placed "
            "outside it: ratio = share / rest_share, two-proportion z-test; ranked by "
            "ratio * share",
            "min_z": opinion_statements.REPRESENTATIVE_Z,
            "share_above": MAJORITY,
            "at_most": opinion_statements.MAX_REPRESENTATIVE,
        },
        "consensus": {
            "rule": "score = product over groups of p_agree; listed when every group's "
            "p_agree is above the threshold; ranked by score",
            "p_agree_above": MAJORITY,
        },
        "divisive": {
            "rule": "score = max - min of the groups' p_agree; listed when the two extreme "
            "groups differ by a two-proportion z-test; ranked by score",
            "min_z": opinion_statements.DIVISIVE_Z,
        },
        "defaults": {
            name: _default(name)
            for name in ("min_votes", "min_people", "min_group_size", "max_groups", "seed")
        },
        "stages": stages,
    }


# The map, as the report draws it ---------------------------------------------------------


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull of ``points``, closed (Andrew's monotone chain, as the projector's
    map outlines a group); one or two distinct points are their own outline."""
    unique = sorted(set(points))
    if len(unique) < 3:
        return unique

    def cross(o, a, b) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for point in unique:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], point) <= 0:
            lower.pop()
        lower.append(point)
    upper: list = []
    for point in reversed(unique):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], point) <= 0:
            upper.pop()
        upper.append(point)
    outline = lower[:-1] + upper[:-1]
    return [*outline, outline[0]]


def map_figure(opinion: StageOpinion) -> dict | None:
    """The opinion map as a Plotly figure: one dot per person placed, in their group's
    colour and shape, each group outlined and labelled with its letter and size. No names,
    no hover text: a dot is no one in particular. None unless groups formed."""
    if not opinion.formed:
        return None
    data, annotations = [], []
    for index, (label, pids) in enumerate(opinion.members.items()):
        colour = GROUP_COLOURS[index % len(GROUP_COLOURS)]
        points = sorted(opinion.positions[pid] for pid in pids)  # no order of who is who
        outline = _hull(points)
        if len(outline) >= 3:
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": [x for x, _ in outline],
                    "y": [y for _, y in outline],
                    "line": {"color": colour, "width": 1.5},
                    "fill": "toself",
                    "fillcolor": _translucent(colour, 0.12),
                    "hoverinfo": "skip",
                    "showlegend": False,
                }
            )
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"Group {label}",
                "x": [x for x, _ in points],
                "y": [y for _, y in points],
                "marker": {
                    "color": colour,
                    "size": 11,
                    "symbol": GROUP_SYMBOLS[index % len(GROUP_SYMBOLS)],
                    "line": {"color": "#ffffff", "width": 1},
                },
                "hoverinfo": "name",
            }
        )
        centre = opinion.grouping.centres.get(label) or points[0]
        annotations.append(
            {
                "x": centre[0],
                "y": centre[1],
                "text": f"<b>{label}</b> ({len(pids)})",
                "showarrow": False,
                "font": {"color": colour, "size": 16},
                "bgcolor": "rgba(255,255,255,0.8)",
            }
        )
    # The axes are principal components: no scale a reader could use, so no ticks; one
    # unit as long across as up, or the groups' shapes would mislead.
    axis = {"showticklabels": False, "zeroline": False, "showgrid": False, "title": None}
    layout = {
        "height": 420,
        "margin": {"l": 20, "r": 20, "t": 20, "b": 20},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 14},
        "xaxis": {**axis, "constrain": "domain"},
        "yaxis": {**axis, "scaleanchor": "x", "scaleratio": 1},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "annotations": annotations,
        "meta": {"chart": "opinion_map"},
    }
    return {"data": data, "layout": layout}


def _translucent(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"
