"""Run axe-core (node_modules/axe-core, pinned in package.json) in a Playwright page.

The script is injected with ``page.evaluate`` of the file's source: DevTools evaluation is
not subject to the page's Content Security Policy, so the app's CSP (no inline script, no
third-party origin) stays exactly as served while axe runs.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from playwright.sync_api import Frame, Page

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.2 AA, as axe tags it (each level's rules are tagged with the version that added them).
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
BLOCKING = ("serious", "critical")


@cache
def axe_source() -> str:
    if not AXE_JS.is_file():
        raise AssertionError(f"{AXE_JS} is missing: run `make vendor` (npm ci installs axe-core)")
    return AXE_JS.read_text(encoding="utf-8")


def violations(page: Page | Frame) -> list[dict]:
    """Every WCAG 2.x A/AA violation axe finds in the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({
                    target: n.target.join(" "), summary: n.failureSummary,
                })),
            }));
        }""",
        WCAG_AA_TAGS,
    )


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(f"{violation['impact']}: {violation['id']} ({violation['help']})")
        for node in violation["nodes"][:6]:
            lines.append(f"    {node['target']}: {(node['summary'] or '').splitlines()[-1]}")
    return "\n".join(lines)


class Audit:
    """Checks several pages in one test and reports every page's violations at the end,
    so one run shows all there is to fix rather than the first page's."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.checked: list[str] = []

    def check(self, page: Page | Frame, where: str) -> None:
        page.wait_for_load_state("load")
        self.checked.append(where)
        blocking = [v for v in violations(page) if v["impact"] in BLOCKING]
        if blocking:
            self.failures.append(f"axe on {where}:\n{describe(blocking)}")

    def assert_clean(self) -> None:
        assert self.checked, "no page was checked"
        assert not self.failures, "\n\n".join(self.failures)
