"""A plan's own text in other languages: the optional ``translations:`` overlay.

A plan is written in one language; ``translations: {cy: {...}}`` gives the same plan's
participant-facing text in another, field by field, keyed by the keys the plan already
uses (stages, items and scenarios by key, sectors by name). Anything left out falls back
to the plan's own text, so an overlay may be partial. Only text is translated: keys,
types, sector values and numbers stay those of the plan, so answers and results do not
depend on the language a phone was in. See docs/plan-format.md, "Plans in two languages".
"""

from __future__ import annotations

import difflib
from dataclasses import replace

from yaml.nodes import MappingNode, Node, ScalarNode

from ..i18n import SUPPORTED_LANGUAGES
from .model import Axis, GridAxes, Item, Plan, Scenario, Stage
from .reader import MAX_AXIS_TEXT, MAX_TITLE, Fields, Reader

TEXT_FIELDS = ("title", "description", "privacy_notice", "sectors", "scenarios", "stages")
SCENARIO_TEXT = ("title", "summary", "data", "sharing", "anonymisation")
STAGE_TEXT = ("title", "prompt", "body", "items", "scale", "axes")
ITEM_TEXT = ("label", "description")
SCALE_TEXT = ("min_label", "max_label")
AXES_TEXT = ("x", "y")
AXIS_TEXT = ("label", "low", "high")
MAX_NAME = 80  # a sector's label, like the sector itself


def read_translations(
    reader: Reader,
    fields: Fields,
    stages: tuple[Stage, ...],
    scenarios: tuple[Scenario, ...],
    sectors: tuple[str, ...],
) -> dict[str, dict]:
    """The plan's ``translations:`` as {language: overlay}; problems go to the reader.

    Each overlay is plain data (only the fields given), applied by ``translated``.
    """
    entry = fields.get("translations")
    if entry is None or entry[1].tag.endswith(":null"):
        return {}
    languages = keyed_entries(
        reader,
        entry[1],
        "translations",
        SUPPORTED_LANGUAGES,
        "a set of languages (cy:, en:), each with the plan's text in that language",
        lambda name: (
            f"'{name}' is not a language the app offers ({', '.join(SUPPORTED_LANGUAGES)})"
        ),
    )
    overlays = {}
    for language, (_key_node, node) in languages.items():
        overlay = _Overlay(reader, stages, scenarios, sectors).language(
            node, f"translations.{language}"
        )
        if overlay:
            overlays[language] = overlay
    return overlays


def keyed_entries(reader, node: Node, path: str, known, what: str, unknown) -> dict:
    """{key: (key node, value node)} of a mapping keyed by the plan's own keys.

    Like the reader's ``mapping`` but worded for keys rather than fields: ``unknown(key)``
    says what is wrong with a key the plan does not have.
    """
    if not isinstance(node, MappingNode):
        reader.error(node, path, f"must be {what}")
        return {}
    entries: dict[str, tuple[Node, Node]] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, ScalarNode) else "?"
        key_path = f"{path}.{key}"
        if key not in known:
            message = unknown(key)
            close = difflib.get_close_matches(key, [str(k) for k in known], n=1)
            reader.error(
                key_node, key_path, f"{message} (did you mean '{close[0]}'?)" if close else message
            )
        elif key in entries:
            first = entries[key][0].start_mark.line + 1
            reader.error(key_node, key_path, f"is given twice (first on line {first})")
        else:
            entries[key] = (key_node, value_node)
    return entries


class _Overlay:
    """Reads one language's overlay, checking every key against the plan it translates."""

    def __init__(self, reader, stages, scenarios, sectors) -> None:
        self.reader = reader
        self.stages = {stage.key: stage for stage in stages}
        self.scenarios = {scenario.key for scenario in scenarios}
        self.sectors = sectors

    def texts(self, fields: Fields, names: tuple[str, ...], limits: dict | None = None) -> dict:
        limits = limits or {}
        found = {}
        for name in names:
            if fields.get(name) is not None:
                text = self.reader.text(fields, name, required=False, max_length=limits.get(name))
                if text:
                    found[name] = text
        return found

    def language(self, node: Node, path: str) -> dict:
        fields = self.reader.mapping(
            node, path, TEXT_FIELDS, "the plan's text in this language (title:, stages: ...)"
        )
        if fields is None:
            return {}
        overlay = self.texts(
            fields, ("title", "description", "privacy_notice"), {"title": MAX_TITLE}
        )
        sectors = self.keyed(fields, "sectors", set(self.sectors), "sector", self.sector)
        scenarios = self.keyed(fields, "scenarios", self.scenarios, "scenario", self.scenario)
        stages = self.keyed(fields, "stages", set(self.stages), "stage", self.stage)
        for name, value in (("sectors", sectors), ("scenarios", scenarios), ("stages", stages)):
            if value:
                overlay[name] = value
        return overlay

    def keyed(self, fields: Fields, name: str, known, what: str, read) -> dict:
        """A mapping from the plan's keys (or sector names) to what each translates to."""
        entry = fields.get(name)
        if entry is None:
            return {}
        path = f"{fields.path}.{name}"
        node = entry[1]
        if node.tag.endswith(":null"):
            return {}
        entries = keyed_entries(
            self.reader,
            node,
            path,
            known,
            f"a set of {what}s by {'name' if what == 'sector' else 'key'}",
            lambda key: f"the plan has no {what} '{key}'",
        )
        found = {}
        for key, (key_node, value_node) in entries.items():
            value = read(key, key_node, value_node, f"{path}.{key}")
            if value:
                found[key] = value
        return found

    def sector(self, name: str, key_node: Node, node: Node, path: str) -> str:
        return self.reader.scalar_text(node, path, key_node, False, MAX_NAME)

    def scenario(self, key: str, key_node: Node, node: Node, path: str) -> dict:
        fields = self.reader.mapping(
            node, path, SCENARIO_TEXT, "the scenario's text: title, summary, data ..."
        )
        return self.texts(fields, SCENARIO_TEXT, {"title": MAX_TITLE}) if fields else {}

    def stage(self, key: str, key_node: Node, node: Node, path: str) -> dict:
        fields = self.reader.mapping(node, path, STAGE_TEXT, "the stage's text: title, prompt ...")
        if fields is None:
            return {}
        stage = self.stages[key]
        overlay = self.texts(fields, ("title", "prompt", "body"), {"title": MAX_TITLE})
        items = self.items(fields, stage)
        if items:
            overlay["items"] = items
        scale = self.part(fields, "scale", stage.activity.scale is not None, SCALE_TEXT)
        if scale is not None:
            overlay["scale"] = self.texts(scale, SCALE_TEXT)
        axes = self.part(fields, "axes", stage.activity.axes is not None, AXES_TEXT)
        if axes is not None:
            overlay["axes"] = {}
            for axis in AXES_TEXT:
                entry = axes.get(axis)
                axis_fields = entry and self.reader.mapping(
                    entry[1], f"{axes.path}.{axis}", AXIS_TEXT, "an axis: label, low and high"
                )
                if axis_fields:
                    limits = dict.fromkeys(AXIS_TEXT, MAX_AXIS_TEXT)
                    overlay["axes"][axis] = self.texts(axis_fields, AXIS_TEXT, limits)
        return {name: value for name, value in overlay.items() if value}

    def part(self, fields: Fields, name: str, applies: bool, parts: tuple[str, ...]):
        """The fields of a stage's scale or axes overlay, if the stage has one to translate."""
        entry = fields.get(name)
        if entry is None:
            return None
        path = f"{fields.path}.{name}"
        if not applies:
            self.reader.error(entry[0], path, f"this stage has no {name} to translate")
            return None
        return self.reader.mapping(entry[1], path, parts, f"a set of fields: {', '.join(parts)}")

    def items(self, fields: Fields, stage: Stage) -> dict:
        """Item text by item key: a label, or {label, description}."""
        keys = {item.key for item in stage.activity.items}
        entry = fields.get("items")
        if entry is None:
            return {}
        if not keys:
            self.reader.error(entry[0], f"{fields.path}.items", "this stage has no items")
            return {}
        path = f"{fields.path}.items"
        entries = keyed_entries(
            self.reader,
            entry[1],
            path,
            sorted(keys),
            "a set of items by key",
            lambda key: f"this stage has no item '{key}'",
        )
        found = {}
        for key, (key_node, node) in entries.items():
            item_path = f"{path}.{key}"
            if isinstance(node, ScalarNode):
                label = self.reader.scalar_text(node, item_path, key_node, False, None)
                text = {"label": label} if label else {}
            else:
                item_fields = self.reader.mapping(node, item_path, ITEM_TEXT, "label, description")
                text = self.texts(item_fields, ITEM_TEXT) if item_fields else {}
            if text:
                found[key] = text
        return found


# Applying an overlay


def translated(plan: Plan, language: str) -> Plan:
    """The plan with its text in ``language`` where the plan gives it, else as written."""
    overlay = plan.translations.get(language)
    if not overlay:
        return plan
    stages = overlay.get("stages", {})
    scenarios = overlay.get("scenarios", {})
    return replace(
        plan,
        title=overlay.get("title", plan.title),
        description=overlay.get("description", plan.description),
        privacy_notice=overlay.get("privacy_notice", plan.privacy_notice),
        scenarios=tuple(_scenario(s, scenarios.get(s.key, {})) for s in plan.scenarios),
        stages=tuple(_stage(s, stages.get(s.key, {})) for s in plan.stages),
    )


def sector_labels(plan: Plan, language: str) -> dict[str, str]:
    """Each sector's name as shown in ``language``; the stored value stays the plan's name."""
    named = plan.translations.get(language, {}).get("sectors", {})
    return {sector: named.get(sector, sector) for sector in plan.sectors}


def _scenario(scenario: Scenario, text: dict) -> Scenario:
    return replace(scenario, **text) if text else scenario


def _stage(stage: Stage, text: dict) -> Stage:
    if not text:
        return stage
    activity = stage.activity
    items = text.get("items", {})
    changes = {"items": tuple(_item(item, items.get(item.key, {})) for item in activity.items)}
    if "body" in text:
        changes["body"] = text["body"]
    if "scale" in text and activity.scale is not None:
        changes["scale"] = replace(activity.scale, **text["scale"])
    if "axes" in text and activity.axes is not None:
        changes["axes"] = _axes(activity.axes, text["axes"])
    return replace(
        stage,
        title=text.get("title", stage.title),
        prompt=text.get("prompt", stage.prompt),
        activity=replace(activity, **changes),
    )


def _item(item: Item, text: dict) -> Item:
    return replace(item, **text) if text else item


def _axes(axes: GridAxes, text: dict) -> GridAxes:
    def axis(current: Axis, given: dict) -> Axis:
        return replace(current, **given) if given else current

    return GridAxes(x=axis(axes.x, text.get("x", {})), y=axis(axes.y, text.get("y", {})))
