// The benefit-risk grid: where the room placed each item on a size × size grid. The
// projector draws the server's figure beside a key that says it in words, and the console
// the same figure smaller, each with its dots sized again for the cells they sit in; the
// phone draws the grid as HTML cells, shaded by how many chose each, the person's own
// square outlined.

import { h, people } from "../../live.js";
import { t, tn } from "../../phone-text.js";
import { gridFrame, localAxes } from "../inputs/grid.js";
import { yours } from "./bars.js";
import { chartTables } from "./table.js";

// The grid's own figure (by group it is the breakdown's panels, laid out as those are).
const isGridFigure = (figure) => !!figure && figure.layout?.meta?.chart === "grid";

const isDots = (trace) => trace.type === "scatter" && trace.mode === "markers+text";
const isAverage = (trace) => trace.type === "scatter" && trace.mode === "markers";

/**
 * {data, layout} for a grid figure drawn `height` pixels high (and `width` wide, if known)
 * with type of `fontSize` pixels. Plotly sizes markers in pixels, and the server made the
 * figure for one height: the dots are sized again for the cells they sit in.
 */
function fitGridFigure(figure, { height, width = null, fontSize, legend: keep = true, ink = "#0b0d10" }) {
  const layout = { ...figure.layout };
  const size = (layout.xaxis?.tickvals || []).length || 5;
  if (!keep) layout.showlegend = false; // the page explains the dots itself
  const legend = !!layout.showlegend;
  // Room for the axis titles and end words below and left, and the legend on top.
  const plotHeight = height - fontSize * (legend ? 5.5 : 3.4);
  const plotWidth = width ? width - fontSize * 10 : plotHeight;
  const cell = Math.max(10, Math.min(plotHeight, plotWidth) / size);
  const dots = figure.data.filter(isDots);
  const several = dots.length > 1;
  const largest = Math.max(1, ...dots.flatMap((trace) => (trace.text || []).map(Number)));
  const [low, span] = several ? [0.2, 0.25] : [0.3, 0.5];
  const data = figure.data.map((trace) => {
    if (isDots(trace)) {
      const sizes = (trace.text || []).map((count) =>
        Math.round(cell * (low + span * Math.sqrt(Number(count) / largest))),
      );
      return {
        ...trace,
        marker: { ...trace.marker, size: sizes },
        textfont: { ...(trace.textfont || {}), size: Math.round(fontSize * 0.9), color: "#fff" },
      };
    }
    if (isAverage(trace)) {
      return { ...trace, marker: { ...trace.marker, size: Math.round(cell * 0.35) } };
    }
    return trace;
  });
  layout.font = { ...(layout.font || {}), size: fontSize, color: ink };
  layout.legend = { ...(layout.legend || {}), font: { size: fontSize } };
  layout.margin = { l: 10, r: 10, t: legend ? Math.round(fontSize * 2.2) : 10, b: 10 };
  layout.height = height;
  if (width) {
    layout.width = width;
    layout.autosize = false;
  } else {
    delete layout.width;
    layout.autosize = true;
  }
  delete layout.transition;
  return { data, layout };
}

/** The figure for the projector (type in rem, the key beside it in place of a legend) or
 * the console (a laptop's type, a fixed height); null for a figure by group. */
export function fitFigure(figure, { size, width, height, rem, minType = 0, ink }) {
  if (!isGridFigure(figure)) return null;
  if (size === "projector") {
    // The dots' numbers are 0.9 of the type: kept at the projector's smallest or more.
    const fontSize = Math.max(Math.round(1.5 * rem), Math.ceil(minType / 0.9));
    return fitGridFigure(figure, { width, height, fontSize, legend: false, ink });
  }
  return fitGridFigure(figure, { height: 420, fontSize: 14 });
}

/** Beside the projector's grid: what its dots and crosses say, item by item, in words. */
function gridKey(results, figure) {
  const { x, y } = results.axes;
  const colours = {};
  for (const trace of figure.data) {
    if (trace.mode === "markers+text") colours[trace.name] = trace.marker?.color;
  }
  const several = results.items.length > 1;
  const round = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  return h(
    "div",
    { class: "grid-key" },
    results.items.map((item) => {
      const busiest = item.cells.reduce((best, cell) => (!best || cell.count > best.count ? cell : best), null);
      const swatch = h("span", { class: "key-swatch", "aria-hidden": "true" });
      swatch.style.background = colours[item.label] || "#1d5e9e";
      return h(
        "section",
        { class: "key-item" },
        several ? h("h2", { class: "key-label" }, swatch, item.label) : null,
        item.n
          ? [
              h(
                "p",
                { class: "key-average" },
                h("span", { class: "key-cross", "aria-hidden": "true" }, "×"),
                " Average: ",
                h("strong", {}, `${x.label} ${round(item.mean_x)}`),
                ", ",
                h("strong", {}, `${y.label} ${round(item.mean_y)}`),
                ` (of ${results.size})`,
              ),
              busiest && busiest.count > 1
                ? h(
                    "p",
                    { class: "key-busiest" },
                    `Most placed: ${x.label} ${busiest.x}, ${y.label} ${busiest.y} (${people(busiest.count)})`,
                  )
                : null,
              h("p", { class: "key-count" }, `Placed by ${people(item.n)}`),
            ]
          : h("p", { class: "key-count" }, "Nobody placed it yet."),
      );
    }),
    h("p", { class: "key-note" }, "The bigger the dot, the more people put it in that square."),
  );
}

/** The projector's grid: the figure (drawn into `chart` by screen.js) and its key. */
function projectorGrid(message, chart) {
  return [
    h(
      "div",
      { class: "chart-area grid-area" },
      h("p", { class: "results-caption" }, `Results from ${people(message.results.answered)}`),
      h("div", { class: "grid-layout" }, chart, gridKey(message.results, message.figure)),
    ),
    chartTables(message),
  ];
}

/** The phone's grid per item: each square shaded by how many chose it, theirs outlined. */
function phoneGrids(stage, results, mine) {
  const size = results.size;
  const axes = localAxes(results.axes);
  const placed = (mine && mine.cells) || {};
  return h(
    "div",
    { class: "grid-results" },
    results.items.map((item) => {
      const counts = {};
      for (const cell of item.cells) counts[`${cell.x},${cell.y}`] = cell.count;
      const most = Math.max(1, ...item.cells.map((c) => c.count));
      const own = placed[item.key];
      const cells = h("div", { class: "grid-cells result-cells", "aria-hidden": "true" });
      cells.style.setProperty("--size", String(size));
      for (let y = size; y >= 1; y -= 1) {
        for (let x = 1; x <= size; x += 1) {
          const count = counts[`${x},${y}`] || 0;
          const cell = h("span", { class: "grid-cell result-cell" }, count ? String(count) : "");
          cell.style.setProperty("--share", String(count / most));
          if (count / most > 0.5) cell.classList.add("dark");
          if (own && own[0] === x && own[1] === y) cell.classList.add("yours-cell");
          cells.append(cell);
        }
      }
      const average =
        item.n === 0
          ? t("Nobody placed it yet.")
          : tn(item.n, "Average: {x} {x_value}, {y} {y_value} · {n} place", "Average: {x} {x_value}, {y} {y_value} · {n} places", {
              x: axes.x.label,
              x_value: item.mean_x,
              y: axes.y.label,
              y_value: item.mean_y,
            });
      return h(
        "div",
        { class: "result-item" },
        results.items.length > 1 || stage.items.length > 1 ? h("p", { class: "result-label" }, item.label) : null,
        gridFrame(axes, cells, { className: "small" }),
        h(
          "p",
          { class: "result-summary" },
          average,
          own ? yours(t("You: {x}, {y} (outlined)", { x: own[0], y: own[1] })) : null,
        ),
      );
    }),
  );
}

export function render(message, { size, stage, mine, chart }) {
  if (size === "phone") return phoneGrids(stage, message.results, mine);
  // By sector or table the projector draws the panels across the screen, as other charts.
  const grouped = message.figure?.layout?.meta?.chart === "breakdown";
  if (size === "projector" && chart && message.figure && !grouped) return projectorGrid(message, chart);
  return null; // the console draws the figure
}

export function questionHeading(stage) {
  const axes = stage.axes;
  return axes ? `Place it: ${axes.x.label} across, ${axes.y.label} up` : "Place it on the grid";
}

export function howToAnswer(stage) {
  const axes = stage.axes;
  const across = axes ? ` (${axes.x.label} across, ${axes.y.label} up)` : "";
  return `Participants tap a square of a ${stage.size || 5} × ${stage.size || 5} grid${across} for each item.`;
}
