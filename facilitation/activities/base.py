"""What an activity type is: the one place each part of it is defined.

Every activity type (choice, rating, word cloud, ...) is a subclass of ``ActivityType`` in
its own module under ``facilitation/activities/``, registered by name in ``__init__.py``.
The rest of the app asks the registry (``activity_type(name)``) and never switches on a
type's name. A type overrides only the parts it has; the defaults here are what an
activity without answers (an information card) does.

The parts, in the order a stage meets them:

- ``name`` (the plan's ``type:``) and ``label`` (its name for people, translatable);
- ``plan_fields`` and ``read_plan``: the stage fields only this type reads, and how they are
  read and checked (errors carry line numbers through the plan reader, plans/reader.py);
  ``min_items``, ``items_rule`` and ``default_items``: its items; ``check``: a problem of
  the stage as a whole (a scenario stage in a plan without scenarios);
- ``stage_view``: what a phone, console or projector needs to draw the stage;
- ``clean``: an answer from a phone, checked and normalised, or ``Refused``;
- ``summarise``: the answers counted, for the room or for one group of it (``kept``: what of
  a summary outlives the raw data);
- ``figure``: the Plotly figure of a summary (``None``: the type has no chart), and how a
  breakdown by sector or table draws it (``breakdown_shares`` and the ``share_*`` methods,
  ``panels_share_labels``; ``charts_breakdown`` states the two designs);
- ``table``: the summary as a table of numbers, built once here and sent with ``results``
  (every client and the report render this same table); ``plotly_safe`` and
  ``shows_words``: what else the report does with a summary;
- ``series_figure`` and ``series_tallies``: how one stage compares across the sessions of a
  series (``framework_part``: the report's tests and features, always compared);
- ``export_items``, ``export_value`` and ``item_count``: an answer as (item, item label,
  value) rows of ``responses.csv``, what those values are, and a stage's row of
  ``stages.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Refused


@dataclass(frozen=True)
class Table:
    """A summary as a table: the first column heads each row (the item, word or statement).

    Cells are already formatted for people (strings or whole numbers); ``numeric`` says per
    column whether to align it as a number. ``charted`` says per column whether the chart
    shows its numbers (empty: all do): the projector's table is its chart's text
    alternative and shows only those; the console and the report show every column.
    Sent to browsers as ``as_json()``.
    """

    caption: str
    columns: list[str]
    rows: list[list]
    numeric: list[bool] = field(default_factory=list)
    charted: list[bool] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "caption": self.caption,
            "columns": list(self.columns),
            "rows": [list(row) for row in self.rows],
            "numeric": list(self.numeric),
            "charted": list(self.charted) or [True] * len(self.columns),
        }


def cell(number):
    """A summary's number as a table shows it: whole numbers as they are, others as
    briefly as they go (3.5, 2.67), none yet as "–"."""
    if number is None:
        return "–"
    return f"{number:g}" if isinstance(number, float) else number


def item_label(activity, key: str) -> str:
    """An item's label, or its key for an item the stage does not have."""
    item = activity.item(key)
    return item.label if item is not None else key


class ActivityType:
    """One activity type. Subclasses set the class attributes and override what they have."""

    name: str = ""  # the plan's ``type:``
    label = ""  # its name for people: a lazy_gettext string
    editor_hint = ""  # what the plan editor says under the type's name
    item_word = "item"  # what the plan editor calls one of its items
    answerable: bool = False  # phones send answers (``clean``) that ``summarise`` counts
    always_comments: bool = False  # its answers are the stage's comments (open text)
    records_sector: bool = False  # an answer is the participant's sector, asked once at join
    pass_allowed: bool = False  # a vote on its comments may pass (seen, neither for nor against)
    votes_are_results: bool = False  # summarised from the votes on its comments, not answers
    # Summarised from the answers to the plan's framework stages, not from its own (the
    # profile: workshop/profile_stage.py); a plan with such a stage must declare framework:.
    from_framework: bool = False
    # Shows a file kept with a plan written in the app (a slides stage's deck, slides/
    # plan_decks.py): a plan file on the server cannot hold one, so its loader refuses it.
    keeps_files: bool = False
    # Breakdowns: one 100%-stacked bar per group for each item (``share_*``) rather than the
    # room's chart once per group; the latter's panels share one column of row labels when
    # the chart is bars.
    breakdown_shares: bool = False
    panels_share_labels: bool = True
    # The plan (plans/loader.py reads a stage with these; docs/plan-format.md lists them).
    plan_fields: tuple[str, ...] = ()  # the stage fields only this type reads
    min_items: int | None = None  # items it needs (0: optional); None: it takes no items
    items_rule: str = ""  # said when a plan breaks the rule on items, e.g. why it takes none
    default_items: tuple = ()  # the items of a stage whose plan gives none (Item tuples)
    # The report's framework (the qualitative export's codes, the series comparison):
    # "tests" or "features", the part of the report its stages usually are.
    framework_part: str | None = None
    shows_words: bool = False  # the report sets its results' words as a cloud of sized text
    export_value: str = ""  # what ``value`` holds in its rows of responses.csv (datapackage)
    series_empty = ""  # what a series' table says of a session without tallies (lazy text)

    @property
    def has_results(self) -> bool:
        """Whether a stage of this type has results to reveal: its answers, the votes on
        its comments, or the framework's answers. A card only shows something."""
        return self.answerable or self.votes_are_results or self.from_framework

    @property
    def asks_people(self) -> bool:
        """Whether the activity asks something of people (answers, or comments as its
        answers); an information or scenario card only shows something."""
        return self.answerable or self.always_comments

    def read_plan(self, reader, fields) -> dict:
        """The ``Activity`` fields read from this stage's own ``plan_fields``, checked with
        ``reader`` (plans/reader.py), which keeps each problem with its line."""
        return {}

    def check(self, reader, fields, *, has_scenarios: bool, has_framework: bool) -> None:
        """Problems of the stage as a whole in its plan, told to ``reader`` (checked right
        after the stage's ``type:``): ``has_scenarios``, ``has_framework``: whether the
        plan lists scenarios, declares a ``framework:``."""

    def stage_view(self, activity) -> dict:
        """What clients need, beyond the common fields, to draw a stage of this type."""
        return {}

    def clean(self, activity, plan, value: dict) -> dict:
        """A phone's answer, checked and normalised; raises ``Refused`` when it is wrong."""
        raise Refused("This stage takes no answers.")

    def summarise(self, activity, plan, counts) -> dict | None:
        """``counts``: (answer value, how many people gave it) pairs, for the room or a group."""
        return None

    def kept(self, results: dict, min_group_size: int) -> dict:
        """What of a summary is kept once the raw data is deleted: counts, never a
        participant's own words (privacy/retention.py)."""
        return results

    def figure(self, results: dict) -> dict | None:
        """The summary's chart as plain JSON-ready data and layout, without the template
        (a breakdown builds its panels from these)."""
        return None

    @property
    def has_figure(self) -> bool:
        return type(self).figure is not ActivityType.figure

    def share_segments(self, results: dict) -> list[tuple[str, str, str]]:
        """(key, legend name, colour) of each part of a breakdown's 100% bar."""
        raise NotImplementedError(f"{self.name} draws no shares")

    def share_count(self, item: dict, key: str) -> int:
        """How many people an item's summary counts in the part ``key`` of its bar."""
        return item[key]

    def share_detail(self, item: dict) -> str:
        """What a group's label adds after its number of people when a panel has one item."""
        return ""

    def table(self, stage, results: dict):
        """The summary as a ``Table`` of numbers (the chart's accessible alternative)."""
        return None

    def plotly_safe(self, results: dict) -> dict:
        """The summary with participants' words escaped for plotly's own markup (<b>, <a>),
        as the report's figures take it."""
        return results

    def series_figure(self, stage, entries) -> dict | None:
        """The stage's sessions side by side as JSON-ready figure data, or None when the
        series compares it by its comments only. ``entries``: the sessions' ``StageSession``
        (series/comparison.py), each with ``results`` and ``column.label``."""
        return None

    def series_tallies(self, results: dict) -> list[tuple[str, list[tuple[str, str]]]] | None:
        """One session's results in words, for the series' table beside the figure: a
        (heading, parts) line per item or option, each part a (text, CSS class) pair; none
        at all says ``series_empty``. None: the figure says it ("See the chart")."""
        return None

    def item_count(self, activity, plan) -> int:
        """How many items or options a stage of this type offers (stages.csv)."""
        return len(activity.items)

    def export_items(self, activity, value: dict) -> list[tuple[str, str, object]]:
        return []
