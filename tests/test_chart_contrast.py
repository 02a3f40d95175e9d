"""WCAG 1.4.3 on every chart: each number written on a bar or a dot (every activity type's
figure and every breakdown, as the projector, the console and the report draw them) has
its colour said in the figure and meets 4.5:1 on its bar. Plotly's own choice, when none
is said, puts dark grey on the rating scale's mid-tones (under 3:1)."""

from __future__ import annotations

import pytest

from facilitation.activities import stage_figure
from facilitation.charts_breakdown import breakdown_figure
from tests.support.contrast import NORMAL_TEXT, contrast_ratio, required_ratio
from tests.test_charts_schema import BREAKDOWNS, CASES

WHITE_PAGE = "#ffffff"


def _each(value, n: int) -> list:
    return list(value) if isinstance(value, list | tuple) else [value] * n


def labels_on_marks(figure: dict) -> list[tuple[str, str, str, float]]:
    """(trace, text colour, mark colour, font size) for every label drawn on a bar or dot."""
    found = []
    for trace in figure["data"]:
        texts = trace.get("text")
        if not texts:
            continue
        texts = _each(texts, 1)
        marker = trace.get("marker", {}).get("color")
        if trace["type"] == "bar":
            font = trace.get("insidetextfont") or trace.get("textfont") or {}
        else:
            font = trace.get("textfont") or {}
        colours = _each(font.get("color"), len(texts))
        marks = _each(marker, len(texts))
        size = font.get("size") or figure["layout"].get("font", {}).get("size", 12)
        for text, colour, mark in zip(texts, colours, marks, strict=False):
            if text:
                found.append((trace.get("name") or trace["type"], colour, mark, size))
    return found


FIGURES = [pytest.param(stage_figure(kind, results), id=kind) for kind, results in CASES] + [
    pytest.param(
        breakdown_figure(kind, groups, breakdown, room=groups[0]["results"]),
        id=f"{kind}-by-{breakdown}",
    )
    for kind, groups, breakdown in BREAKDOWNS
]


@pytest.mark.parametrize("figure", FIGURES)
def test_every_label_on_a_bar_meets_its_contrast_ratio(figure):
    labels = labels_on_marks(figure)
    failing = []
    for name, colour, mark, size in labels:
        if colour is None:
            failing.append(f"{name}: no text colour on {mark} (plotly would pick one)")
            continue
        ratio = contrast_ratio(colour, mark)
        if ratio < required_ratio(size):
            failing.append(f"{name}: {colour} on {mark} is {ratio:.2f}:1")
    assert not failing, failing


@pytest.mark.parametrize("figure", FIGURES)
def test_the_chart_text_meets_its_contrast_ratio_on_the_page(figure):
    # Axis labels, titles and labels beside the bars are drawn on the page's white.
    layout = figure["layout"]
    colour = layout.get("font", {}).get("color") or layout["template"]["layout"]["font"]["color"]
    assert contrast_ratio(colour, WHITE_PAGE) >= NORMAL_TEXT


def test_the_helper_agrees_with_wcag():
    assert round(contrast_ratio("#ffffff", "#000000"), 1) == 21.0
    assert round(contrast_ratio("#ffffff", "#d9734e"), 1) == 3.2  # the audit's figure
    assert round(contrast_ratio("#ffffff", "#8a8a8a"), 1) == 3.5
    assert required_ratio(22) == 4.5 and required_ratio(24) == 3.0
    assert required_ratio(19, bold=True) == 3.0


def test_the_series_median_labels_are_white_on_colours_that_pass():
    # A series' rating chart writes each session's median in white inside its bar.
    from facilitation.series.charts import SESSION_COLOURS

    ratios = {c: round(contrast_ratio("#ffffff", c), 2) for c in SESSION_COLOURS}
    assert all(ratio >= NORMAL_TEXT for ratio in ratios.values()), ratios
