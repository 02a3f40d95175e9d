"""The workshop plan as the rest of the app sees it: plain frozen dataclasses.

A plan is loaded from YAML (see ``loader.py``) and never changes once loaded; a session keeps
its own copy of the plan's source so that editing a file cannot change a session under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The activity types a stage can hold, and what an answer to each looks like, are the
# registry's (facilitation/activities/): it builds on this module, so this one names none.
TRAFFIC_LIGHTS = ("met", "partly", "not_met")
TRAFFIC_LIGHT_LABELS = {"met": "Met", "partly": "Partly met", "not_met": "Not met"}

# Limits the plan loader and the live events share: a plan that imports can be run to its
# end. One number each, read by the plan reader and by workshop/payloads.py and
# workshop/breakouts.py (which cannot be imported here: they import the plans package).
MAX_KEY = 80  # a stage's, scenario's or item's key; events send stage and scenario keys
MAX_STAGES = 1000  # the console's goto {index} runs from 0 to MAX_STAGES - 1
MAX_TABLES = 50  # breakout tables: a plan's tables: list and the console's set_tables
MAX_TABLE_NAME = 80
MAX_SECTOR_NAME = 80  # phones send the sector back in the join form and the sector answer
# Items of one activity: a ranking, points or grid answer names every item by its key, and
# the whole answer must fit in one message (payloads.MAX_PAYLOAD_CHARS, 8 KB): 50 keys of
# MAX_KEY characters with their values take about 5 KB.
MAX_ITEMS = 50
# A stage's suggested timer, and what the console's timer_start accepts.
TIMER_MIN_SECONDS, TIMER_MAX_SECONDS = 10, 3600


@dataclass(frozen=True)
class Item:
    """An option of a choice, or an item to rate, light or rank."""

    key: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Scale:
    """A rating scale, e.g. 1 to 5 from "not at all" to "fully"."""

    min: int = 1
    max: int = 5
    min_label: str = ""
    max_label: str = ""

    @property
    def points(self) -> range:
        return range(self.min, self.max + 1)


@dataclass(frozen=True)
class Axis:
    """One axis of a benefit-risk grid: its name and the words at its two ends."""

    label: str
    low: str = "Low"
    high: str = "High"


@dataclass(frozen=True)
class GridAxes:
    x: Axis = Axis("Benefit")
    y: Axis = Axis("Risk")


# The item a grid without items places: the session's scenario itself.
GRID_SCENARIO_ITEM = Item("scenario", "The scenario")


@dataclass(frozen=True)
class Moderation:
    """How the plan moderates what participants write."""

    profanity_filter: bool = True
    word_limit: int | None = None  # words per comment, statement or note; None = no limit


# How a stage runs from one press of the console's big button to the next (workshop/flow.py):
# whether input opens when the stage is shown or by hand, and whether results are revealed
# by the press after input, as soon as input closes, or by hand.
FLOW_INPUT = ("on_show", "manual")
FLOW_REVEAL = ("next_press", "on_close", "manual")


@dataclass(frozen=True)
class Flow:
    input: str = "on_show"
    reveal: str = "next_press"


# How the projector looks (plans/theme.py reads and checks it): an accent colour, light or
# dark, and a logo file from the plans folder.
THEME_MODES = ("light", "dark")


@dataclass(frozen=True)
class Theme:
    accent: str = ""  # "#rrggbb"; "" keeps the app's own blue
    mode: str = "light"
    logo: str = ""  # a file name in the plans folder; "" for none


@dataclass(frozen=True)
class SelfPaced:
    """How the plan runs as a self-paced run (a public consultation, workshop/runs.py):
    what a person sees after answering a stage, whether they comment, whether comments
    wait for approval, and whether the profile closes the run. A run starts from these
    and the facilitator may change them when publishing it."""

    results: bool = True  # a stage's results once the person has answered it
    comments: bool = True  # comments, and agreeing or disagreeing with others'
    approve_comments: bool = True  # new comments wait for a moderator's approval
    profile: bool = True  # profile stages show the framework profile


# A statements stage's opinion groups (facilitation/opinion/): who votes enough to be placed
# on the map, how many such people it takes before groups are looked for, and whether each
# participant is told their own group. On unless the plan says ``opinion_groups: false``.
OPINION_MIN_VOTES_RANGE = (2, 20)
OPINION_MIN_PEOPLE_RANGE = (4, 100)


@dataclass(frozen=True)
class OpinionGroups:
    min_votes: int = 3
    min_people: int = 7
    tell_participants: bool = False


@dataclass(frozen=True)
class Activity:
    type: str
    body: str = ""  # info: the card's text (paragraphs separated by blank lines)
    items: tuple[Item, ...] = ()  # choice options, or items to rate / light / rank
    multiple: bool = False  # choice: may pick several
    scale: Scale | None = None  # rating only
    max_length: int = 280  # open_text and comments: characters per comment
    points: int = 10  # points: how many points each participant spends
    axes: GridAxes | None = None  # grid only
    size: int = 5  # grid: cells per axis
    max_words: int = 3  # word_cloud: words per answer
    opinion_groups: OpinionGroups | None = None  # statements only; None: off
    # slides only: the deck's file name as the plan names it (a PlanDeck / SessionDeck) and
    # the pages shown, 1-based and inclusive; None: every page of the deck.
    deck: str = ""
    pages: tuple[int, int] | None = None
    # What the type is (activities/), set by the loader: the model cannot ask the registry,
    # whose types build on it. Not compared: the type already decides them.
    answerable: bool = field(default=False, compare=False)  # phones send answers
    always_comments: bool = field(default=False, compare=False)  # its answers are comments

    def item(self, key: str) -> Item | None:
        return next((i for i in self.items if i.key == key), None)


@dataclass(frozen=True)
class Stage:
    key: str
    title: str
    prompt: str
    activity: Activity
    comments: bool = False  # whether participants may comment (always for some activities)
    timer: int | None = None  # the suggested countdown for the stage, in seconds

    @property
    def takes_comments(self) -> bool:
        return self.comments or self.activity.always_comments


@dataclass(frozen=True)
class Scenario:
    """A concrete data sharing initiative the room assesses."""

    key: str
    title: str
    summary: str
    data: str = ""  # the kind of data shared, e.g. "financial", "health records"
    sharing: str = ""  # who shares with whom, e.g. "housing to health services"
    anonymisation: str = ""  # how far the data is anonymised


@dataclass(frozen=True)
class Feature:
    """One of the framework's features: a rating stage and the items of it that are the
    framework's questions (all of its items when the plan names the stage alone)."""

    stage: str
    questions: tuple[str, ...]
    every_item: bool = True  # the plan named the stage alone; the editor writes it back so


@dataclass(frozen=True)
class Framework:
    """Which stages are the report's tests and features (``framework:``, plans/framework.py);
    the profile and the acceptability score are computed from them (workshop/profile.py)."""

    tests: tuple[str, ...] = ()  # traffic light stages' keys, in the plan's order of listing
    features: tuple[Feature, ...] = ()

    @property
    def stage_keys(self) -> tuple[str, ...]:
        return self.tests + tuple(feature.stage for feature in self.features)


# A breakdown never shows a group smaller than this (workshop/small_groups.py). Two is the
# floor: with one, "Health · 1 person" is that person's answer, which the join page
# promises the facilitator never sees.
DEFAULT_MIN_GROUP_SIZE = 3
MIN_GROUP_SIZE_RANGE = (2, 100)


@dataclass(frozen=True)
class Plan:
    slug: str  # file name without .yaml; stable identifier
    title: str
    description: str
    sectors: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    stages: tuple[Stage, ...]
    privacy_notice: str  # shown before joining: what is collected, why, for how long
    retention_days: int = 90
    tables: tuple[str, ...] = ()  # breakout table names (may be none)
    # The fewest people a sector or table (or a series' session) may have in any breakdown
    # before its numbers are folded into "Other groups" (workshop/small_groups.py).
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    moderation: Moderation = field(default_factory=Moderation)
    flow: Flow = field(default_factory=Flow)
    theme: Theme = field(default_factory=Theme)
    framework: Framework | None = None  # None: the plan declares no framework
    self_paced: SelfPaced = field(default_factory=SelfPaced)
    # {language: the plan's text in it}, from ``translations:`` (plans/translations.py)
    translations: dict[str, dict] = field(default_factory=dict, hash=False)
    source: str = field(default="", compare=False, repr=False)  # the YAML text it came from

    def stage(self, key: str) -> Stage | None:
        return next((s for s in self.stages if s.key == key), None)

    def stage_index(self, key: str) -> int | None:
        return next((i for i, s in enumerate(self.stages) if s.key == key), None)

    def scenario(self, key: str | None) -> Scenario | None:
        return next((s for s in self.scenarios if s.key == key), None)
