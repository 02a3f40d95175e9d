"""The registry's mirrors: the browser's registries, the type modules and the manual list
exactly the registered types, so adding a type cannot miss one of them."""

import re
from pathlib import Path

import pytest

from facilitation.activities import activity_type, all_types, type_names

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "static" / "js" / "activities"


def js_registry(kind: str) -> dict[str, str | None]:
    """The type names a browser registry (activities/KIND.js) lists, in its order, each with
    the module its loader imports (None: the base as it is)."""
    text = (JS / f"{kind}.js").read_text(encoding="utf-8")
    body = re.search(r"lazyRegistry\(base, \{(.*?)\n\}\)", text, re.S).group(1)
    body = re.sub(r"//[^\n]*", "", body)
    entries = re.findall(
        r"""^\s*([a-z_]+):\s*(?:null|\(\)\s*=>\s*import\("([^"]+)"\)),?\s*$""", body, re.M
    )
    # Every entry of the table is one of the two forms above: none left unread.
    assert len(entries) == len(re.findall(r"^\s*[a-z_]+:", body, re.M)), body
    return {name: module or None for name, module in entries}


@pytest.mark.parametrize("kind", ["inputs", "results"])
def test_each_browser_registry_lists_every_type_in_plan_order(kind):
    assert list(js_registry(kind)) == list(type_names())


@pytest.mark.parametrize("kind", ["inputs", "results"])
def test_each_browser_registry_loads_each_type_from_the_module_named_after_it(kind):
    for name, module in js_registry(kind).items():
        if module is not None:
            assert module == f"./{kind}/{name}.js"
            assert (JS / kind / f"{name}.js").is_file()


@pytest.mark.parametrize("kind", all_types(), ids=lambda kind: kind.name)
def test_every_type_lives_in_a_module_named_after_it(kind):
    assert type(kind).__module__ == f"facilitation.activities.{kind.name}"
    assert activity_type(kind.name) is kind


@pytest.mark.parametrize("kind", all_types(), ids=lambda kind: kind.name)
def test_every_type_a_phone_answers_has_an_input_module(kind):
    if kind.answerable:
        assert js_registry("inputs")[kind.name] == f"./inputs/{kind.name}.js"


@pytest.mark.parametrize("kind", all_types(), ids=lambda kind: kind.name)
def test_every_type_with_results_has_a_result_module(kind):
    if kind.has_results:
        assert js_registry("results")[kind.name] == f"./results/{kind.name}.js"


@pytest.mark.parametrize("kind", all_types(), ids=lambda kind: kind.name)
def test_every_type_has_its_section_in_the_activities_manual(kind):
    manual = (ROOT / "docs" / "activities.md").read_text(encoding="utf-8")
    assert f"## {kind.label} (`{kind.name}`)" in manual


def test_nothing_outside_the_registry_keeps_a_list_of_type_names():
    """A table of every type's name outside facilitation/activities (or the JS registries)
    is a second registry: the next type would be missed there."""
    names = type_names()
    # "sector" and "profile" are words of their own too (a participant's sector; a plan's
    # self_paced: profile), not only the names of types.
    common = ("sector", "profile")
    pattern = re.compile("|".join(rf"[\"']{name}[\"']" for name in names if name not in common))
    offenders = []
    for path in [*(ROOT / "facilitation").rglob("*.py"), *(ROOT / "static" / "js").rglob("*.js")]:
        if "activities" in path.relative_to(ROOT).parts or "migrations" in path.parts:
            continue
        found = {m.group(0).strip("\"'") for m in pattern.finditer(path.read_text("utf-8"))}
        if len(found) >= 3:
            offenders.append(f"{path.relative_to(ROOT)}: {sorted(found)}")
    assert offenders == []
