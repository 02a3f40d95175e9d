"""``report.html``: one self-contained HTML file with a session's (or a series') results.

The file is meant to be downloaded, mailed and opened years later without the app or a
network: plotly.js (from the installed Python plotly package) and the CSS are inlined, and
nothing in it points at another address. Each stage shows the same figure as the projector
(``charts.stage_figure`` of ``aggregates.stage_results``), its numbers in a table (the
accessible alternative, and what a printout keeps if scripts are off), the comment wall
(most agreed first; hidden comments left out but counted), statements with their cross-sector
consensus, and the notes taken on that stage.

A statements stage with opinion groups (docs/opinion-groups.md) also shows them, per
session, as computed from the final votes (``opinion_csv.py``): the opinion map, each
group's size and representative statements, the statements every group agrees with and
those that split them, and a sentence on the method; or why no groups formed, or that a
purge deleted the votes they come from.

A slides stage lists the pages of its range, each with its text layer (the pages' text
alternative, the facilitator's words) and whether the room saw it (``slides_csv.py``): in a
series, in which sessions it was shown and in which not.

A series report shows each stage's sessions side by side in ONE figure per stage, the design
the projector uses for breakdowns by sector or table (``charts_breakdown``), with the
sessions as the groups: traffic lights and ratings get one 100%-stacked bar per session, so
sessions of different sizes compare directly and the colours keep their meaning (met /
partly / not met, the scale's points) instead of having to stand for a session; other
activities get the session's own chart once per session, with the options in one order.

Participant text goes through Jinja's autoescaping; text inside figures (statements) is
escaped for plotly's own small markup language as well. Participants appear as their
per-session pseudonym, sector and table (``people.py``); withdrawn participants' words are
gone from the data already and are skipped here too.

The document is rendered with ``Template.generate`` and streamed in chunks; plotly.js
(about 4.8 MB) is read from disk in pieces, never held in one string.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path

import plotly
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from plotly.utils import PlotlyJSONEncoder
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock, wording
from ..activities import Table, activity_type, stage_figure
from ..activities.statements import agreement
from ..charts_breakdown import breakdown_figure
from ..config import ROOT
from ..models import KeptAggregate, Note, Series, WorkshopSession
from ..opinion.compute import settings_for
from ..opinion.view import head_counts
from ..plans.model import Plan, Stage
from ..profile_chart import profile_figure, profile_rows
from ..series.comparison import series_min_group_size
from ..slides.session_pages import is_slides
from ..workshop import runs
from ..workshop.aggregates import stage_results
from ..workshop.plan_cache import plan_of
from ..workshop.profile import (
    RESAMPLES,
    SEED,
    compute_profile,
    pooled_answers,
    profile_from_json,
    session_answers,
)
from ..workshop.small_groups import fold_small_groups
from ..workshop.state import comment_wall, scenario_view
from .common import as_sessions, chunked
from .opinion_csv import (
    GROUP_COLOURS,
    StageOpinion,
    map_figure,
    opinion_stages,
    stage_opinion,
)
from .people import Person, people
from .profile_csv import kept_profile
from .slides_csv import SlidePage, session_slides

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
PLOTLY_PIECE = 256 * 1024

# Figures are designed for a projector (22 px type); a page reads them at this size.
PAGE_FONT_SIZE = 14
PAGE_HEIGHT_SCALE = 0.72
PAGE_MIN_HEIGHT = 220

# Consensus and divisive statements listed per stage; opinion_statements.csv has them all.
OPINION_LISTED = 10

CONSENSUS_WORDS = {
    "consensus": "Agreed across {n} sectors",
    "split": "Splits sectors",
    "mixed": "Mixed views across sectors",
    "too_few": "Too few sectors voted to tell",
}

_env = Environment(
    loader=FileSystemLoader(ROOT / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["people"] = wording.people


# Entry point -------------------------------------------------------------------------------


def report_html(db: Session, sessions) -> Iterator[str]:
    """The report of one session (a list of one) or of a series' sessions, streamed."""
    sessions = as_sessions(sessions)
    if not sessions:
        raise ValueError("A report needs at least one session.")
    report = _Report(db, sessions)
    template = _env.get_template("exports/report.html")
    pieces = template.generate(
        report=report,
        stages=report.stages(),  # built one at a time as the template reaches them
        plotly_js=_plotly_pieces(),
    )
    yield from chunked(pieces)


def _plotly_pieces() -> Iterator[Markup]:
    """plotly.min.js in pieces (it has no ``</script`` to break out of its element)."""
    with PLOTLY_JS.open(encoding="utf-8") as handle:
        while piece := handle.read(PLOTLY_PIECE):
            yield Markup(piece)


# What the template reads -------------------------------------------------------------------


@dataclass
class SessionInfo:
    session: WorkshopSession
    code: str
    label: str  # place and date, or the code
    place: str | None
    held_on: str | None
    status: str
    opened: str
    ended: str | None
    scenario: dict | None
    participants: int | None  # None once the raw data is deleted
    withdrawn: int | None
    purged: str | None  # when the raw data was deleted
    people: dict[str, Person] = field(repr=False)  # by pseudonym, those still taking part
    kept: dict[str, dict] = field(repr=False)  # stage key -> counts kept after a purge
    # A self-paced run (a consultation) says its window instead of when it was opened.
    run: bool = False
    opens: str | None = None
    closes: str | None = None
    closes_future: bool = False  # still open: "Closes" rather than "Closed"
    closed_early: str | None = None  # when a facilitator closed it before closes_at


@dataclass
class Chart:
    id: str
    data: Markup  # the figure as JSON, safe inside <script type="application/json">
    height: int


@dataclass
class Block:
    """One session's words on a stage: comments or statements, and notes."""

    label: str | None  # the session's label in a series report
    comments: list[dict]
    hidden: int
    notes: list[dict]
    purged: bool
    words: list[dict] | None = None  # word clouds: words sized by use
    deleted_comments: int | None = None  # after a purge: how many there were


@dataclass
class ProfileRow:
    """One score of the framework profile as the report's table shows it."""

    part: str  # "test", "feature" or "acceptability"
    title: str
    n: int
    score: str  # rounded, "–" without a number
    interval: str
    detail: str  # a test's shares, a feature's median and interquartile range


@dataclass
class ProfileSection:
    """The framework profile (docs/framework.md): whose it is, its figure and its table."""

    whose: str
    chart: Chart | None
    rows: list[ProfileRow]
    acceptability: str  # the acceptability score with its interval, in words
    seed: int
    resamples: int
    left_out: list[str] = field(default_factory=list)  # purged sessions not in a pool


@dataclass
class OpinionBlock:
    """One session's opinion groups on a statements stage (opinion_csv.py)."""

    label: str | None  # the session's label in a series report
    purged: bool = False  # the votes they come from went with the raw data
    why: str | None = None  # why no groups formed
    chart: Chart | None = None
    groups: list[dict] = field(default_factory=list)
    consensus: list[dict] = field(default_factory=list)
    divisive: list[dict] = field(default_factory=list)
    more_consensus: int = 0  # on the list beyond those shown (all are in the CSV)
    more_divisive: int = 0
    method: dict = field(default_factory=dict)

    @property
    def formed(self) -> bool:
        return bool(self.groups)


@dataclass
class SlideEntry:
    """One page of a slides stage as the report lists it (in a series, a page whose text
    differs between the sessions' decks is listed once per text)."""

    number: int
    text: str | None  # None: its deck is gone and it was not shown, so no text is kept
    status: str  # "shown" or "not-shown" (in a series: shown in any session), or "unknown"
    words: str  # "Shown", "Not shown"; in a series, in which sessions


@dataclass
class SlidesPart:
    """A slides stage's pages."""

    deck: str
    pages: list[SlideEntry]
    unknown_in: list[str | None]  # sessions purged: whether a page was shown is not known


@dataclass
class StageSection:
    number: int
    key: str
    title: str
    prompt: str
    activity: str
    activity_name: str
    statements: bool  # its comments are statements, voted agree, disagree or pass
    always_comments: bool  # its answers are comments: people take part rather than answer
    takes_comments: bool
    answered: list[tuple[str | None, int]]  # (session label, how many answered)
    chart: Chart | None
    table: Table | None
    blocks: list[Block]
    withheld: list[str] = field(default_factory=list)  # sessions too small to compare
    profile: bool = False  # a profile stage: the report's "Framework profile" shows it
    opinion: list[OpinionBlock] = field(default_factory=list)  # statements stages with groups
    slides: SlidesPart | None = None  # slides stages: their pages and text

    @property
    def has_words(self) -> bool:
        """Whether any session has comments, notes or hidden comments on this stage."""
        return any(b.comments or b.notes or b.hidden or b.purged for b in self.blocks)


class _Report:
    def __init__(self, db: Session, sessions: list[WorkshopSession]):
        self.db = db
        self.raw_sessions = sessions
        self.plan: Plan = plan_of(sessions[0])
        self.is_series = len(sessions) > 1
        self.series = self._series(sessions)
        self.min_group_size = series_min_group_size(sessions)
        self.sessions = [self._session_info(s) for s in sessions]
        self.generated = _when(clock.now())
        self._charts = 0
        self._slides: dict[int, dict[str, list[SlidePage]]] = {}  # by session id, when read

    # Header ---------------------------------------------------------------------------------

    @property
    def title(self) -> str:
        if self.series is not None and self.is_series:
            return self.series.title
        return self.plan.title

    @property
    def subtitle(self) -> str:
        if self.is_series:
            return f"{self.plan.title}: {len(self.sessions)} sessions compared"
        info = self.sessions[0]
        parts = [f"Session {info.code}"]
        if info.place:
            parts.append(info.place)
        if info.held_on:
            parts.append(info.held_on)
        return " · ".join(parts)

    @property
    def total_participants(self) -> int:
        return sum(info.participants or 0 for info in self.sessions)

    @property
    def total_withdrawn(self) -> int:
        return sum(info.withdrawn or 0 for info in self.sessions)

    @property
    def has_opinion_groups(self) -> bool:
        """Whether the plan has a statements stage with opinion groups on."""
        return bool(opinion_stages(self.plan))

    @property
    def any_purged(self) -> bool:
        return any(info.purged for info in self.sessions)

    @property
    def scenarios(self) -> list[dict]:
        """The scenarios the sessions assessed, each once, in the sessions' order."""
        seen: dict[str, dict] = {}
        for info in self.sessions:
            if info.scenario is not None:
                seen.setdefault(info.scenario["key"], info.scenario)
        return list(seen.values())

    @property
    def general_notes(self) -> list[tuple[str | None, list[dict]]]:
        """Notes tagged with no stage of the plan, per session (rare: older notes)."""
        keys = {stage.key for stage in self.plan.stages}
        found = []
        for info in self.sessions:
            notes = [
                _note(note)
                for note in self.db.scalars(
                    select(Note).where(Note.session_id == info.session.id).order_by(Note.seq)
                )
                if note.stage_key not in keys
            ]
            if notes:
                found.append((info.label if self.is_series else None, notes))
        return found

    def _series(self, sessions: list[WorkshopSession]) -> Series | None:
        ids = {s.series_id for s in sessions}
        if len(ids) != 1 or None in ids:
            return None
        return self.db.get(Series, ids.pop())

    def _session_info(self, session: WorkshopSession) -> SessionInfo:
        everyone = people(self.db, session.id)
        taking_part = {p.pseudonym: p for p in everyone.values() if not p.withdrawn}
        place = session.place or None
        held_on = _day(session.held_on) if session.held_on else None
        label = " · ".join(part for part in (place, held_on) if part) or f"Session {session.code}"
        if self.is_series and label != f"Session {session.code}":
            label = f"{label} ({session.code})"
        kept = {}
        if session.purged_at is not None:
            kept = {
                row.stage_key: row.results
                for row in self.db.scalars(
                    select(KeptAggregate).where(KeptAggregate.session_id == session.id)
                )
            }
        return SessionInfo(
            session=session,
            code=session.code,
            label=label,
            place=place,
            held_on=held_on,
            status=session.status,
            opened=_when(session.created_at),
            ended=_when(session.ended_at) if session.ended_at else None,
            scenario=scenario_view(plan_of(session).scenario(session.scenario_key)),
            participants=None if session.purged_at else len(taking_part),
            withdrawn=None if session.purged_at else sum(p.withdrawn for p in everyone.values()),
            purged=_when(session.purged_at) if session.purged_at else None,
            people=taking_part,
            kept=kept,
            **_run_window(session),
        )

    # The framework profile -------------------------------------------------------------

    @cached_property
    def profile(self) -> ProfileSection | None:
        """The scenario's framework profile: a session's room (as kept at a purge, if it
        was), or a series' sessions pooled (those with raw data left); None without a
        framework, or when no score has anyone behind it."""
        if self.plan.framework is None:
            return None
        left_out = []
        if self.is_series:
            live = [info for info in self.sessions if info.purged is None]
            left_out = [info.label for info in self.sessions if info.purged is not None]
            people = pooled_answers(self.db, [info.session for info in live])
            found = compute_profile(self.plan, people)
            whose = f"Everyone in the {len(live)} sessions with their answers kept, pooled"
        else:
            info = self.sessions[0]
            if info.purged is not None:
                kept = kept_profile(self.db, info.session)
                if kept is None:
                    return None
                found = profile_from_json(kept["room"])
                whose = "The room, as kept when the raw data was deleted"
            else:
                found = compute_profile(self.plan, session_answers(self.db, info.session))
                whose = "The room"
        if found.n == 0:
            return None
        chart = self._numbered(
            profile_figure(self.plan, [(whose, found)], title="Framework profile")
        )
        return ProfileSection(
            whose=whose,
            chart=chart,
            rows=[
                _profile_row(part, title, score) for part, title, score in _scores(self.plan, found)
            ],
            acceptability=_score_words(found.acceptability),
            seed=SEED,
            resamples=RESAMPLES,
            left_out=left_out,
        )

    # Stages ---------------------------------------------------------------------------------

    def stages(self) -> Iterator[StageSection]:
        for number, stage in enumerate(self.plan.stages, start=1):
            yield self._stage(number, stage)

    def _results(self, info: SessionInfo, stage: Stage) -> dict | None:
        if info.purged is not None:
            return info.kept.get(stage.key)
        return stage_results(self.db, info.session, stage)

    def _stage(self, number: int, stage: Stage) -> StageSection:
        activity = stage.activity.type
        kind = activity_type(activity)
        if kind.from_framework:  # once, in the report's own "Framework profile" section
            return StageSection(
                number,
                stage.key,
                stage.title,
                stage.prompt,
                activity,
                str(kind.label),
                statements=False,
                always_comments=False,
                takes_comments=False,
                answered=[],
                chart=None,
                table=None,
                blocks=[],
                profile=True,
            )
        results = [(info, self._results(info, stage)) for info in self.sessions]
        answered = [
            (info.label if self.is_series else None, (found or {}).get("answered", 0))
            for info, found in results
            if found is not None and kind.asks_people
        ]
        results, withheld = self._withhold_small_sessions(results)
        blocks = [self._block(info, stage, found) for info, found in results]
        return StageSection(
            number=number,
            key=stage.key,
            title=stage.title,
            prompt=stage.prompt,
            activity=activity,
            activity_name=str(kind.label),
            statements=kind.votes_are_results,
            always_comments=kind.always_comments,
            takes_comments=stage.takes_comments,
            answered=answered,
            chart=self._chart(activity, results),
            table=self._table(stage, results),
            blocks=blocks,
            withheld=withheld,
            opinion=self._opinion(stage),
            slides=self._slides_part(stage),
        )

    def _slides_part(self, stage: Stage) -> SlidesPart | None:
        """A slides stage's pages, each once per text, with the sessions that showed it."""
        if not is_slides(stage):
            return None
        found: dict[tuple[int, str | None], dict[str, list]] = {}
        unknown_in = []
        pages = []
        for info in self.sessions:
            if info.purged is not None:
                unknown_in.append(info.label if self.is_series else None)
            if info.session.id not in self._slides:
                self._slides[info.session.id] = session_slides(self.db, info.session)
            kept = self._slides[info.session.id].get(stage.key, [])
            pages.extend((info, page) for page in kept)
        # Pages with their text first: a page whose text a session no longer has is the
        # same page as one that has it, not a page of its own.
        for info, page in sorted(pages, key=lambda pair: pair[1].text is None):
            key = (page.number, page.text)
            if page.text is None:
                key = next((k for k in found if k[0] == page.number), key)
            sessions = found.setdefault(key, {"shown": [], "not": []})
            if page.shown is not None:
                sessions["shown" if page.shown else "not"].append(info.label)
        entries = [
            self._slide_entry(number, text, sessions["shown"], sessions["not"])
            for (number, text), sessions in sorted(
                found.items(), key=lambda item: (item[0][0], item[0][1] is None)
            )
        ]
        return SlidesPart(deck=stage.activity.deck, pages=entries, unknown_in=unknown_in)

    def _slide_entry(self, number: int, text: str | None, shown: list, not_shown: list):
        status = "shown" if shown else "not-shown" if not_shown else "unknown"
        if not self.is_series:
            words = {"shown": "Shown", "not-shown": "Not shown"}.get(status, "")
        else:
            parts = []
            if shown:
                parts.append("Shown in " + "; ".join(shown))
            if not_shown:
                parts.append("not shown in " + "; ".join(not_shown))
            words = ", ".join(parts)
            words = words[:1].upper() + words[1:]
        return SlideEntry(number=number, text=text, status=status, words=words)

    def _opinion(self, stage: Stage) -> list[OpinionBlock]:
        """Each session's opinion groups on ``stage``; none when it has none switched on."""
        found = []
        for info in self.sessions:
            label = info.label if self.is_series else None
            settings = settings_for(plan_of(info.session), stage)
            if settings is None:
                continue
            if info.purged is not None:
                found.append(OpinionBlock(label, purged=True))
                continue
            opinion = stage_opinion(self.db, info.session, stage, settings)
            found.append(self._opinion_block(label, opinion))
        return found

    def _opinion_block(self, label: str | None, opinion: StageOpinion) -> OpinionBlock:
        settings = opinion.settings
        method = {
            "min_votes": settings.min_votes,
            "min_people": settings.min_people,
            "min_group_size": settings.min_group_size,
            "max_groups": settings.max_groups,
            "seed": settings.seed,
            "placed": opinion.placed,
            "voters": opinion.voters,
        }
        if not opinion.formed:
            return OpinionBlock(label, why=opinion.why_none(), method=method)
        grouping, analysis = opinion.grouping, opinion.analysis
        method.update(k=grouping.k, silhouette=grouping.silhouette)

        def text(statement: int) -> str:
            return opinion.texts.get(statement, "")

        groups = []
        for index, (letter, size) in enumerate(grouping.sizes.items()):
            groups.append(
                {
                    "label": letter,
                    "size": size,
                    "colour": GROUP_COLOURS[index % len(GROUP_COLOURS)],
                    "representative": [
                        _representative_item(analysis, letter, item, text(item.statement))
                        for item in analysis.representative.get(letter, [])
                    ],
                }
            )

        def listed(scored) -> list[dict]:
            return [
                {
                    "text": text(item.statement),
                    "score": f"{item.score:.2f}",
                    # Head counts, as the projector shows them; the score is the smoothed one.
                    "shares": [
                        _head_count(
                            label,
                            analysis.by_group[item.statement][label].agree,
                            analysis.by_group[item.statement][label].seen,
                        )
                        for label in item.shares
                    ],
                }
                for item in scored[:OPINION_LISTED]
            ]

        chart = self._numbered(map_figure(opinion))
        return OpinionBlock(
            label,
            chart=chart,
            groups=groups,
            consensus=listed(analysis.consensus),
            divisive=listed(analysis.divisive),
            more_consensus=max(0, len(analysis.consensus) - OPINION_LISTED),
            more_divisive=max(0, len(analysis.divisive) - OPINION_LISTED),
            method=method,
        )

    def _withhold_small_sessions(self, results):
        """A series report compares sessions as the projector compares sectors, and keeps
        the same promise: a session where fewer than ``min_group_size`` people answered
        shows how many answered, never what (workshop/small_groups.py, series/comparison.py)."""
        if not self.is_series:
            return results, []
        fold = fold_small_groups(
            [(info, found) for info, found in results if found],
            lambda pair: pair[1].get("answered", 0),
            self.min_group_size,
            total_shown=False,
        )
        withheld = {id(info) for info, _ in fold.folded}
        shown = [(info, None if id(info) in withheld else found) for info, found in results]
        return shown, [info.label for info, _ in fold.folded]

    def _chart(self, activity: str, results: list[tuple[SessionInfo, dict | None]]) -> Chart | None:
        kind = activity_type(activity)
        usable = [(info, kind.plotly_safe(r)) for info, r in results if r]
        if not usable:
            return None
        if self.is_series:
            groups = [
                {
                    "key": info.code,
                    "label": info.label,
                    "answered": found.get("answered", 0),
                    "results": found,
                }
                for info, found in usable
                if found.get("answered")
            ]
            figure = breakdown_figure(activity, groups, "session") if groups else None
        else:
            found = usable[0][1]
            figure = stage_figure(activity, found) if found.get("answered") else None
        return self._numbered(_for_page(figure) if figure is not None else None)

    def _numbered(self, figure: dict | None) -> Chart | None:
        """``figure`` as the page's next chart (their ids number them in page order)."""
        if figure is None:
            return None
        self._charts += 1
        return Chart(
            id=f"chart-{self._charts}",
            data=_script_json(figure),
            height=int(figure["layout"].get("height") or 400),
        )

    def _table(self, stage: Stage, results: list[tuple[SessionInfo, dict | None]]) -> Table | None:
        tables = [
            (info, activity_type(stage.activity.type).table(stage, found))
            for info, found in results
            if found is not None and found.get("answered")  # nobody answered: no zeros
        ]
        tables = [(info, table) for info, table in tables if table is not None and table.rows]
        if not tables:
            return None
        if not self.is_series:
            return tables[0][1]
        first = tables[0][1]
        rows = [[info.label, *row] for info, table in tables for row in table.rows]
        return Table(
            caption=f"{first.caption}, per session",
            columns=["Session", *first.columns],
            rows=rows,
            numeric=[False, *first.numeric],
        )

    def _block(self, info: SessionInfo, stage: Stage, results: dict | None) -> Block:
        label = info.label if self.is_series else None
        kind = activity_type(stage.activity.type)
        words = results.get("words") if results and kind.shows_words else None
        if info.purged is not None:
            deleted = results.get("comments") if results else None
            return Block(label, [], 0, [], True, _sized(words), deleted)
        comments, hidden = [], 0
        if stage.takes_comments:
            wall = comment_wall(self.db, info.session, stage.key, include_hidden=True)
            for comment in wall:
                if comment["hidden"]:
                    hidden += 1
                    continue
                who = info.people.get(comment["pseudonym"])
                if who is None:  # withdrawn: their words left with them
                    continue
                comments.append(_comment(comment, who))
            comments.sort(key=_statement_rank if kind.votes_are_results else _rank)
        notes = [
            _note(note)
            for note in self.db.scalars(
                select(Note)
                .where(Note.session_id == info.session.id, Note.stage_key == stage.key)
                .order_by(Note.seq)
            )
        ]
        return Block(label, comments, hidden, notes, purged=False, words=_sized(words))


# Pieces ----------------------------------------------------------------------------------------


def _scores(plan: Plan, profile) -> list[tuple[str, str, object]]:
    """(part, title, score) of a profile in the plan's order, the acceptability score last."""
    parts = ["test"] * len(profile.tests) + ["feature"] * len(profile.features)
    parts.append("acceptability")
    rows = profile_rows(plan, profile)
    return [(part, title, score) for part, (title, score) in zip(parts, rows, strict=True)]


def _score_words(score) -> str:
    if score.score is None:
        return "withheld (too few people)" if score.withheld else "not given"
    words = f"{score.score:.0f}"
    if score.interval is not None:
        words += f" (95 % interval {score.interval.low:.0f} to {score.interval.high:.0f})"
    return words


def _profile_row(part: str, title: str, score) -> ProfileRow:
    def rounded(value) -> str:
        return "–" if value is None else f"{value:.0f}"

    detail = ""
    if part == "test" and score.shares:
        shares = score.shares
        detail = (
            f"met {shares['met']:.0%} · partly {shares['partly']:.0%} · "
            f"not met {shares['not_met']:.0%}"
        )
    elif part == "feature" and score.median is not None:
        detail = f"median {score.median:.0f} · interquartile range {score.q1:.0f} to {score.q3:.0f}"
    interval = score.interval
    return ProfileRow(
        part=part,
        title=title,
        n=score.n,
        score=rounded(score.score),
        interval="–" if interval is None else f"{interval.low:.0f} to {interval.high:.0f}",
        detail=detail,
    )


def _rank(comment: dict) -> tuple:
    """Most agreed first (net agreement, then agreement), then the older one."""
    return (-(comment["agree"] - comment["disagree"]), -comment["agree"], comment["seq"])


def _statement_rank(comment: dict) -> tuple:
    """As the projector ranks statements: by the share of votes that agree."""
    share = comment["agreement"]
    return (share is None, -(share or 0), -comment["agree"], comment["seq"])


def _comment(comment: dict, who: Person) -> dict:
    consensus = comment.get("consensus") or {"status": "too_few", "by_sector": []}
    status = consensus["status"]
    words = CONSENSUS_WORDS.get(status, status).format(
        n=consensus.get("sectors_agreeing", len(consensus["by_sector"]))
    )
    return {
        "text": comment["text"],
        "pseudonym": who.pseudonym,
        "name": who.display_name,  # only with the participant's consent (people.py)
        "sector": who.sector,
        "table": who.table,
        "agree": comment["agree"],
        "disagree": comment["disagree"],
        "passes": comment["passes"],
        "agreement": agreement(comment["agree"], comment["disagree"], comment["passes"]),
        "highlighted": comment["highlighted"],
        "seq": comment["seq"],
        "consensus": status,
        "consensus_words": words,
        "by_sector": consensus["by_sector"],
    }


def _percent(share: float) -> str:
    return f"{round(100 * share)} %"


def _head_count(label: str | None, count: int, seen: int) -> dict:
    """``count`` of ``seen`` in group ``label`` (None: everyone else placed), with its raw
    share ("9 of 10 in A, 90 %"); no share when nobody there voted."""
    return {
        "label": label,
        "count": count,
        "seen": seen,
        "share": _percent(count / seen) if seen else None,
    }


def _representative_item(analysis, label: str, item, text: str) -> dict:
    """A representative statement as the report words it: head counts of the group and of
    everyone else placed, not the smoothed shares it was ranked by."""
    count, seen, rest_count, rest_seen = head_counts(
        analysis, item.statement, label, item.direction
    )
    return {
        "text": text,
        "direction": item.direction,
        "group": _head_count(label, count, seen),
        "rest": _head_count(None, rest_count, rest_seen),
    }


def _note(note: Note) -> dict:
    # The note-taker's label may be a person's name: the report names the table only.
    return {"text": note.text, "table": note.table_key, "shown": note.shown}


def _sized(words: list[dict] | None) -> list[dict] | None:
    """A word cloud in HTML: each word with a size from 1 to 3 em by how many used it."""
    if not words:
        return None
    largest = max(word["count"] for word in words)
    smallest = min(word["count"] for word in words)
    span = max(largest - smallest, 1)
    return [{**word, "size": round(1 + 2 * (word["count"] - smallest) / span, 2)} for word in words]


def _scale_fonts(node) -> None:
    """Every font size in a figure, from projector size to page size (in place)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("font", "textfont", "tickfont", "titlefont") and isinstance(value, dict):
                if isinstance(value.get("size"), int | float):
                    value["size"] = max(10, round(value["size"] * PAGE_FONT_SIZE / 22))
            if key != "template":
                _scale_fonts(value)
    elif isinstance(node, list):
        for value in node:
            _scale_fonts(value)


def _for_page(figure: dict) -> dict:
    layout = figure.setdefault("layout", {})
    _scale_fonts(figure)
    height = layout.get("height")
    if isinstance(height, int | float):
        layout["height"] = max(PAGE_MIN_HEIGHT, round(height * PAGE_HEIGHT_SCALE))
    layout["autosize"] = True
    layout.pop("width", None)
    return figure


def _script_json(value) -> Markup:
    """JSON that cannot end its <script> element early, nor open a comment in it."""
    text = json.dumps(value, cls=PlotlyJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def _run_window(session: WorkshopSession) -> dict:
    """A run's opening and closing for the header; nothing for a live workshop."""
    if not runs.is_run(session):
        return {}
    opens, closes, ended = session.opens_at, session.closes_at, session.ended_at
    early = ended is not None and closes is not None and clock.aware(ended) < clock.aware(closes)
    return {
        "run": True,
        "opens": _when(opens) if opens else None,
        "closes": _when(closes) if closes else None,
        "closes_future": closes is not None and ended is None and clock.aware(closes) > clock.now(),
        "closed_early": _when(ended) if early else None,
    }


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _when(value: datetime) -> str:
    value = clock.aware(value).astimezone(UTC)
    return f"{value.day} {value:%B %Y, %H:%M} UTC"
