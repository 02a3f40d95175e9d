"""A plan title as long as a plan may have (200 characters, long words) on the projector at
16:9 and 4:3: the stage line stays on the screen, starts with the stage number and never
runs into the stage's title. Screenshots: tests/artifacts/screen-long-title-*.png.
"""

from __future__ import annotations

import pytest
from itsdangerous import URLSafeSerializer

from tests.conftest import BUILTIN_PLAN
from tests.support.live import FacilitatorSocket, login
from tests.support.server import flask_cli, start_live_app

LONG_TITLE = ("Antidisestablishmentarianism" * 4 + " Data sharing between public services" * 3)[
    :200
]
PURPOSEFUL = 3  # the built-in plan's fourth stage, a traffic light

# Where the stage number is, and every pair of texts whose lines overlap on the screen.
LAYOUT = """() => {
  // A line's box as seen: cut by every box around it that hides what overflows it.
  const seen = (el, rect) => {
    let r = { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom };
    for (let e = el; e; e = e.parentElement) {
      if (getComputedStyle(e).overflow === "visible") continue;
      const c = e.getBoundingClientRect();
      r = { left: Math.max(r.left, c.left), right: Math.min(r.right, c.right),
            top: Math.max(r.top, c.top), bottom: Math.min(r.bottom, c.bottom) };
    }
    return r;
  };
  const lines = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("svg, .visually-hidden, script, style, [hidden]")) continue;
    for (const node of el.childNodes) {
      if (node.nodeType !== 3 || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        const r = seen(el, rect);
        if (r.right - r.left > 1 && r.bottom - r.top > 1) {
          lines.push({ el, text: node.textContent.trim(), r });
        }
      }
    }
  }
  const overlaps = [];
  for (const [i, a] of lines.entries()) {
    for (const b of lines.slice(i + 1)) {
      if (a.el === b.el) continue;
      const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (x > 2 && y > 2) overlaps.push([a.text.slice(0, 30), b.text.slice(0, 30)]);
    }
  }
  const number = document.querySelector(".stage-number").getBoundingClientRect();
  return { numberTop: number.top, overlaps: overlaps.slice(0, 10) };
}"""


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    plans = tmp_path_factory.mktemp("plans")
    builtin = BUILTIN_PLAN.read_text(encoding="utf-8")
    assert "\ntitle: Data for Public Benefit\n" in builtin
    plan = builtin.replace("\ntitle: Data for Public Benefit\n", f'\ntitle: "{LONG_TITLE}"\n', 1)
    (plans / "long-title.yaml").write_text(plan, encoding="utf-8")
    app = start_live_app(tmp_path_factory.mktemp("live"), PLANS_DIR=str(plans))
    yield app
    app.stop()


@pytest.mark.parametrize("size", [(1920, 1080), (1024, 768)], ids=["16x9", "4x3"])
def test_a_long_plan_title_keeps_the_stage_line_on_screen_and_clear_of_the_title(
    live_server, projector_context, artifacts_dir, sockets, size
):
    code = flask_cli(live_server.env, "session", "open", "long-title").strip().splitlines()[-1]
    http = login(live_server.url, live_server.email, live_server.password)
    facilitator = FacilitatorSocket(live_server.url, http, code)
    sockets.append(facilitator)
    assert facilitator.emit("goto", {"index": PURPOSEFUL})["ok"]
    key = URLSafeSerializer(live_server.env["SECRET_KEY"], salt="facilitation.screen").dumps(code)
    width, height = size
    page = projector_context(viewport={"width": width, "height": height}).new_page()
    page.goto(f"{live_server.url}/s/{code}/screen?key={key}")
    # The question waiting for answers, then its (empty) results revealed.
    for view, controls in (("question", ()), ("results", ("open_input", "close_input", "reveal"))):
        for control in controls:
            assert facilitator.emit(control)["ok"], control
        page.locator(".stage-step").wait_for()
        page.wait_for_timeout(800)  # the chart and the fitting settle
        shot = artifacts_dir / f"screen-long-title-{view}-{width}x{height}.png"
        page.screenshot(path=str(shot))
        layout = page.evaluate(LAYOUT)
        assert layout["numberTop"] >= 0, (view, layout)  # "Stage 4 of 15" is on the screen
        assert layout["overlaps"] == [], (view, layout)
