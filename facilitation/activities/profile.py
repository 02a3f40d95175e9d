"""The profile stage: the framework profile of the session's scenario, from the answers to
the plan's framework stages (its tests and features), not from answers of its own.

Its results are made by workshop/profile_stage.py from workshop/profile.py's numbers
(``Profile.as_json()``, each test and feature with its stage's ``title``, and
``answered``: the people behind the profile). Here they are drawn: a bar per test and
feature, its score 0-100 with the 95 % interval as a whisker, tests above features, and
the same numbers as a table, the acceptability score last. The formulas: docs/framework.md.
"""

from __future__ import annotations

import math

from flask_babel import lazy_gettext

from ..charts import FONT, INK, WHITE, bar, figure, wrap
from ..plans.reader import join
from .base import ActivityType, Table

# The two parts of the framework, told apart by colour, legend and a rule between them
# (white text on each meets WCAG 1.4.3: charts.text_on).
PART_COLOURS = {"tests": "#6a3d9a", "features": "#1d5e9e"}
PART_NAMES = {"tests": "Tests", "features": "Features"}
PART_WORDS = {"tests": "test", "features": "feature"}


def whole(number: float) -> int:
    """Rounded half up, as the pages' Math.round rounds it (Python's round() goes to even)."""
    return math.floor(number + 0.5)


def score_words(entry: dict) -> str:
    """A score as people read it: "64", or why there is none."""
    if entry.get("withheld"):
        return "withheld"
    if entry.get("score") is None:
        return "no answers"
    return f"{whole(entry['score'])}"


def interval_words(entry: dict) -> str:
    interval = entry.get("interval")
    if entry.get("score") is None or not interval:
        return "–"
    return f"{whole(interval['low'])}–{whole(interval['high'])}"


def _entries(results: dict) -> list[tuple[str, dict]]:
    """(part, entry) for every test, then every feature, as the plan's framework lists them."""
    return [(part, entry) for part in ("tests", "features") for entry in results.get(part, ())]


def _label(entry: dict) -> str:
    return wrap(entry.get("title") or entry["stage"], 24)


class ProfileStage(ActivityType):
    name = "profile"
    label = lazy_gettext("Framework profile")
    editor_hint = (
        "Shows the framework profile (the tests, the features and the acceptability score) "
        "from the answers to the plan's framework stages. Needs framework: in the plan."
    )
    from_framework = True

    def check(self, reader, fields, *, has_scenarios: bool, has_framework: bool) -> None:
        if not has_framework:
            reader.error(
                fields.get("type")[1],
                join(fields.path, "type"),
                "a profile stage shows the framework profile, but the plan declares no "
                "framework: (which stages are its tests and features)",
            )

    def figure(self, results: dict) -> dict | None:
        """One horizontal bar per test and feature, its score 0-100, the interval as a
        whisker; tests first, then features, in two colours with a rule between them.
        Each score is written after its whisker (on the bar, the whisker would cross it);
        the people behind it are in the hover and the table. A score nobody is behind, or
        withheld in a small group, is a bar of nothing that says so."""
        entries = _entries(results)
        if not entries:
            return None
        labels = [_label(entry) for _, entry in entries]
        scores = [entry.get("score") for _, entry in entries]
        intervals = [entry.get("interval") for _, entry in entries]
        above = [
            max(0.0, i["high"] - s) if s is not None and i else 0
            for s, i in zip(scores, intervals, strict=True)
        ]
        below = [
            max(0.0, s - i["low"]) if s is not None and i else 0
            for s, i in zip(scores, intervals, strict=True)
        ]
        data = []
        for part in ("tests", "features"):
            mine = [part == other for other, _ in entries]
            if not any(mine):
                continue

            def pick(values, mine=mine, other=None):
                """One trace per part over every row: ``other`` on the other part's rows."""
                return [value if own else other for value, own in zip(values, mine, strict=True)]

            data.append(
                bar(
                    name=PART_NAMES[part],
                    x=pick([0 if s is None else round(s, 1) for s in scores]),
                    y=list(labels),
                    marker={"color": PART_COLOURS[part]},
                    error_x={
                        "type": "data",
                        "symmetric": False,
                        "array": pick(above),
                        "arrayminus": pick(below),
                        "color": "#0b0d10",
                        "thickness": 3,
                        "width": 8,
                    },
                    customdata=pick(
                        [
                            [PART_WORDS[p], e["n"], interval_words(e), score_words(e)]
                            for p, e in entries
                        ]
                    ),
                    hovertemplate=(
                        "%{y} (%{customdata[0]}): %{customdata[3]}, 95% interval "
                        "%{customdata[2]}, n = %{customdata[1]}<extra></extra>"
                    ),
                )
            )
        # The scores in words, each just after its whisker, on the page (ink on white).
        data.append(
            {
                "type": "scatter",
                "mode": "text",
                # Across, as the bars: the pages rewrap the labels of horizontal traces.
                "orientation": "h",
                "name": "Score",
                "x": [
                    0 if s is None else round(s + up, 1)
                    for s, up in zip(scores, above, strict=True)
                ],
                "y": list(labels),
                "text": [score_words(entry) for _, entry in entries],
                "textposition": "middle right",
                "textfont": {"color": INK},
                "marker": {"color": WHITE},
                "cliponaxis": False,
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
        tests = sum(1 for part, _ in entries if part == "tests")
        shapes = []
        if 0 < tests < len(entries):  # a rule between the tests and the features
            shapes.append(
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "y",
                    "x0": 0,
                    "x1": 100,
                    "y0": tests - 0.5,
                    "y1": tests - 0.5,
                    "line": {"color": "#6b6b6b", "width": 2, "dash": "dot"},
                }
            )
        layout = dict(
            # One bar per row: each trace holds only its own part's rows.
            barmode="overlay",
            font=dict(FONT),
            margin=dict(l=20, r=20, t=20, b=20),
            height=140 + 70 * len(entries),
            paper_bgcolor="rgba(0,0,0,0)",
            plot_bgcolor="rgba(0,0,0,0)",
            legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, traceorder="normal"),
            showlegend=True,
            yaxis={"automargin": True, "autorange": "reversed"},
            # A score out of 100, not a count of people.
            # Room past 100 for a score's words after a whisker that reaches it.
            xaxis={
                "automargin": True,
                "range": [0, 112],
                "dtick": 20,
                "gridcolor": "#d0d0d0",
                "title": {"text": "Score out of 100"},
            },
            shapes=shapes,
            meta={"chart": "profile"},
        )
        return figure(data, layout)

    def table(self, stage, results: dict) -> Table:
        rows = [
            [
                entry.get("title") or entry["stage"],
                PART_WORDS[part].capitalize(),
                score_words(entry),
                interval_words(entry),
                entry["n"],
            ]
            for part, entry in _entries(results)
        ]
        acceptability = results.get("acceptability")
        if acceptability is not None:
            rows.append(
                [
                    "Acceptability score",
                    "Mean of the features",
                    score_words(acceptability),
                    interval_words(acceptability),
                    acceptability["n"],
                ]
            )
        return Table(
            "The framework profile: each test's and feature's score out of 100, with its "
            "95% interval and how many people are behind it; the acceptability score last",
            ["Test or feature", "Part", "Score", "95% interval", "People"],
            rows,
            numeric=[False, False, True, True, True],
            # The chart draws the scores and intervals; the large line says acceptability.
            charted=[True, True, True, True, False],
        )

    def kept(self, results: dict, min_group_size: int) -> dict:
        """Scores, intervals and counts of people: the room's aggregate, no one's words."""
        return results


TYPE = ProfileStage()
