"""``report.html``: one self-contained HTML file with a session's (or a series') results.

The file is meant to be downloaded, mailed and opened years later without the app or a
network: plotly.js (from the installed Python plotly package) and the CSS are inlined, and
nothing in it points at another address. Each stage shows the same figure as the projector
(``charts.stage_figure`` of ``aggregates.stage_results``), its numbers in a table (the
accessible alternative, and what a printout keeps if scripts are off), the comment wall
(most agreed first; hidden comments left out but counted), statements with their cross-sector
consensus, and the notes taken on that stage.

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

import html
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import plotly
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from plotly.utils import PlotlyJSONEncoder
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..charts import stage_figure
from ..charts_breakdown import breakdown_figure
from ..config import ROOT
from ..models import KeptAggregate, Note, Series, WorkshopSession
from ..plans.model import TRAFFIC_LIGHT_LABELS, TRAFFIC_LIGHTS, Plan, Stage
from ..series.comparison import series_min_group_size
from ..workshop.aggregates import agreement, stage_results
from ..workshop.plan_cache import plan_of
from ..workshop.small_groups import fold_small_groups
from ..workshop.state import comment_wall, scenario_view
from .common import as_sessions
from .people import Person, people

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
CHUNK = 64 * 1024
PLOTLY_PIECE = 256 * 1024

# Figures are designed for a projector (22 px type); a page reads them at this size.
PAGE_FONT_SIZE = 14
PAGE_HEIGHT_SCALE = 0.72
PAGE_MIN_HEIGHT = 220

ACTIVITY_NAMES = {
    "info": "Information card",
    "scenario": "Scenario card",
    "sector": "Sector question",
    "choice": "Choice",
    "rating": "Rating",
    "traffic_light": "Traffic light",
    "ranking": "Ranking",
    "open_text": "Open question",
    "points": "Points",
    "grid": "Benefit-risk grid",
    "word_cloud": "Word cloud",
    "statements": "Statements",
}

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
    yield from _coalesce(pieces)


def _plotly_pieces() -> Iterator[Markup]:
    """plotly.min.js in pieces (it has no ``</script`` to break out of its element)."""
    with PLOTLY_JS.open(encoding="utf-8") as handle:
        while piece := handle.read(PLOTLY_PIECE):
            yield Markup(piece)


def _coalesce(pieces: Iterable[str]) -> Iterator[str]:
    """Gather the template's many small strings into chunks of about ``CHUNK``."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        if len(piece) >= CHUNK:
            if buffer:
                yield "".join(buffer)
                buffer, size = [], 0
            yield str(piece)
            continue
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


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


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list]
    numeric: list[bool]  # per column: right-aligned numbers


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
class StageSection:
    number: int
    key: str
    title: str
    prompt: str
    activity: str
    activity_name: str
    statements: bool
    takes_comments: bool
    answered: list[tuple[str | None, int]]  # (session label, how many answered)
    chart: Chart | None
    table: Table | None
    blocks: list[Block]
    withheld: list[str] = field(default_factory=list)  # sessions too small to compare

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
        self.generated = _when(datetime.now(UTC))
        self._charts = 0

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
        results = [(info, self._results(info, stage)) for info in self.sessions]
        answered = [
            (info.label if self.is_series else None, (found or {}).get("answered", 0))
            for info, found in results
            if found is not None and activity not in ("info", "scenario")
        ]
        results, withheld = self._withhold_small_sessions(results)
        blocks = [self._block(info, stage, found) for info, found in results]
        return StageSection(
            number=number,
            key=stage.key,
            title=stage.title,
            prompt=stage.prompt,
            activity=activity,
            activity_name=ACTIVITY_NAMES.get(activity, activity),
            statements=activity == "statements",
            takes_comments=stage.takes_comments,
            answered=answered,
            chart=self._chart(activity, results),
            table=self._table(stage, results),
            blocks=blocks,
            withheld=withheld,
        )

    def _withhold_small_sessions(self, results):
        """A series report compares sessions as the projector compares sectors, and keeps
        the same promise: a session where fewer than ``min_group_size`` people answered
        shows how many answered, never what (live/small_groups.py, series/comparison.py)."""
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
        usable = [(info, _plotly_safe(activity, r)) for info, r in results if r]
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
        if figure is None:
            return None
        self._charts += 1
        figure = _for_page(figure)
        return Chart(
            id=f"chart-{self._charts}",
            data=_script_json(figure),
            height=int(figure["layout"].get("height") or 400),
        )

    def _table(self, stage: Stage, results: list[tuple[SessionInfo, dict | None]]) -> Table | None:
        tables = [
            (info, numbers_table(stage, found))
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
        words = results.get("words") if results and stage.activity.type == "word_cloud" else None
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
            comments.sort(key=_statement_rank if stage.activity.type == "statements" else _rank)
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


def _plotly_safe(activity: str, results: dict | None) -> dict | None:
    """Statements' text inside a figure, escaped: plotly reads <b>, <a href> and the like
    in labels as markup, and shows &lt; as <."""
    if results is None or activity != "statements":
        return results
    statements = [
        {**s, "text": html.escape(_statement_text(s, rank), quote=False)}
        for rank, s in enumerate(results["statements"], start=1)
    ]
    return {**results, "statements": statements}


def _statement_text(statement: dict, rank: int) -> str:
    # Counts kept after a purge keep no participant's wording.
    return statement.get("text") or f"Statement {rank} (wording deleted with the raw data)"


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


def _fmt(number) -> str:
    if number is None:
        return "–"
    return f"{number:g}" if isinstance(number, float) else str(number)


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{round(100 * share)}%"


def numbers_table(stage: Stage, results: dict) -> Table | None:
    """A stage's results as a table of numbers (the chart's accessible alternative)."""
    activity = stage.activity.type
    if activity in ("sector", "choice"):
        return Table(
            "People choosing each option",
            ["Option", "People"],
            [[o["label"], o["count"]] for o in results.get("options", ())],
            [False, True],
        )
    if activity == "rating":
        points = results.get("points", ())
        return Table(
            "Ratings of each item: how many people gave each point of the scale",
            ["Item", *(str(p) for p in points), "People", "Median"],
            [
                [
                    item["label"],
                    *(item["counts"].get(str(p), 0) for p in points),
                    item["n"],
                    _fmt(item["median"]),
                ]
                for item in results.get("items", ())
            ],
            [False, *(True for _ in points), True, True],
        )
    if activity == "traffic_light":
        return Table(
            "Traffic lights: how many people judged each item met, partly met or not met",
            ["Item", *(TRAFFIC_LIGHT_LABELS[k] for k in TRAFFIC_LIGHTS), "People"],
            [
                [item["label"], *(item.get(k, 0) for k in TRAFFIC_LIGHTS), item["n"]]
                for item in results.get("items", ())
            ],
            [False, True, True, True, True],
        )
    if activity == "ranking":
        return Table(
            "Ranking: Borda score (higher is more important) and mean rank (1 is first)",
            ["Item", "Borda score", "Mean rank"],
            [
                [item["label"], item["borda"], _fmt(item["mean_rank"])]
                for item in results.get("items", ())
            ],
            [False, True, True],
        )
    if activity == "points":
        return Table(
            "Points given to each item, and by how many people",
            ["Item", "Points", "People"],
            [[item["label"], item["total"], item["voters"]] for item in results.get("items", ())],
            [False, True, True],
        )
    if activity == "grid":
        axes = results.get("axes") or {}
        x_name = (axes.get("x") or {}).get("label", "x")
        y_name = (axes.get("y") or {}).get("label", "y")
        return Table(
            "Where people placed each item on the grid: how many, and the average square",
            ["Item", "People", f"Average {x_name}", f"Average {y_name}"],
            [
                [item["label"], item["n"], _fmt(item["mean_x"]), _fmt(item["mean_y"])]
                for item in results.get("items", ())
            ],
            [False, True, True, True],
        )
    if activity == "word_cloud":
        return Table(
            "Words given, most used first",
            ["Word", "People"],
            [[word["word"], word["count"]] for word in results.get("words", ())],
            [False, True],
        )
    if activity == "statements":
        return Table(
            "Statements ranked by agreement (the share of votes that agree)",
            ["Statement", "Agree", "Disagree", "Pass", "Agreement"],
            [
                [
                    _statement_text(s, rank),
                    s["agree"],
                    s["disagree"],
                    s["passes"],
                    _percent(s["agreement"]),
                ]
                for rank, s in enumerate(results.get("statements", ()), start=1)
            ],
            [False, True, True, True, True],
        )
    return None


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _when(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return f"{value.day} {value:%B %Y, %H:%M} UTC"
