"""The projector's type scale and layout, measured in Chromium at 16:9 and 4:3.

Two projectors, 1920x1080 and 1024x768, follow one room through every stage of the
built-in plan and of a plan with every other kind of activity, each stage's question and
its revealed results, then the results by sector and by table. On each view every text a
person can see, HTML or SVG (the charts' labels, legends and panel titles), is at least
28 px at 1920x1080 and 18 px at 1024x768 (tests/accessibility/js/projector-text.js), no
two texts overlap and none runs off the screen. Screenshots:
tests/artifacts/type-<size>-<plan>-<view>.png.

Also here: no motion when the browser asks for reduced motion (and bars that grow when it
does not), and a chart that keeps its room with WCAG 1.4.12's text spacing applied.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from tests.accessibility.measure import script
from tests.accessibility.workshop import OTHER_ANSWERS, PLAN_SLUG, ok, secret
from tests.support.live import FacilitatorSocket, LiveSocket, client_id, join, login
from tests.support.pages import box_of, log_in
from tests.support.scenario import ANSWERS, PLAN
from tests.support.server import flask_cli, start_live_app

BUILT_IN = Path(__file__).resolve().parents[2] / "sessions" / "data-for-public-benefit.yaml"
SIZES = {"1920x1080": (1920, 1080, 28), "1024x768": (1024, 768, 18)}
TEXT_JS = script("projector-text.js")
WITH_TABLES = "built-in-with-tables"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The real app with the built-in plan and the every-activity plan."""
    plans = tmp_path_factory.mktemp("plans")
    (plans / f"{PLAN_SLUG}.yaml").write_text(PLAN)
    (plans / BUILT_IN.name).write_text(BUILT_IN.read_text(encoding="utf-8"))
    # The built-in plan with breakout tables, for its results by table.
    tables = "\ntables:\n  - Table A\n  - Table B\n  - Table C\n"
    (plans / f"{WITH_TABLES}.yaml").write_text(BUILT_IN.read_text(encoding="utf-8") + tables)
    app = start_live_app(tmp_path_factory.mktemp("live"), PLANS_DIR=str(plans))
    yield app
    app.stop()


def built_in_answer(stage: dict, person: int) -> dict | None:
    """What person number PERSON answers on a stage of the built-in plan (None: nothing)."""
    keys = [item["key"] for item in stage.get("items", [])]
    kind = stage["type"]
    if kind == "traffic_light":
        return {"lights": {key: ("met", "partly", "not_met")[person % 3] for key in keys}}
    if kind == "rating":
        return {"ratings": {key: 1 + (person + i) % 5 for i, key in enumerate(keys)}}
    if kind == "ranking":
        return {"order": keys[person % len(keys) :] + keys[: person % len(keys)]}
    return None


class Walk:
    """One room of six people (three per sector, one table each) and its projectors."""

    def __init__(self, live_server, slug: str, sectors: tuple[str, str], tables=("", "")):
        self.code = flask_cli(live_server.env, "session", "open", slug).split()[-1]
        http = login(live_server.url, live_server.email, live_server.password)
        self.facilitator = FacilitatorSocket(live_server.url, http, self.code)
        self.people = [
            LiveSocket(
                live_server.url,
                join(live_server.url, self.code, sector, table=table),
                self.code,
                role="participant",
            )
            for sector, table in zip(sectors, tables, strict=True)
            for _ in range(3)
        ]
        key = secret(live_server, "screen", self.code)
        self.screen_url = f"{live_server.url}/s/{self.code}/screen?key={key}"
        self.stages = self.facilitator.emit("sync")["stages"]

    def show(self, index: int) -> None:
        ok(self.facilitator.emit("goto", {"index": index}))
        self.facilitator.emit("open_input")  # refused on a stage that takes no input

    def answer(self, stage: str, values: list[dict | None]) -> None:
        for person, value in zip(self.people, values, strict=True):
            if value is not None:
                ok(
                    person.emit(
                        "answer", {"stage": stage, "client_id": client_id(), "value": value}
                    )
                )

    def comment(self, stage: str, text: str) -> None:
        ok(self.people[0].emit("comment", {"stage": stage, "client_id": client_id(), "text": text}))

    def reveal(self) -> None:
        self.facilitator.emit("close_input")  # refused where input is not open: no matter
        ok(self.facilitator.emit("reveal"))

    def close(self) -> None:
        for socket in (self.facilitator, *self.people):
            socket.close()


def projectors(browser, url: str) -> dict[str, Page]:
    pages = {}
    for name, (width, height, _) in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(url)
        expect(page.locator("#connection")).to_have_text("Live")
        pages[name] = page
    return pages


def measure(pages: dict[str, Page], view: str, artifacts_dir, problems: list[str]) -> None:
    for name, page in pages.items():
        page.wait_for_timeout(900)  # coalesced redraws and the bars' growth settle
        found = page.evaluate(TEXT_JS, SIZES[name][2])
        assert found["count"], f"nothing on the projector ({name} {view})"
        problems.extend(f"{name} {view}: {problem}" for problem in found["problems"])
        page.screenshot(path=artifacts_dir / f"type-{name}-{view}.png")


def test_built_in_plan_reads_at_both_sizes(live_server, browser, artifacts_dir):
    plan = yaml.safe_load(BUILT_IN.read_text(encoding="utf-8"))
    walk = Walk(live_server, BUILT_IN.stem, ("Health", "Housing"))
    problems: list[str] = []
    try:
        pages = projectors(browser, walk.screen_url)
        ok(walk.facilitator.emit("choose_scenario", {"scenario": plan["scenarios"][0]["key"]}))
        for index, stage in enumerate(plan["stages"]):
            walk.show(index)
            values = [built_in_answer(stage, person) for person in range(len(walk.people))]
            walk.answer(stage["key"], values)
            if stage.get("comments") or stage["type"] == "open_text":
                walk.comment(stage["key"], "We would want to know who sees the data, and why.")
            measure(pages, f"built-in-{index:02d}-{stage['key']}", artifacts_dir, problems)
            # The profile has no answers of its own: it shows those to the stages before.
            if any(values) or stage["type"] == "profile":
                walk.reveal()
                measure(
                    pages, f"built-in-{index:02d}-{stage['key']}-results", artifacts_dir, problems
                )
                shares = stage["type"] in ("rating", "traffic_light") and index < 6
                if shares or stage["type"] == "profile":
                    ok(walk.facilitator.emit("set_breakdown", {"breakdown": "sector"}))
                    measure(pages, f"built-in-{index:02d}-by-sector", artifacts_dir, problems)
                    ok(walk.facilitator.emit("set_breakdown", {"breakdown": "room"}))
    finally:
        walk.close()
    assert not problems, "\n".join(problems)


def test_every_activity_and_breakdown_reads_at_both_sizes(live_server, browser, artifacts_dir):
    walk = Walk(live_server, PLAN_SLUG, ("Health", "Housing"), ("Table A", "Table B"))
    problems: list[str] = []
    try:
        pages = projectors(browser, walk.screen_url)
        for stage in walk.stages:
            key = stage["key"]
            walk.show(stage["index"])
            values = [(ANSWERS, OTHER_ANSWERS)[i // 3].get(key) for i in range(len(walk.people))]
            walk.answer(key, values)
            if key in ("rate", "light", "talk", "say"):
                walk.comment(key, f"A longer comment about {key}, as people write them.")
            measure(pages, f"every-{key}", artifacts_dir, problems)
            if not any(values) and key not in ("talk", "say"):
                continue
            walk.reveal()
            measure(pages, f"every-{key}-results", artifacts_dir, problems)
            for breakdown in ("sector", "table"):
                ok(walk.facilitator.emit("set_breakdown", {"breakdown": breakdown}))
                measure(pages, f"every-{key}-by-{breakdown}", artifacts_dir, problems)
            ok(walk.facilitator.emit("set_breakdown", {"breakdown": "room"}))
    finally:
        walk.close()
    assert not problems, "\n".join(problems)


# Whether the chart moved (screen.js marks it while its bars move), and every element on
# the page whose CSS transition or animation lasts longer than nothing.
WATCH_MOTION_JS = """() => {
  window.chartMoved = false;
  new MutationObserver(() => {
    if (document.querySelector('#chart[data-moving]')) window.chartMoved = true;
  }).observe(document.body, {attributes: true, subtree: true, attributeFilter: ['data-moving']});
}"""
CSS_MOTION_JS = """() => Array.from(document.querySelectorAll('*')).filter((e) => {
  const s = getComputedStyle(e);
  const long = (v) => v.split(',').some((d) => parseFloat(d) > 0);
  return long(s.transitionDuration) || long(s.animationDuration);
}).map((e) => e.className || e.tagName)"""


def stage_index(walk: Walk, key: str) -> int:
    return next(stage["index"] for stage in walk.stages if stage["key"] == key)


def test_no_motion_when_the_browser_asks_for_less(live_server, browser):
    walk = Walk(live_server, PLAN_SLUG, ("Health", "Housing"))
    try:
        pages = {}
        for motion in ("reduce", "no-preference"):
            context = browser.new_context(
                viewport={"width": 1920, "height": 1080}, reduced_motion=motion
            )
            pages[motion] = context.new_page()
            pages[motion].goto(walk.screen_url)
            expect(pages[motion].locator("#connection")).to_have_text("Live")
        walk.show(stage_index(walk, "pick"))
        walk.answer("pick", [ANSWERS["pick"], *[None] * 5])
        for page in pages.values():
            expect(page.locator(".progress")).to_be_visible()
            page.evaluate(WATCH_MOTION_JS)
        assert pages["reduce"].evaluate(CSS_MOTION_JS) == []
        assert pages["no-preference"].evaluate(CSS_MOTION_JS), "the progress bar never moves"
        walk.reveal()  # the bars appear (grow, with motion)
        walk.facilitator.emit("open_input")
        walk.answer("pick", [None, OTHER_ANSWERS["pick"], *[None] * 4])  # and change
        for page in pages.values():
            page.wait_for_timeout(1500)
        assert pages["reduce"].evaluate("window.chartMoved") is False
        assert pages["reduce"].evaluate(CSS_MOTION_JS) == []
        assert pages["no-preference"].evaluate("window.chartMoved") is True
    finally:
        walk.close()


def test_chart_keeps_its_room_with_text_spacing(live_server, browser, artifacts_dir):
    """WCAG 1.4.12: with the criterion's text spacing forced on, the projector's chart
    keeps most of the screen and every bar its height."""
    from tests.accessibility.test_text_spacing import SPACING_INIT

    walk = Walk(live_server, BUILT_IN.stem, ("Health", "Housing"))
    try:
        plan = yaml.safe_load(BUILT_IN.read_text(encoding="utf-8"))
        index, stage = next(
            (i, s) for i, s in enumerate(plan["stages"]) if s["key"] == "feature-respect"
        )
        for name, (width, height, _) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            context.add_init_script(SPACING_INIT)
            page = context.new_page()
            page.goto(walk.screen_url)
            expect(page.locator("#connection")).to_have_text("Live")
            if name == "1920x1080":
                walk.show(index)
                walk.answer(stage["key"], [built_in_answer(stage, p) for p in range(6)])
                walk.comment(stage["key"], "We would want to know who sees the data, and why.")
                walk.reveal()
            expect(page.locator("#chart .main-svg").first).to_be_visible()
            page.wait_for_timeout(1200)
            page.screenshot(path=artifacts_dir / f"type-{name}-text-spacing.png")
            chart = box_of(page.locator("#chart"))
            assert chart["height"] >= height / 3, f"{name}: the chart shrank to {chart}"
            bars = page.locator("#chart .bars path").evaluate_all(
                "(paths) => paths.map((p) => p.getBoundingClientRect().height)"
            )
            assert bars and min(bars) >= 0.02 * height, f"{name}: bars {bars}"
    finally:
        walk.close()


# The built-in plan's ratings whose statements are long: three ("Feature 1") and four
# ("Feature 3") long statements as panel titles side by side, three sectors of three.
RATINGS_BY_GROUP = ("feature-outcomes", "feature-respect")
# Texts of the console's results chart (#preview) that overlap another, and bar numbers turned.
CHART_OVERLAPS_JS = r"""() => {
  const texts = Array.from(document.querySelectorAll('#preview svg text'))
    .filter((t) => t.textContent.trim())
    .map((t) => ({ text: t.textContent.trim(), box: t.getBoundingClientRect() }))
    .filter((t) => t.box.width > 1);
  const hits = [];
  texts.forEach((a, i) => texts.slice(i + 1).forEach((b) => {
    const x = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
    const y = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
    if (x > 1 && y > 1) hits.push(`${a.text.slice(0, 30)} / ${b.text.slice(0, 30)}`);
  }));
  // A bar's number turned on its side (Plotly's default for a narrow segment).
  const turned = Array.from(document.querySelectorAll('#preview svg .bartext'))
    .filter((t) => /rotate\((?!0[ ,)])/.test(t.getAttribute('transform') || ''))
    .map((t) => t.textContent.trim());
  return { count: texts.length, hits, turned };
}"""
# Neighbouring panels' x tick labels ("100%" then "0%") at least this far apart, in px.
TICK_GAP_JS = """() => {
  const ticks = Array.from(document.querySelectorAll('#chart .xtick text'))
    .map((t) => t.getBoundingClientRect())
    .filter((b) => b.width > 1);
  let gap = Infinity;
  for (const a of ticks) for (const b of ticks) {
    const sameRow = Math.abs(a.top - b.top) < 2;
    if (sameRow && b.left >= a.right - 1 && a !== b) gap = Math.min(gap, b.left - a.right);
  }
  return gap;
}"""


def test_built_in_ratings_by_sector_and_table_read_at_both_sizes(
    live_server, browser, artifacts_dir
):
    """Long statements as panel titles wrap inside their panels: no title runs into the
    next one, the legend or the axis labels, and neighbouring panels keep a gap."""
    plan = yaml.safe_load(BUILT_IN.read_text(encoding="utf-8"))
    walk = Walk(
        live_server,
        WITH_TABLES,
        ("Health", "Housing", "Welfare"),
        ("Table A", "Table B", "Table C"),
    )
    problems: list[str] = []
    try:
        pages = projectors(browser, walk.screen_url)
        console = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        log_in(console, live_server)
        console.goto(f"{live_server.url}/facilitator/sessions/{walk.code}")
        expect(console.locator("#connection")).to_have_text("Live")
        ok(walk.facilitator.emit("choose_scenario", {"scenario": plan["scenarios"][0]["key"]}))
        for index, stage in enumerate(plan["stages"]):
            if stage["key"] not in RATINGS_BY_GROUP:
                continue
            walk.show(index)
            walk.answer(stage["key"], [built_in_answer(stage, p) for p in range(9)])
            walk.reveal()
            for breakdown, first_group in (("sector", "Health"), ("table", "Table A")):
                ok(walk.facilitator.emit("set_breakdown", {"breakdown": breakdown}))
                view = f"built-in-{stage['key']}-by-{breakdown}"
                # Measured once each chart shows the groups, not at a fixed time after the
                # event: a loaded machine may still be drawing the last view.
                for chart in (
                    *(page.locator("#chart") for page in pages.values()),
                    console.locator("#preview"),
                ):
                    expect(chart.locator(".main-svg").first).to_contain_text(first_group)
                measure(pages, view, artifacts_dir, problems)
                console.wait_for_timeout(600)  # the bars' growth settles
                found = console.evaluate(CHART_OVERLAPS_JS)
                assert found["count"], f"no chart in the console ({view})"
                problems.extend(f"console {view}: overlap: {hit}" for hit in found["hits"])
                problems.extend(f"console {view}: on its side: {n}" for n in found["turned"])
                console.locator("#preview").screenshot(
                    path=artifacts_dir / f"type-console-{view}.png"
                )
                for name, page in pages.items():
                    gap = page.evaluate(TICK_GAP_JS)
                    if gap < SIZES[name][2]:
                        problems.append(f"{name} {view}: panels' tick labels {gap:.0f}px apart")
            ok(walk.facilitator.emit("set_breakdown", {"breakdown": "room"}))
    finally:
        walk.close()
    assert not problems, "\n".join(problems)
