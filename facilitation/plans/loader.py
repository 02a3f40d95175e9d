"""Read a plan from YAML, reporting every problem with its line and field.

The format is specified in ``docs/plan-format.md``. The walk over the plan is here; the
reading of single fields (with their lines) is the plan reader's (``reader.py``), and what a
stage's activity adds to it is the activity type's own (``facilitation/activities/``):
``plan_fields``, ``min_items``, ``read_plan``. The stage fields only some types use, and
what a plan is told when it gives one to another type, come from the registry, so adding a
type changes nothing here.
"""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path

import yaml
from yaml.nodes import Node, ScalarNode

# The module, not its names: an activity type imports the plan reader, which runs this
# package's __init__ and so this module, possibly while the registry is still being built.
from .. import activities
from .framework import read_framework
from .model import (
    DEFAULT_MIN_GROUP_SIZE,
    FLOW_INPUT,
    FLOW_REVEAL,
    MAX_KEY,
    MAX_SECTOR_NAME,
    MAX_STAGES,
    MAX_TABLE_NAME,
    MAX_TABLES,
    MIN_GROUP_SIZE_RANGE,
    TIMER_MAX_SECONDS,
    TIMER_MIN_SECONDS,
    Activity,
    Flow,
    Moderation,
    Plan,
    Scenario,
    SelfPaced,
    Stage,
)
from .reader import (
    MAX_TITLE,
    NULL,
    Fields,
    PlanError,
    PlanInvalid,
    Reader,
    article,
    join,
    line,
    suggest,
)
from .theme import read_theme
from .translations import read_translations

PLAN_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
MAX_SECTOR = MAX_SECTOR_NAME  # phones send the sector back, and the server refuses longer ones
MAX_TABLE = MAX_TABLE_NAME  # what the console's set_tables accepts, too
# A plan is a few kilobytes; anything this big is not one. Checked in parse_plan, which
# every way in goes through (upload, the editor's source, its JSON helpers, files).
MAX_PLAN_BYTES = 512 * 1024
MAX_LENGTH_DEFAULT, MAX_LENGTH_RANGE = 280, (20, 2000)  # characters per comment

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
    "framework",
    "translations",
)
MODERATION_FIELDS = ("profanity_filter", "word_limit")
FLOW_FIELDS = ("input", "reveal")
SELF_PACED_FIELDS = ("results", "comments", "approve_comments", "profile")
# Allowed at the top but not listed when a plan has an unknown field: most plans keep the
# default flow and theme (docs/plan-format.md lists every field).
UNLISTED_TOP_FIELDS = ("flow", "theme", "self_paced")
SCENARIO_FIELDS = ("key", "title", "summary", "data", "sharing", "anonymisation")
# The fields of every stage; each activity type adds its own (``plan_fields``).
COMMON_STAGE_FIELDS = ("key", "title", "prompt", "type", "body", "comments", "max_length", "timer")


@functools.cache
def type_fields() -> dict[str, tuple[str, ...]]:
    """{field: the types that use it} for the fields only some types use, in the order the
    registry lists the types (the order a plan's problems with them are told in)."""
    users: dict[str, list[str]] = {}
    for kind in activities.all_types():
        for name in kind.plan_fields:
            users.setdefault(name, []).append(kind.name)
    return {name: tuple(kinds) for name, kinds in users.items()}


@functools.cache
def stage_fields() -> tuple[str, ...]:
    return COMMON_STAGE_FIELDS + tuple(type_fields())


def stage_kinds(names: tuple[str, ...]) -> str:
    """The stages of these types, in words: "a choice stage", "an open_text or statements
    stage"."""
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"{article(names[0])} {listed} stage"


def parse_plan(
    source: str, slug: str, folder: str | Path | None = None, *, builtin: bool = False
) -> Plan:
    """The plan written in ``source``; raises PlanInvalid listing every problem. With
    ``folder`` (the plans folder), the files the plan names there (its logo) are checked.
    ``builtin``: the plan is a file in the plans folder, which cannot hold the files a plan
    written in the app keeps (a slides stage's deck)."""
    check_size(len(source.encode("utf-8", errors="surrogatepass")))  # before YAML reads it
    reader = _PlanReader(builtin)
    if not is_plan_slug(slug):
        reader.error(
            None,
            "",
            f"'{slug}' is not a valid plan name: use lower-case letters, digits and dashes "
            f"(at most {MAX_KEY}), like 'data-for-public-benefit'",
        )
    plan = reader.plan(source, slug, Path(folder) if folder is not None else None)
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
        at = data[: exc.start].count(b"\n") + 1
        raise PlanInvalid(
            [PlanError(at, "", "the file is not UTF-8 text: save it as UTF-8")]
        ) from None


def load_plan(path: str | Path) -> Plan:
    """The plan in the file at ``path``; its slug is the file name without its suffix."""
    path = Path(path)
    check_size(path.stat().st_size)  # not read at all when too big
    return parse_plan(decode_plan(path.read_bytes()), path.stem, path.parent, builtin=True)


def is_plan_slug(slug: str) -> bool:
    return isinstance(slug, str) and len(slug) <= MAX_KEY and bool(PLAN_SLUG.match(slug))


# A file in the plans folder has nowhere to keep a deck: they are uploaded in the plan editor
# and kept with a plan written in the app (slides/plan_decks.py).
BUILTIN_KEEPS_NO_FILES = (
    "a {type} stage shows a deck kept with a plan written in the app, and this plan is a "
    "file on the server: duplicate it in the app (Plans, then Duplicate) and upload the "
    "deck in the copy's editor, under Slide decks"
)


class _PlanReader(Reader):
    """Walks the composed YAML, building the plan and collecting every problem on the way."""

    def __init__(self, builtin: bool = False) -> None:
        super().__init__()
        self.builtin = builtin

    # The plan as a whole

    def plan(self, source: str, slug: str, folder: Path | None) -> Plan | None:
        root = self.compose(source)
        if root is None:
            return None
        fields = self.mapping(
            root,
            "",
            TOP_FIELDS,
            "a plan is a set of fields (title:, description:, stages: ...), "
            "not a list or a single value",
            unlisted=UNLISTED_TOP_FIELDS,
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
        flow = self.flow(fields)
        self_paced = self.self_paced(fields)
        theme = read_theme(self, fields, folder)
        scenarios = self.scenarios(fields)
        # Whether the plan declares a framework (read below, from the stages): a stage
        # summarised from it needs one (``ActivityType.from_framework``).
        has_framework = fields.get("framework") is not None
        stages = self.stages(fields, has_scenarios=bool(scenarios), has_framework=has_framework)
        framework = read_framework(self, fields, stages)
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
            flow=flow,
            self_paced=self_paced,
            theme=theme,
            framework=framework,
            translations=translations,
            source=source,
        )

    def compose(self, source: str) -> Node | None:
        try:
            root = yaml.compose(source, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            at = mark.line + 1 if mark is not None else None
            what = ", ".join(part for part in (exc.context, exc.problem) if part)
            if "'\\t'" in what:
                what += " (indent with spaces, not tabs)"
            self.errors.append(PlanError(at, "", f"not valid YAML: {what}"))
            return None
        except RecursionError:
            self.errors.append(PlanError(None, "", "not valid YAML: nested too deeply"))
            return None
        except yaml.YAMLError as exc:  # e.g. a control character the reader refuses
            position = getattr(exc, "position", None)
            at = source[:position].count("\n") + 1 if position is not None else None
            reason = getattr(exc, "reason", None) or "cannot be read"
            self.errors.append(PlanError(at, "", f"not valid YAML: {reason}"))
            return None
        if root is None or (isinstance(root, ScalarNode) and root.tag == NULL):
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
        fields: Fields,
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
            first_line[folded] = line(node)
            names.append(name)
        return tuple(names)

    def moderation(self, fields: Fields) -> Moderation:
        moderation = self.section(
            fields,
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

    def flow(self, fields: Fields) -> Flow:
        flow = self.section(
            fields,
            "flow",
            FLOW_FIELDS,
            f"a set of fields: input ({' or '.join(FLOW_INPUT)}) "
            f"and reveal ({', '.join(FLOW_REVEAL)})",
        )
        if flow is None:
            return Flow()
        return Flow(
            input=self.flow_choice(flow, "input", FLOW_INPUT),
            reveal=self.flow_choice(flow, "reveal", FLOW_REVEAL),
        )

    def self_paced(self, fields: Fields) -> SelfPaced:
        spec = self.section(
            fields,
            "self_paced",
            SELF_PACED_FIELDS,
            "a set of fields, each true or false: " + ", ".join(SELF_PACED_FIELDS),
        )
        if spec is None:
            return SelfPaced()
        defaults = SelfPaced()
        return SelfPaced(
            **{
                name: self.boolean(spec, name, getattr(defaults, name))
                for name in SELF_PACED_FIELDS
            }
        )

    def flow_choice(self, fields: Fields, name: str, choices: tuple[str, ...]) -> str:
        """One of ``choices`` (the first when the field is left out)."""
        entry = fields.get(name)
        if entry is None:
            return choices[0]
        node = entry[1]
        if not isinstance(node, ScalarNode) or node.value not in choices:
            self.error(node, join(fields.path, name), f"must be {' or '.join(choices)}")
            return choices[0]
        return node.value

    def scenarios(self, fields: Fields) -> tuple[Scenario, ...]:
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

    def stages(self, fields: Fields, has_scenarios: bool, has_framework: bool) -> tuple[Stage, ...]:
        nodes = self.sequence(fields, "stages", required=True, what="a list of stages")
        if nodes is None:
            return ()
        if not nodes:
            self.error(fields.get("stages")[0], "stages", "needs at least one stage")
        self.at_most(nodes, "stages", MAX_STAGES, "stage")
        keys: dict[str, int | None] = {}
        stages = (
            self.stage(node, f"stages[{number}]", keys, has_scenarios, has_framework)
            for number, node in enumerate(nodes, start=1)
        )
        return tuple(stage for stage in stages if stage is not None)

    # A stage and its activity

    def stage(
        self,
        node: Node,
        path: str,
        keys: dict[str, int | None],
        has_scenarios: bool,
        has_framework: bool,
    ) -> Stage | None:
        fields = self.mapping(
            node, path, stage_fields(), "a stage: a set of fields with key, title, prompt and type"
        )
        if fields is None:
            return None
        key = self.key(fields, "key", keys, "stage")
        title = self.text(fields, "title", max_length=MAX_TITLE)
        prompt = self.text(fields, "prompt")
        kind = self.activity_type(fields)
        if kind is not None:
            kind.check(self, fields, has_scenarios=has_scenarios, has_framework=has_framework)
            if kind.keeps_files and self.builtin:
                type_path = join(fields.path, "type")
                message = BUILTIN_KEEPS_NO_FILES.format(type=kind.name)
                self.error(fields.get("type")[1], type_path, message)
        comments = self.boolean(fields, "comments")
        items = self.items(fields, kind)
        if kind is not None and not items and fields.get("items") is None:
            items = kind.default_items
        timer = None
        if fields.get("timer") is not None:
            timer = self.integer(fields, "timer", None, TIMER_MIN_SECONDS, TIMER_MAX_SECONDS)
        always_comments = kind is not None and kind.always_comments
        self.other_types_fields(fields, kind)
        max_length = self.max_length(fields, kind, comments or always_comments)
        own = self.own_fields(fields, kind)
        activity = Activity(
            type=kind.name if kind is not None else "info",
            body=self.text(fields, "body", required=False),
            items=items,
            max_length=max_length,
            answerable=kind is not None and kind.answerable,
            always_comments=always_comments,
            **own,
        )
        return Stage(
            key=key,
            title=title,
            prompt=prompt,
            activity=activity,
            comments=comments,
            timer=timer,
        )

    def activity_type(self, fields: Fields) -> activities.ActivityType | None:
        name = self.text(fields, "type")
        if not name:
            return None
        names = activities.type_names()
        if name not in names:
            message = f"must be one of {', '.join(names)}"
            self.error(
                fields.get("type")[1], join(fields.path, "type"), suggest(message, name, names)
            )
            return None
        return activities.activity_type(name)

    def other_types_fields(self, fields: Fields, kind: activities.ActivityType | None) -> None:
        """Tells of each field given that only other types use (items have their own words).
        With an unknown type we cannot tell what applies: ``own_fields`` reads them all."""
        if kind is None:
            return
        for name, users in type_fields().items():
            entry = fields.get(name)
            if entry is not None and name != "items" and kind.name not in users:
                where = stage_kinds(users)
                self.error(entry[0], join(fields.path, name), f"is only used by {where}")

    def max_length(self, fields: Fields, kind, takes_comments: bool) -> int:
        entry = fields.get("max_length")
        if entry is not None and kind is not None and not takes_comments:
            always = tuple(k.name for k in activities.all_types() if k.always_comments)
            self.error(
                entry[0],
                join(fields.path, "max_length"),
                "is only used by a stage that takes comments "
                f"(comments: true, or {stage_kinds(always)})",
            )
            return MAX_LENGTH_DEFAULT
        return self.integer(fields, "max_length", MAX_LENGTH_DEFAULT, *MAX_LENGTH_RANGE)

    def own_fields(self, fields: Fields, kind: activities.ActivityType | None) -> dict:
        """The ``Activity`` fields the type reads from its own ``plan_fields``. With an unknown
        type, each field given is read by the types that use it, so that what is wrong with
        its value is told too; the type's own error says the rest."""
        if kind is not None:
            return kind.read_plan(self, fields)
        given = [n for n in type_fields() if n != "items" and fields.get(n) is not None]
        readers = dict.fromkeys(user for name in given for user in type_fields()[name])
        for name in readers:
            activities.activity_type(name).read_plan(self, fields)
        return {}
