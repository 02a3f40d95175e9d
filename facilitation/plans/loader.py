"""Read a plan from YAML, reporting every problem with its line and field.

The format is specified in ``docs/plan-format.md``. We compose the YAML into nodes rather
than loading it into Python objects, because only nodes remember where they came from: a
facilitator fixing a plan needs "line 12: stages[3].type", not a traceback. The walk goes
on after a problem so that one ``plan check`` shows everything to fix, not one thing a run.

Positions in lists count from 1 (``stages[1]`` is the first stage), as a facilitator counts.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..text import check_text
from .model import (
    ACTIVITY_TYPES,
    COMMENT_TYPES,
    DEFAULT_MIN_GROUP_SIZE,
    GRID_SCENARIO_ITEM,
    MAX_ITEMS,
    MAX_KEY,
    MAX_SECTOR_NAME,
    MAX_STAGES,
    MAX_TABLE_NAME,
    MAX_TABLES,
    MIN_GROUP_SIZE_RANGE,
    TIMER_MAX_SECONDS,
    TIMER_MIN_SECONDS,
    Activity,
    Axis,
    GridAxes,
    Item,
    Moderation,
    Plan,
    Scale,
    Scenario,
    Stage,
)
from .translations import read_translations

PLAN_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
KEY = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
# MAX_KEY is also the width of the database column holding a plan's slug.
MAX_TITLE = 200
MAX_SECTOR = MAX_SECTOR_NAME  # phones send the sector back, and the server refuses longer ones
MAX_TABLE = MAX_TABLE_NAME  # what the console's set_tables accepts, too
MAX_AXIS_TEXT = 80
# A plan is a few kilobytes; anything this big is not one. Checked in parse_plan, which
# every way in goes through (upload, the editor's source, its JSON helpers, files).
MAX_PLAN_BYTES = 512 * 1024

TOP_FIELDS = (
    "title",
    "description",
    "privacy_notice",
    "retention_days",
    "min_group_size",
    "sectors",
    "tables",
    "moderation",
    "scenarios",
    "stages",
    "translations",
)
MODERATION_FIELDS = ("profanity_filter", "word_limit")
SCENARIO_FIELDS = ("key", "title", "summary", "data", "sharing", "anonymisation")
STAGE_FIELDS = (
    "key",
    "title",
    "prompt",
    "type",
    "body",
    "comments",
    "items",
    "multiple",
    "scale",
    "max_length",
    "timer",
    "points",
    "axes",
    "size",
    "max_words",
)
ITEM_FIELDS = ("key", "label", "description")
SCALE_FIELDS = ("min", "max", "min_label", "max_label")
AXES_FIELDS = ("x", "y")
AXIS_FIELDS = ("label", "low", "high")

# How many items each activity needs; the activities not listed take none. A grid's items
# are optional: without any, the room places the scenario itself (GRID_SCENARIO_ITEM).
MIN_ITEMS = {"choice": 2, "rating": 1, "traffic_light": 1, "ranking": 2, "points": 2, "grid": 0}

_NULL = "tag:yaml.org,2002:null"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
# Its scalar methods only read the node given, so one instance serves every parse.
_SCALARS = SafeConstructor()


@dataclass(frozen=True)
class PlanError:
    """One problem in a plan file, worded for the facilitator who wrote it."""

    line: int | None  # 1-based; None when the problem has no place in the file
    field: str  # e.g. "stages[3].items[1].key"; "" for the file as a whole
    message: str

    def __str__(self) -> str:
        parts = [f"line {self.line}"] if self.line is not None else []
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class PlanInvalid(ValueError):
    """A plan that cannot be used; ``errors`` lists every problem found, in file order."""

    def __init__(self, errors: Iterable[PlanError]):
        self.errors = list(errors)
        count = len(self.errors)
        heading = f"the plan has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([heading, *(f"  {error}" for error in self.errors)]))


def parse_plan(source: str, slug: str) -> Plan:
    """The plan written in ``source``; raises PlanInvalid listing every problem."""
    check_size(len(source.encode("utf-8", errors="surrogatepass")))  # before YAML reads it
    reader = _Reader()
    if not is_plan_slug(slug):
        reader.error(
            None,
            "",
            f"'{slug}' is not a valid plan name: use lower-case letters, digits and dashes "
            f"(at most {MAX_KEY}), like 'data-for-public-benefit'",
        )
    plan = reader.plan(source, slug)
    if reader.errors:
        raise PlanInvalid(sorted(reader.errors, key=lambda e: e.line or 0))
    assert plan is not None  # the reader only returns None after reporting why
    return plan


def too_big(size: int | None = None) -> PlanError:
    """The problem of a plan over MAX_PLAN_BYTES (of ``size`` bytes, when known)."""
    this = f"; this one has {math.ceil(size / 1024)} KB" if size is not None else ""
    return PlanError(None, "", f"the plan is too big: at most {MAX_PLAN_BYTES // 1024} KB{this}")


def check_size(size: int) -> None:
    """PlanInvalid if a plan of ``size`` bytes (UTF-8) is over the limit: the one check."""
    if size > MAX_PLAN_BYTES:
        raise PlanInvalid([too_big(size)])


def decode_plan(data: bytes) -> str:
    """The text of a plan file's bytes: its size checked, then read as UTF-8."""
    check_size(len(data))
    try:
        # utf-8-sig: an editor's byte order mark is not part of the plan.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PlanInvalid(
            [PlanError(line, "", "the file is not UTF-8 text: save it as UTF-8")]
        ) from None


def load_plan(path: str | Path) -> Plan:
    """The plan in the file at ``path``; its slug is the file name without its suffix."""
    path = Path(path)
    check_size(path.stat().st_size)  # not read at all when too big
    return parse_plan(decode_plan(path.read_bytes()), path.stem)


def is_plan_slug(slug: str) -> bool:
    return isinstance(slug, str) and len(slug) <= MAX_KEY and bool(PLAN_SLUG.match(slug))


def slugify(label: str) -> str:
    """A key made from a label: "Fully met?" gives "fully-met"."""
    # Decompose accents so "Café" gives "cafe" rather than "caf".
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return key[:MAX_KEY].rstrip("-")


def _line(node: Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass
class _Fields:
    """A YAML mapping's fields by name, each with its key node (for the line) and value."""

    node: MappingNode
    path: str
    values: dict[str, tuple[Node, Node]]

    def get(self, name: str) -> tuple[Node, Node] | None:
        return self.values.get(name)


class _Reader:
    """Walks the composed YAML, building the plan and collecting every problem on the way."""

    def __init__(self) -> None:
        self.errors: list[PlanError] = []

    def error(self, node: Node | None, path: str, message: str) -> None:
        self.errors.append(PlanError(_line(node), path, message))

    # The plan as a whole

    def plan(self, source: str, slug: str) -> Plan | None:
        root = self.compose(source)
        if root is None:
            return None
        fields = self.mapping(
            root,
            "",
            TOP_FIELDS,
            "a plan is a set of fields (title:, description:, stages: ...), "
            "not a list or a single value",
        )
        if fields is None:
            return None
        title = self.text(fields, "title", max_length=MAX_TITLE)
        description = self.text(fields, "description")
        privacy_notice = self.text(fields, "privacy_notice")
        retention_days = self.integer(fields, "retention_days", 90, 1, 3650)
        min_group_size = self.integer(
            fields, "min_group_size", DEFAULT_MIN_GROUP_SIZE, *MIN_GROUP_SIZE_RANGE
        )
        sectors = self.names(fields, "sectors", "sector", MAX_SECTOR, required=True)
        tables = self.names(fields, "tables", "table", MAX_TABLE, required=False, most=MAX_TABLES)
        moderation = self.moderation(fields)
        scenarios = self.scenarios(fields)
        stages = self.stages(fields, has_scenarios=bool(scenarios))
        translations = read_translations(self, fields, stages, scenarios, sectors)
        return Plan(
            slug=slug,
            title=title,
            description=description,
            sectors=sectors,
            scenarios=scenarios,
            stages=stages,
            privacy_notice=privacy_notice,
            retention_days=retention_days,
            min_group_size=min_group_size,
            tables=tables,
            moderation=moderation,
            translations=translations,
            source=source,
        )

    def compose(self, source: str) -> Node | None:
        try:
            root = yaml.compose(source, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            what = ", ".join(part for part in (exc.context, exc.problem) if part)
            if "'\\t'" in what:
                what += " (indent with spaces, not tabs)"
            self.errors.append(PlanError(line, "", f"not valid YAML: {what}"))
            return None
        except RecursionError:
            self.errors.append(PlanError(None, "", "not valid YAML: nested too deeply"))
            return None
        except yaml.YAMLError as exc:  # e.g. a control character the reader refuses
            position = getattr(exc, "position", None)
            line = source[:position].count("\n") + 1 if position is not None else None
            reason = getattr(exc, "reason", None) or "cannot be read"
            self.errors.append(PlanError(line, "", f"not valid YAML: {reason}"))
            return None
        if root is None or (isinstance(root, ScalarNode) and root.tag == _NULL):
            self.errors.append(
                PlanError(
                    None,
                    "",
                    "the plan is empty: it needs at least title, description, "
                    "privacy_notice, sectors and stages",
                )
            )
            return None
        return root

    def names(
        self,
        fields: _Fields,
        path: str,
        what: str,
        max_length: int,
        *,
        required: bool,
        most: int | None = None,
    ) -> tuple[str, ...]:
        """A list of distinct names, like the sectors or the breakout tables."""
        nodes = self.sequence(fields, path, required=required, what=f"a list of {what}s")
        if nodes is None:
            return ()
        if most is not None:
            self.at_most(nodes, path, most, what)
        if not nodes and required:
            self.error(fields.get(path)[0], path, f"needs at least one {what}")
        names: list[str] = []
        first_line: dict[str, int | None] = {}
        for number, node in enumerate(nodes, start=1):
            name = self.scalar_text(node, f"{path}[{number}]", node, True, max_length)
            if not name:
                continue
            folded = name.casefold()
            if folded in first_line:
                self.error(
                    node,
                    f"{path}[{number}]",
                    f"duplicate {what} '{name}' (first used on line {first_line[folded]})",
                )
                continue
            first_line[folded] = _line(node)
            names.append(name)
        return tuple(names)

    def moderation(self, fields: _Fields) -> Moderation:
        entry = fields.get("moderation")
        if entry is None or entry[1].tag == _NULL:
            return Moderation()
        moderation = self.mapping(
            entry[1],
            "moderation",
            MODERATION_FIELDS,
            "a set of fields: profanity_filter (true or false) and word_limit",
        )
        if moderation is None:
            return Moderation()
        word_limit = None
        if moderation.get("word_limit") is not None:
            word_limit = self.integer(moderation, "word_limit", None, 1, 500)
        return Moderation(
            profanity_filter=self.boolean(moderation, "profanity_filter", default=True),
            word_limit=word_limit,
        )

    def scenarios(self, fields: _Fields) -> tuple[Scenario, ...]:
        nodes = self.sequence(fields, "scenarios", required=False, what="a list of scenarios")
        scenarios: list[Scenario] = []
        keys: dict[str, int | None] = {}
        for number, node in enumerate(nodes or (), start=1):
            path = f"scenarios[{number}]"
            scenario = self.mapping(
                node, path, SCENARIO_FIELDS, "a scenario: key, title, summary and optional details"
            )
            if scenario is None:
                continue
            scenarios.append(
                Scenario(
                    key=self.key(scenario, "key", keys, "scenario"),
                    title=self.text(scenario, "title", max_length=MAX_TITLE),
                    summary=self.text(scenario, "summary"),
                    data=self.text(scenario, "data", required=False),
                    sharing=self.text(scenario, "sharing", required=False),
                    anonymisation=self.text(scenario, "anonymisation", required=False),
                )
            )
        return tuple(scenarios)

    def stages(self, fields: _Fields, has_scenarios: bool) -> tuple[Stage, ...]:
        nodes = self.sequence(fields, "stages", required=True, what="a list of stages")
        if nodes is None:
            return ()
        if not nodes:
            self.error(fields.get("stages")[0], "stages", "needs at least one stage")
        self.at_most(nodes, "stages", MAX_STAGES, "stage")
        keys: dict[str, int | None] = {}
        stages = (
            self.stage(node, f"stages[{number}]", keys, has_scenarios)
            for number, node in enumerate(nodes, start=1)
        )
        return tuple(stage for stage in stages if stage is not None)

    # A stage and its activity

    def stage(
        self, node: Node, path: str, keys: dict[str, int | None], has_scenarios: bool
    ) -> Stage | None:
        fields = self.mapping(
            node, path, STAGE_FIELDS, "a stage: a set of fields with key, title, prompt and type"
        )
        if fields is None:
            return None
        key = self.key(fields, "key", keys, "stage")
        title = self.text(fields, "title", max_length=MAX_TITLE)
        prompt = self.text(fields, "prompt")
        kind = self.activity_type(fields)
        if kind == "scenario" and not has_scenarios:
            self.error(
                fields.get("type")[1],
                _join(path, "type"),
                "a scenario stage shows the scenario chosen for the session, "
                "but the plan lists no scenarios",
            )
        comments = self.boolean(fields, "comments")
        items = self.items(fields, kind)
        if kind == "grid" and not items and fields.get("items") is None:
            items = (GRID_SCENARIO_ITEM,)
        timer = None
        if fields.get("timer") is not None:
            timer = self.integer(fields, "timer", None, TIMER_MIN_SECONDS, TIMER_MAX_SECONDS)

        takes_comments = comments or kind in COMMENT_TYPES
        multiple = False
        if self.applies(fields, "multiple", kind, kind == "choice", "a choice stage"):
            multiple = self.boolean(fields, "multiple")
        scale = Scale() if kind == "rating" else None
        if self.applies(fields, "scale", kind, kind == "rating", "a rating stage"):
            scale = self.scale(fields, scale)
        max_length = 280
        if self.applies(
            fields,
            "max_length",
            kind,
            takes_comments,
            "a stage that takes comments (comments: true, or an open_text or statements stage)",
        ):
            max_length = self.integer(fields, "max_length", 280, 20, 2000)
        points = 10
        if self.applies(fields, "points", kind, kind == "points", "a points stage"):
            points = self.integer(fields, "points", 10, 1, 100)
        axes = GridAxes() if kind == "grid" else None
        if self.applies(fields, "axes", kind, kind == "grid", "a grid stage"):
            axes = self.axes(fields, axes)
        size = 5
        if self.applies(fields, "size", kind, kind == "grid", "a grid stage"):
            size = self.integer(fields, "size", 5, 3, 11)
        max_words = 3
        if self.applies(fields, "max_words", kind, kind == "word_cloud", "a word_cloud stage"):
            max_words = self.integer(fields, "max_words", 3, 1, 10)
        activity = Activity(
            type=kind or "info",
            body=self.text(fields, "body", required=False),
            items=items,
            multiple=multiple,
            scale=scale,
            max_length=max_length,
            points=points,
            axes=axes,
            size=size,
            max_words=max_words,
        )
        return Stage(
            key=key,
            title=title,
            prompt=prompt,
            activity=activity,
            comments=comments,
            timer=timer,
        )

    def activity_type(self, fields: _Fields) -> str | None:
        kind = self.text(fields, "type")
        if not kind:
            return None
        if kind not in ACTIVITY_TYPES:
            message = f"must be one of {', '.join(ACTIVITY_TYPES)}"
            self.error(fields.get("type")[1], _join(fields.path, "type"), _suggest(message, kind))
            return None
        return kind

    def applies(
        self, fields: _Fields, name: str, kind: str | None, applies: bool, where: str
    ) -> bool:
        """Whether to read an optional field that only some stages use; reports misuse."""
        entry = fields.get(name)
        # With an unknown type we cannot tell what applies, so read the field anyway and
        # report what is wrong with its value; the type's own error says the rest.
        if entry is not None and kind is not None and not applies:
            self.error(entry[0], _join(fields.path, name), f"is only used by {where}")
            return False
        return True

    def items(self, fields: _Fields, kind: str | None) -> tuple[Item, ...]:
        path = _join(fields.path, "items")
        needed = MIN_ITEMS.get(kind) if kind else None
        entry = fields.get("items")
        if entry is None:
            if needed:
                self.error(
                    fields.node,
                    path,
                    f"is required for {_article(kind)} {kind} stage "
                    f"(at least {_plural(needed, 'item')})",
                )
            return ()
        key_node, node = entry
        if kind is not None and needed is None:
            why = " (it offers the plan's sectors)" if kind == "sector" else ""
            self.error(key_node, path, f"items are not used by {_article(kind)} {kind} stage{why}")
            return ()
        if node.tag == _NULL:
            nodes: list[Node] = []
        elif isinstance(node, SequenceNode):
            nodes = node.value
        else:
            self.error(node, path, "must be a list of items")
            return ()
        if kind == "grid" and not nodes:
            self.error(
                key_node,
                path,
                "a grid with items needs at least 1 item (leave items out to place the scenario)",
            )
        if needed and len(nodes) < needed:
            self.error(
                key_node, path, f"{_article(kind)} {kind} needs at least {_plural(needed, 'item')}"
            )
        self.at_most(nodes, path, MAX_ITEMS, "item")
        keys: dict[str, int | None] = {}
        items = (self.item(item, f"{path}[{n}]", keys) for n, item in enumerate(nodes, start=1))
        return tuple(item for item in items if item is not None)

    def item(self, node: Node, path: str, keys: dict[str, int | None]) -> Item | None:
        if isinstance(node, ScalarNode) and node.tag != _NULL:
            label = self.scalar_text(node, path, node, True, None)
            return self.derived_item(node, path, keys, label, "")
        if isinstance(node, MappingNode):
            fields = self.mapping(node, path, ITEM_FIELDS, "")
            label = self.text(fields, "label")
            description = self.text(fields, "description", required=False)
            if fields.get("key") is None:
                return self.derived_item(node, path, keys, label, description)
            key = self.key(fields, "key", keys, "item")
            return Item(key=key, label=label, description=description)
        self.error(
            node,
            path,
            "must be an item: a label, or a set of fields with key, label and description",
        )
        return None

    def derived_item(
        self, node: Node, path: str, keys: dict[str, int | None], label: str, description: str
    ) -> Item | None:
        if not label:
            return None
        key = slugify(label)
        if not key:
            self.error(
                node,
                path,
                f"cannot make a key from the label '{label}': give the item a key "
                "(write it as key: and label: lines)",
            )
        elif key in keys:
            self.error(
                node,
                path,
                f"duplicate item key '{key}', made from the label "
                f"(first used on line {keys[key]}): give the items keys of their own",
            )
        else:
            keys[key] = _line(node)
        return Item(key=key, label=label, description=description)

    def scale(self, fields: _Fields, default: Scale | None) -> Scale | None:
        entry = fields.get("scale")
        if entry is None:
            return default
        node = entry[1]
        path = _join(fields.path, "scale")
        scale = self.mapping(node, path, SCALE_FIELDS, "a scale: min, max, min_label, max_label")
        if scale is None:
            return default
        low = self.integer(scale, "min", 1)
        high = self.integer(scale, "max", 5)
        points = high - low + 1
        if not 2 <= points <= 11:
            self.error(
                node,
                path,
                f"scale must have from 2 to 11 points (from {low} to {high} is {max(points, 0)})",
            )
        return Scale(
            min=low,
            max=high,
            min_label=self.text(scale, "min_label", required=False),
            max_label=self.text(scale, "max_label", required=False),
        )

    def axes(self, fields: _Fields, default: GridAxes | None) -> GridAxes | None:
        entry = fields.get("axes")
        if entry is None:
            return default
        node = entry[1]
        path = _join(fields.path, "axes")
        axes = self.mapping(node, path, AXES_FIELDS, "the grid's axes: x and y")
        if axes is None:
            return default
        base = default or GridAxes()
        return GridAxes(x=self.axis(axes, "x", base.x), y=self.axis(axes, "y", base.y))

    def axis(self, fields: _Fields, name: str, default: Axis) -> Axis:
        entry = fields.get(name)
        if entry is None:
            return default
        path = _join(fields.path, name)
        axis = self.mapping(entry[1], path, AXIS_FIELDS, "an axis: label, low and high")
        if axis is None:
            return default
        label, low, high = (
            self.text(axis, name, required=False, max_length=MAX_AXIS_TEXT) for name in AXIS_FIELDS
        )
        return Axis(label or default.label, low or default.low, high or default.high)

    # Fields of one kind

    def mapping(self, node: Node, path: str, allowed: tuple[str, ...], what: str) -> _Fields | None:
        """The fields of a mapping node; unknown and repeated fields are reported."""
        if not isinstance(node, MappingNode):
            self.error(node, path, what if not path else f"must be {what}")
            return None
        values: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, ScalarNode) else "?"
            field_path = _join(path, name)
            if name == "<<":
                self.error(key_node, path, "merging (<<) is not supported: write the fields out")
            elif name not in allowed:
                message = f"unknown field '{name}'"
                suggestion = _suggest(message, name, allowed)
                if suggestion == message:
                    suggestion += f" (the fields here are {', '.join(allowed)})"
                self.error(key_node, field_path, suggestion)
            elif name in values:
                first = _line(values[name][0])
                self.error(key_node, field_path, f"is given twice (first on line {first})")
            else:
                values[name] = (key_node, value_node)
        return _Fields(node, path, values)

    def text(
        self, fields: _Fields, name: str, *, required: bool = True, max_length: int | None = None
    ) -> str:
        path = _join(fields.path, name)
        entry = fields.get(name)
        if entry is None:
            if required:
                self.error(fields.node, path, "is required")
            return ""
        key_node, node = entry
        return self.scalar_text(node, path, key_node, required, max_length)

    def scalar_text(
        self, node: Node, path: str, key_node: Node, required: bool, max_length: int | None
    ) -> str:
        """Text from a scalar, as written: `- Yes` is the label "Yes", not true."""
        limit = f" of at most {max_length} characters" if max_length else ""
        if not isinstance(node, ScalarNode):
            self.error(node, path, f"must be text{limit}")
            return ""
        value = "" if node.tag == _NULL else node.value.strip()
        if not value:
            if required:
                self.error(key_node, path, "is required")
            return ""
        if max_length and len(value) > max_length:
            self.error(node, path, f"must be text{limit} (this has {len(value)})")
        # A quoted "\0" or "\u202e" is a control or direction character by the time it is
        # read: plan text goes to every phone and export, so it meets the participants' rules.
        problem = check_text(value, lines=True)
        if problem is not None:
            self.error(node, path, problem)
        return value

    def key(self, fields: _Fields, name: str, seen: dict[str, int | None], what: str) -> str:
        key = self.text(fields, name)
        if not key:
            return ""
        node = fields.get(name)[1]
        path = _join(fields.path, name)
        if len(key) > MAX_KEY or not KEY.match(key):
            message = (
                f"must be a key of at most {MAX_KEY} lower-case letters, digits, '-' or '_', "
                "like 'rent-arrears'"
            )
            suggestion = slugify(key)
            if suggestion and suggestion != key:
                message += f" (did you mean '{suggestion}'?)"
            self.error(node, path, message)
        elif key in seen:
            self.error(node, path, f"duplicate {what} key '{key}' (first used on line {seen[key]})")
        else:
            seen[key] = _line(node)
        return key

    def integer(
        self,
        fields: _Fields,
        name: str,
        default: int | None,
        low: int | None = None,
        high: int | None = None,
    ) -> int | None:
        entry = fields.get(name)
        if entry is None:
            return default
        node = entry[1]
        path = _join(fields.path, name)
        bounds = f" from {low} to {high}" if low is not None else ""
        if not isinstance(node, ScalarNode) or node.tag != _INT:
            self.error(node, path, f"must be a whole number{bounds}")
            return default
        value = _SCALARS.construct_yaml_int(node)
        if low is not None and not low <= value <= high:
            self.error(node, path, f"must be a whole number{bounds} (not {value})")
            return default
        return value

    def boolean(self, fields: _Fields, name: str, default: bool = False) -> bool:
        entry = fields.get(name)
        if entry is None:
            return default
        node = entry[1]
        if not isinstance(node, ScalarNode) or node.tag != _BOOL:
            self.error(node, _join(fields.path, name), "must be true or false")
            return False
        return _SCALARS.construct_yaml_bool(node)

    def at_most(self, nodes: list[Node], path: str, most: int, what: str) -> None:
        """A list longer than a running session can use: the limits are the live events'
        own (plans/model.py), so that every stage can be reached, every table set and
        every answer sent. The error points at the first entry too many."""
        if len(nodes) > most:
            self.error(
                nodes[most],
                f"{path}[{most + 1}]",
                f"at most {_plural(most, what)} (this has {len(nodes)}): a session cannot use more",
            )

    def sequence(
        self, fields: _Fields, name: str, *, required: bool, what: str
    ) -> list[Node] | None:
        """The entries of a list field; None when it is missing or not a list."""
        entry = fields.get(name)
        if entry is None:
            if required:
                self.error(fields.node, name, "is required")
            return None
        node = entry[1]
        if node.tag == _NULL:
            return []
        if not isinstance(node, SequenceNode):
            self.error(node, _join(fields.path, name), f"must be {what} (one '- ' line each)")
            return None
        return node.value


def _suggest(message: str, word: str, choices: Iterable[str] = ACTIVITY_TYPES) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"{message} (did you mean '{close[0]}'?)" if close else message
