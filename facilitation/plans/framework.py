"""A plan's ``framework:``: which of its stages are the report's tests and features.

    framework:
      tests: [purposeful, proportionate, responsible]     # traffic light stages
      features:                                            # rating stages
        - feature-outcomes                                 # every item is a question
        - stage: feature-respect
          questions: [expected, minimum, dignity, voice]   # or some of its items

Which activity type may be a test or a feature is the registry's (``framework_part`` of
facilitation/activities/), so no type is named here. What the profile computes from the
stages named: workshop/profile.py and docs/framework.md.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode

# The module, not its names (as loader.py does): the registry imports the plan reader.
from .. import activities
from .model import MAX_KEY, Feature, Framework, Stage
from .reader import Reader, article, join, line, suggest

FRAMEWORK_FIELDS = ("tests", "features")
FEATURE_FIELDS = ("stage", "questions")
# The part of the framework each list holds, as the activity types name it.
PART_WORDS = {"tests": "test", "features": "feature"}


def read_framework(reader: Reader, fields, stages: tuple[Stage, ...]) -> Framework | None:
    """The plan's ``framework:`` checked against its ``stages``; None when it has none."""
    spec = reader.section(
        fields,
        "framework",
        FRAMEWORK_FIELDS,
        "a set of fields: tests (traffic light stages) and features (rating stages)",
    )
    if spec is None:
        return None
    if spec.get("tests") is None and spec.get("features") is None:
        reader.error(fields.get("framework")[0], "framework", "needs tests:, features: or both")
    by_key = {stage.key: stage for stage in stages}
    seen: dict[str, int | None] = {}
    tests = []
    for number, node in enumerate(_entries(reader, spec, "tests"), start=1):
        path = f"framework.tests[{number}]"
        key = _stage_key(reader, node, path, by_key, "tests")
        if key is not None and _first(reader, node, path, key, seen):
            tests.append(key)
    features = []
    for number, node in enumerate(_entries(reader, spec, "features"), start=1):
        feature = _feature(reader, node, f"framework.features[{number}]", by_key, seen)
        if feature is not None:
            features.append(feature)
    return Framework(tests=tuple(tests), features=tuple(features))


def _entries(reader: Reader, spec, name: str) -> list[Node]:
    nodes = reader.sequence(spec, name, required=False, what=f"a list of {name}")
    if nodes is not None and not nodes:
        reader.error(
            spec.get(name)[0],
            join("framework", name),
            f"needs at least one {PART_WORDS[name]} (or leave {name}: out)",
        )
    return nodes or []


def _stage_key(
    reader: Reader, node: Node, path: str, by_key: dict[str, Stage], part: str
) -> str | None:
    """The key of a stage that may be this ``part`` of the framework, or None (told why)."""
    key = reader.scalar_text(node, path, node, True, MAX_KEY)
    if not key:
        return None
    stage = by_key.get(key)
    if stage is None:
        reader.error(node, path, suggest(f"the plan has no stage '{key}'", key, list(by_key)))
        return None
    if activities.activity_type(stage.activity.type).framework_part != part:
        kinds = " or ".join(k.name for k in activities.all_types() if k.framework_part == part)
        reader.error(
            node,
            path,
            f"'{key}' is {article(stage.activity.type)} {stage.activity.type} stage: "
            f"a {PART_WORDS[part]} is a {kinds} stage",
        )
        return None
    return key


def _first(reader: Reader, node: Node, path: str, key: str, seen: dict[str, int | None]) -> bool:
    """Whether ``key`` is named here for the first time in the framework (told if not)."""
    if key in seen:
        reader.error(node, path, f"stage '{key}' is listed twice (first on line {seen[key]})")
        return False
    seen[key] = line(node)
    return True


def _feature(
    reader: Reader, node: Node, path: str, by_key: dict[str, Stage], seen: dict[str, int | None]
) -> Feature | None:
    """A feature: a rating stage's key alone (every item a question), or
    ``{stage, questions}`` naming some of its items."""
    if isinstance(node, ScalarNode):
        key = _stage_key(reader, node, path, by_key, "features")
        if key is None or not _first(reader, node, path, key, seen):
            return None
        return Feature(key, tuple(item.key for item in by_key[key].activity.items))
    if not isinstance(node, MappingNode):
        reader.error(
            node, path, "must be a rating stage's key, or a set of fields: stage, questions"
        )
        return None
    fields = reader.mapping(node, path, FEATURE_FIELDS, "")
    entry = fields.get("stage")
    if entry is None:
        reader.error(node, join(path, "stage"), "is required")
        return None
    key = _stage_key(reader, entry[1], join(path, "stage"), by_key, "features")
    if key is None or not _first(reader, entry[1], join(path, "stage"), key, seen):
        return None
    if fields.get("questions") is None:
        return Feature(key, tuple(item.key for item in by_key[key].activity.items))
    questions = _questions(reader, fields, path, by_key[key])
    return Feature(key, questions, every_item=False) if questions else None


def _questions(reader: Reader, fields, path: str, stage: Stage) -> tuple[str, ...]:
    """The items of ``stage`` a feature names as its questions, each once."""
    where = join(path, "questions")
    nodes = reader.sequence(fields, "questions", required=True, what="a list of item keys")
    if nodes is None:
        return ()
    if not nodes:
        reader.error(
            fields.get("questions")[0],
            where,
            "needs at least one of the stage's items (or leave questions: out for all of them)",
        )
        return ()
    items = [item.key for item in stage.activity.items]
    questions: dict[str, int | None] = {}
    for number, node in enumerate(nodes, start=1):
        at = f"{where}[{number}]"
        key = reader.scalar_text(node, at, node, True, MAX_KEY)
        if not key:
            continue
        if key not in items:
            message = f"stage '{stage.key}' has no item '{key}' (its items: {', '.join(items)})"
            reader.error(node, at, suggest(message, key, items))
        elif key in questions:
            reader.error(node, at, f"item '{key}' is listed twice (first on line {questions[key]})")
        else:
            questions[key] = line(node)
    return tuple(questions)
