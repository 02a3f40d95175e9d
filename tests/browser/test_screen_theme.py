"""The plan's theme on a real 1920x1080 projector (docs/plan-format.md, theme:): dark mode
with an accent and a logo, measured for WCAG contrast, and an accent on the light page.

Every visible text of the page is checked against the background it is drawn on (1.4.3,
4.5:1), every number on a bar against its bar, every other chart text against the page,
and every bar against the page (1.4.11, 3:1). Screenshots: tests/artifacts/theme-*.png.
"""

from __future__ import annotations

import pytest
from itsdangerous import URLSafeSerializer
from playwright.sync_api import Page, expect

from tests.accessibility.axe import BLOCKING, describe, violations
from tests.conftest import BUILTIN_PLAN
from tests.support.contrast import LARGE_TEXT, NORMAL_TEXT, contrast_ratio
from tests.support.images import png
from tests.support.live import FacilitatorSocket, LiveSocket, client_id, join, login
from tests.support.server import flask_cli, start_live_app

DARK_ACCENT = "#7fd1ae"
LIGHT_ACCENT = "#0b6e4f"
THEMES = {
    "dark-theme": f"theme:\n  mode: dark\n  accent: '{DARK_ACCENT}'\n  logo: logo.png\n",
    "light-accent": f"theme:\n  accent: '{LIGHT_ACCENT}'\n  logo: logo.png\n",
}

# (text, its colour, the colour behind it, px, bold) for every visible text of the page.
PAGE_TEXTS = """() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(",").map(Number);
    return { r, g, b, a };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const css = (c) => `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
  const behind = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) layers.push(c);
      if (c && c.a === 1) break;
    }
    let colour = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("svg, .visually-hidden, script, style, [hidden]")) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;
    const style = getComputedStyle(el);
    const ink = over(parse(style.color), behind(el));
    found.push([el.textContent.trim().slice(0, 40), css(ink), css(behind(el)),
                parseFloat(style.fontSize), Number(style.fontWeight) >= 700]);
  }
  return found;
}"""

# The chart: [text, fill, what is behind it (its bar, or null for the page), px] and the
# fills of the bars.
CHART_TEXTS = """() => {
  const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1
    && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  const texts = [];
  for (const text of document.querySelectorAll(".chart svg text")) {
    if (!text.textContent.trim()) continue;
    const box = text.getBoundingClientRect();
    if (box.width < 1) continue;
    const point = text.closest(".point");
    const bar = point && point.querySelector("path");
    const on = bar && inside(box, bar.getBoundingClientRect()) ? getComputedStyle(bar).fill : null;
    texts.push([text.textContent.trim(), getComputedStyle(text).fill, on,
                parseFloat(getComputedStyle(text).fontSize)]);
  }
  const bars = [...document.querySelectorAll(".chart .bars .point path")]
    .filter((p) => p.getBoundingClientRect().width > 1)
    .map((p) => getComputedStyle(p).fill);
  return { texts, bars };
}"""


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    plans = tmp_path_factory.mktemp("plans")
    builtin = BUILTIN_PLAN.read_text(encoding="utf-8")
    for slug, theme in THEMES.items():
        (plans / f"{slug}.yaml").write_text(builtin + theme)
    (plans / "logo.png").write_bytes(png())
    app = start_live_app(tmp_path_factory.mktemp("live"), PLANS_DIR=str(plans))
    yield app
    app.stop()


def open_session(live_server, slug: str) -> str:
    return flask_cli(live_server.env, "session", "open", slug).strip().splitlines()[-1]


def screen_url(live_server, code: str) -> str:
    key = URLSafeSerializer(live_server.env["SECRET_KEY"], salt="facilitation.screen").dumps(code)
    return f"{live_server.url}/s/{code}/screen?key={key}"


def ok(ack: dict) -> dict:
    assert ack["ok"], ack
    return ack


def page_background(page: Page) -> str:
    return page.evaluate("() => getComputedStyle(document.body).backgroundColor")


def low_contrast_text(page: Page) -> list[str]:
    failing = []
    for text, ink, behind, _size, _bold in page.evaluate(PAGE_TEXTS):
        ratio = contrast_ratio(ink, behind)
        if ratio < NORMAL_TEXT:
            failing.append(f"{text!r}: {ink} on {behind} is {ratio:.2f}:1")
    return failing


def low_contrast_chart(page: Page) -> list[str]:
    measured = page.evaluate(CHART_TEXTS)
    paper = page_background(page)
    assert measured["texts"] and measured["bars"], "the chart drew no text or no bars"
    failing = []
    for text, fill, bar, _size in measured["texts"]:
        behind = bar or paper
        ratio = contrast_ratio(fill, behind)
        if ratio < NORMAL_TEXT:
            failing.append(f"{text!r}: {fill} on {behind} is {ratio:.2f}:1")
    for fill in set(measured["bars"]):
        ratio = contrast_ratio(fill, paper)
        if ratio < LARGE_TEXT:  # 3:1, as for graphics (1.4.11)
            failing.append(f"bar {fill} on {paper} is {ratio:.2f}:1")
    return failing


def shot(page: Page, artifacts_dir, name: str) -> None:
    page.wait_for_timeout(400)  # let the last redraw settle
    page.screenshot(path=str(artifacts_dir / f"theme-{name}.png"))


def run_room(live_server, slug: str, projector_context, artifacts_dir, sockets, check):
    """Open a session of ``slug`` and show its join view, a traffic light and a rating on
    the projector, calling ``check(page, name)`` at each."""
    url = live_server.url
    code = open_session(live_server, slug)
    facilitator = FacilitatorSocket(url, login(url, live_server.email, live_server.password), code)
    sockets.append(facilitator)
    if facilitator.emit("sync")["state"]["status"] == "draft":
        ok(facilitator.emit("start_session"))
    stages = {stage["key"]: stage["index"] for stage in facilitator.emit("sync")["stages"]}
    errors: list[str] = []
    screen = projector_context().new_page()
    screen.on("pageerror", lambda error: errors.append(str(error)))
    screen.goto(screen_url(live_server, code))
    expect(screen.locator("#connection")).to_have_text("Live")
    logo = screen.locator("img.theme-logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 240  # served and drawn
    shot(screen, artifacts_dir, f"{slug}-join")
    check(screen, "join")

    # Three in Health: a group the by-sector chart shows (the plan's smallest group is 3).
    sectors = ["Health", "Housing", "Health", "Health", "Housing"]
    phones = [LiveSocket(url, join(url, code, s), code, role="participant") for s in sectors]
    sockets.extend(phones)

    def run(stage: str, values: list[dict]) -> None:
        ok(facilitator.emit("goto", {"index": stages[stage]}))
        if facilitator.emit("sync")["state"].get("input_open") is not True:
            facilitator.emit("open_input")
        for phone, value in zip(phones, values, strict=True):
            ok(phone.emit("answer", {"stage": stage, "client_id": client_id(), "value": value}))
        ok(facilitator.emit("reveal"))
        expect(screen.locator(".chart .plot-container")).to_be_visible()
        expect(screen.locator(".chart .bars .point path").first).to_be_visible()
        shot(screen, artifacts_dir, f"{slug}-{stage}")
        check(screen, stage)

    lights = ["met", "partly", "not_met", "met", "partly"]
    run("purposeful", [{"lights": {"purposeful": light}} for light in lights])
    keys = ["expected", "minimum", "dignity", "voice"]
    run(
        "feature-respect",
        [
            {"ratings": {key: (n + offset) % 5 + 1 for offset, key in enumerate(keys)}}
            for n in range(len(phones))
        ],
    )
    ok(facilitator.emit("set_breakdown", {"breakdown": "sector"}))
    expect(screen.locator(".results-caption")).to_contain_text("sector")
    expect(screen.locator(".chart .bars .point path").first).to_be_visible()
    shot(screen, artifacts_dir, f"{slug}-by-sector")
    check(screen, "by-sector")
    ok(facilitator.emit("set_breakdown", {"breakdown": "room"}))
    order = ["outcomes", "wider-public", "respect", "resources", "tangible"]
    run("ranking", [{"order": order[n % 2 :] + order[: n % 2]} for n in range(len(phones))])
    assert errors == []


def rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))


def bar_fills(page: Page) -> set[str]:
    return set(page.evaluate(CHART_TEXTS)["bars"])


def test_dark_mode_keeps_every_text_and_bar_readable(
    live_server, projector_context, artifacts_dir, sockets
):
    def check(page: Page, name: str) -> None:
        assert contrast_ratio(page_background(page), "#121418") < 1.05, "the page is not dark"
        assert low_contrast_text(page) == [], name
        found = [v for v in violations(page) if v["impact"] in BLOCKING]
        assert not found, f"{name}: {describe(found)}"
        if name != "join":
            assert low_contrast_chart(page) == [], name
            assert "rgb(29, 94, 158)" not in bar_fills(page)  # the app's blue, too dark here
        if name == "ranking":  # one series: in the accent
            assert bar_fills(page) == {rgb(DARK_ACCENT)}

    run_room(live_server, "dark-theme", projector_context, artifacts_dir, sockets, check)


def test_an_accent_on_the_light_page(live_server, projector_context, artifacts_dir, sockets):
    def check(page: Page, name: str) -> None:
        rule = page.evaluate(
            "() => getComputedStyle(document.body).getPropertyValue('--brand').trim()"
        )
        assert rule == LIGHT_ACCENT
        assert low_contrast_text(page) == [], name
        if name != "join":
            assert low_contrast_chart(page) == [], name
        if name == "ranking":
            assert bar_fills(page) == {rgb(LIGHT_ACCENT)}
        if name == "feature-respect":  # the scale keeps its colours, blue at "Fully"
            assert "rgb(29, 94, 158)" in bar_fills(page)

    run_room(live_server, "light-accent", projector_context, artifacts_dir, sockets, check)
