"""The plan reader's primitives: YAML fields read and checked, problems kept with their lines.

The lower layer of the plan format: ``loader.py`` walks a plan with it, ``translations.py``
reads the ``translations:`` overlay with it, and each activity type (``facilitation/
activities/``) reads its own stage fields with it. It knows no activity type, so every one of
them can build on it.

We compose the YAML into nodes rather than loading it into Python objects, because only
nodes remember where they came from: a facilitator fixing a plan needs "line 12:
stages[3].type", not a traceback. The walk goes on after a problem so that one ``plan check``
shows everything to fix, not one thing a run. Positions in lists count from 1
(``stages[1]`` is the first stage), as a facilitator counts.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..text import check_text
from .model import MAX_ITEMS, MAX_KEY, Item

KEY = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
# MAX_KEY is also the width of the database column holding a plan's slug.
MAX_TITLE = 200
MAX_AXIS_TEXT = 80
ITEM_FIELDS = ("key", "label", "description")

NULL = "tag:yaml.org,2002:null"
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


def slugify(label: str) -> str:
    """A key made from a label: "Fully met?" gives "fully-met"."""
    # Decompose accents so "Café" gives "cafe" rather than "caf".
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return key[:MAX_KEY].rstrip("-")


def line(node: Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def suggest(message: str, word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"{message} (did you mean '{close[0]}'?)" if close else message


@dataclass
class Fields:
    """A YAML mapping's fields by name, each with its key node (for the line) and value."""

    node: MappingNode
    path: str
    values: dict[str, tuple[Node, Node]]

    def get(self, name: str) -> tuple[Node, Node] | None:
        return self.values.get(name)


class Reader:
    """Reads fields of the composed YAML, collecting every problem on the way."""

    def __init__(self) -> None:
        self.errors: list[PlanError] = []

    def error(self, node: Node | None, path: str, message: str) -> None:
        self.errors.append(PlanError(line(node), path, message))

    # Fields of one kind

    def section(
        self, fields: Fields, name: str, allowed: tuple[str, ...], what: str
    ) -> Fields | None:
        """The fields of the plan's optional section ``name`` (``flow:``, ``theme:``…), or
        None when it is left out, empty, or not a mapping (which is reported)."""
        entry = fields.get(name)
        if entry is None or entry[1].tag == NULL:
            return None
        return self.mapping(entry[1], name, allowed, what)

    def mapping(
        self,
        node: Node,
        path: str,
        allowed: tuple[str, ...],
        what: str,
        unlisted: tuple[str, ...] = (),
    ) -> Fields | None:
        """The fields of a mapping node; unknown and repeated fields are reported. An
        ``unlisted`` field is allowed, and suggested for a near miss, but left out of the
        list an unknown field's message gives (a setting most plans never need)."""
        if not isinstance(node, MappingNode):
            self.error(node, path, what if not path else f"must be {what}")
            return None
        values: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, ScalarNode) else "?"
            field_path = join(path, name)
            if name == "<<":
                self.error(key_node, path, "merging (<<) is not supported: write the fields out")
            elif name not in allowed and name not in unlisted:
                message = f"unknown field '{name}'"
                suggestion = suggest(message, name, allowed + unlisted)
                if suggestion == message:
                    suggestion += f" (the fields here are {', '.join(allowed)})"
                self.error(key_node, field_path, suggestion)
            elif name in values:
                first = line(values[name][0])
                self.error(key_node, field_path, f"is given twice (first on line {first})")
            else:
                values[name] = (key_node, value_node)
        return Fields(node, path, values)

    def text(
        self, fields: Fields, name: str, *, required: bool = True, max_length: int | None = None
    ) -> str:
        path = join(fields.path, name)
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
        value = "" if node.tag == NULL else node.value.strip()
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

    def key(self, fields: Fields, name: str, seen: dict[str, int | None], what: str) -> str:
        key = self.text(fields, name)
        if not key:
            return ""
        node = fields.get(name)[1]
        path = join(fields.path, name)
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
            seen[key] = line(node)
        return key

    def integer(
        self,
        fields: Fields,
        name: str,
        default: int | None,
        low: int | None = None,
        high: int | None = None,
    ) -> int | None:
        entry = fields.get(name)
        if entry is None:
            return default
        node = entry[1]
        path = join(fields.path, name)
        bounds = f" from {low} to {high}" if low is not None else ""
        if not isinstance(node, ScalarNode) or node.tag != _INT:
            self.error(node, path, f"must be a whole number{bounds}")
            return default
        value = _SCALARS.construct_yaml_int(node)
        if low is not None and not low <= value <= high:
            self.error(node, path, f"must be a whole number{bounds} (not {value})")
            return default
        return value

    def boolean(self, fields: Fields, name: str, default: bool = False) -> bool:
        entry = fields.get(name)
        if entry is None:
            return default
        node = entry[1]
        if not isinstance(node, ScalarNode) or node.tag != _BOOL:
            self.error(node, join(fields.path, name), "must be true or false")
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
                f"at most {plural(most, what)} (this has {len(nodes)}): a session cannot use more",
            )

    def sequence(
        self, fields: Fields, name: str, *, required: bool, what: str
    ) -> list[Node] | None:
        """The entries of a list field; None when it is missing or not a list."""
        entry = fields.get(name)
        if entry is None:
            if required:
                self.error(fields.node, name, "is required")
            return None
        node = entry[1]
        if node.tag == NULL:
            return []
        if not isinstance(node, SequenceNode):
            self.error(node, join(fields.path, name), f"must be {what} (one '- ' line each)")
            return None
        return node.value

    # A stage's items

    def items(self, fields: Fields, kind) -> tuple[Item, ...]:
        """The stage's ``items:``, checked against what the activity type ``kind`` needs:
        ``kind.min_items`` of them (None: it takes none; 0: they are optional, but a list
        given must not be empty), ``kind.items_rule`` told when a plan breaks the rule. With
        ``kind`` None (an unknown type) the items are read anyway, so that what is wrong with
        them is told too."""
        path = join(fields.path, "items")
        needed = kind.min_items if kind is not None else None
        why = f" ({kind.items_rule})" if kind is not None and kind.items_rule else ""
        entry = fields.get("items")
        if entry is None:
            if needed:
                self.error(
                    fields.node,
                    path,
                    f"is required for {article(kind.name)} {kind.name} stage "
                    f"(at least {plural(needed, 'item')})",
                )
            return ()
        key_node, node = entry
        if kind is not None and needed is None:
            self.error(
                key_node, path, f"items are not used by {article(kind.name)} {kind.name} stage{why}"
            )
            return ()
        nodes = self.item_nodes(node, path)
        if nodes is None:
            return ()
        if needed == 0 and not nodes:
            self.error(
                key_node,
                path,
                f"{article(kind.name)} {kind.name} with items needs at least 1 item{why}",
            )
        if needed and len(nodes) < needed:
            self.error(
                key_node,
                path,
                f"{article(kind.name)} {kind.name} needs at least {plural(needed, 'item')}",
            )
        self.at_most(nodes, path, MAX_ITEMS, "item")
        keys: dict[str, int | None] = {}
        items = (self.item(item, f"{path}[{n}]", keys) for n, item in enumerate(nodes, start=1))
        return tuple(item for item in items if item is not None)

    def item_nodes(self, node: Node, path: str) -> list[Node] | None:
        """The entries of an ``items:`` list (none for an empty value); None if not a list."""
        if node.tag == NULL:
            return []
        if isinstance(node, SequenceNode):
            return node.value
        self.error(node, path, "must be a list of items")
        return None

    def item(self, node: Node, path: str, keys: dict[str, int | None]) -> Item | None:
        if isinstance(node, ScalarNode) and node.tag != NULL:
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
            keys[key] = line(node)
        return Item(key=key, label=label, description=description)
