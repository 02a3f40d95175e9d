// The plan theme's colours (static/js/theme-colours.js) agree with the plan loader's
// (facilitation/plans/theme.py), and the projector's charts are recoloured for the theme
// (static/js/screen-theme.js) with every number on a mark kept readable.
import assert from "node:assert/strict";
import { test } from "node:test";

import { themeFigure } from "../../static/js/screen-theme.js";
import { PAPER, accentProblem, contrast, textOn } from "../../static/js/theme-colours.js";

test("contrast is the WCAG ratio", () => {
  assert.equal(contrast("#000000", "#ffffff").toFixed(2), "21.00");
  assert.equal(contrast("#ffd700", "#ffffff").toFixed(2), "1.40");
  assert.equal(contrast("#1d5e9e", PAPER.dark).toFixed(2), "2.76");
});

test("an accent is told in the loader's words", () => {
  assert.equal(accentProblem("#0b6e4f", "light"), null);
  assert.equal(accentProblem("#7fd1ae", "dark"), null);
  assert.match(accentProblem("#ffd700", "light"), /^#ffd700 contrasts 1\.40:1 with the light page \(#ffffff\)/);
  assert.match(accentProblem("#0B6E4F", "dark"), /^#0b6e4f contrasts 2\.95:1 .* choose a lighter colour$/);
  assert.match(accentProblem("#787878", "light"), /mid-tone: .* only 4\.42:1/);
  assert.match(accentProblem("blue", "light"), /#rrggbb/);
});

const rating = {
  data: [
    { type: "bar", marker: { color: "#1d5e9e" }, text: ["3"], insidetextfont: { color: "#ffffff" } },
    { type: "bar", marker: { color: "#8a8a8a" }, text: ["1"], insidetextfont: { color: "#0b0d10" } },
  ],
  layout: { showlegend: true, font: { color: "#0b0d10" }, xaxis: { gridcolor: "#d0d0d0" } },
};
const choice = {
  data: [{ type: "bar", marker: { color: "#1d5e9e" }, text: ["4"], insidetextfont: { color: "#ffffff" } }],
  layout: { showlegend: false, font: { color: "#0b0d10" } },
};

test("the app's look leaves a figure as it is", () => {
  assert.equal(themeFigure(choice, { dark: false, accent: "" }), choice);
});

test("an accent colours a chart of one series, not a scale", () => {
  const themed = themeFigure(choice, { dark: false, accent: "#7fd1ae" });
  assert.equal(themed.data[0].marker.color, "#7fd1ae");
  assert.equal(themed.data[0].insidetextfont.color, "#0b0d10"); // ink on the light accent
  assert.equal(choice.data[0].marker.color, "#1d5e9e"); // the figure given is not changed
  const scale = themeFigure(rating, { dark: false, accent: "#7fd1ae" });
  assert.equal(scale.data[0].marker.color, "#1d5e9e");
});

test("dark mode makes ink light and every mark and its number readable", () => {
  const themed = themeFigure(rating, { dark: true, accent: "" });
  assert.equal(themed.layout.font.color, "#eef1f5");
  assert.notEqual(themed.layout.xaxis.gridcolor, "#d0d0d0");
  for (const trace of themed.data) {
    const mark = trace.marker.color;
    assert.ok(contrast(mark, PAPER.dark) >= 3, `${mark} on the dark page`);
    assert.equal(trace.insidetextfont.color, textOn(mark));
    assert.ok(contrast(trace.insidetextfont.color, mark) >= 4.5, `the number on ${mark}`);
  }
});
