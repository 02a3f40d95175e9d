// The projector's views of the word cloud and of statements once revealed, and the grid
// figure sized for the projector. screen.js calls these from a few hooks.

import { h } from "./live.js";
import { resultTable, statementRanking, wordCloud } from "./activity-results.js";
import { fitGridFigure, isGridFigure } from "./grid-figure.js";

// Statements on the projector: the most agreed, large enough to read from the back.
const STATEMENTS_ON_SCREEN = 6;

const people = (n) => (n === 1 ? "1 person" : `${n} people`);

/** Whether a revealed stage shows its results although it has no Plotly figure. */
export function showsResultsWithoutFigure(stage, message) {
  return stage.type === "word_cloud" && !!(message && message.results);
}

/** Whether a statements stage shows its ranking (revealed) rather than the live wall. */
export function showsStatementRanking(state, message) {
  return state.stage.type === "statements" && state.revealed && !!(message && message.results);
}

/** What heads the waiting view of the new activities' stages, or undefined. */
export function waitingHeading(stage) {
  switch (stage.type) {
    case "points":
      return `Spread your ${stage.points || 10} points`;
    case "grid": {
      const axes = stage.axes;
      return axes ? `Place it: ${axes.x.label} across, ${axes.y.label} up` : "Place it on the grid";
    }
    default:
      return undefined;
  }
}

/**
 * The main view of a revealed word cloud or statements stage, or of a grid (`chart` is the
 * element its figure is drawn in, beside a key), or null for other stages.
 */
export function newResultsView(state, message, chart = null) {
  const stage = state.stage;
  const results = message && message.results;
  if (!results) return null;
  if (stage.type === "grid" && chart && message.figure) {
    return [
      h(
        "div",
        { class: "chart-area grid-area" },
        h("p", { class: "results-caption" }, `Results from ${people(results.answered)}`),
        h("div", { class: "grid-layout" }, chart, gridKey(results, message.figure)),
      ),
      resultTable(stage.type, results),
    ];
  }
  if (stage.type === "word_cloud") {
    const caption = results.words.length
      ? `The words of ${people(results.voters)}: the bigger, the more people used it`
      : "No words yet";
    return [
      h(
        "div",
        { class: "chart-area cloud-area" },
        h("p", { class: "results-caption" }, caption),
        h("div", { class: "cloud-fit fit" }, wordCloud(results.words, { smallest: 1, largest: 4.5 })),
      ),
      resultTable(stage.type, results),
    ];
  }
  if (stage.type === "statements") {
    const all = results.statements;
    const shown = Math.min(all.length, STATEMENTS_ON_SCREEN);
    const caption = !all.length
      ? "No statements yet"
      : shown === all.length
        ? `${all.length === 1 ? "1 statement" : `${all.length} statements`}, most agreed first`
        : `The ${shown} most agreed of ${all.length} statements`;
    return [
      h(
        "div",
        { class: "chart-area ranking-area" },
        h(
          "p",
          { class: "results-caption" },
          caption,
          h("span", { class: "caption-aside" }, ` · votes from ${people(results.voters)}`),
        ),
        h(
          "div",
          { class: "ranking-fit fit" },
          statementRanking(all, { limit: STATEMENTS_ON_SCREEN }),
          all.length
            ? h(
                "p",
                { class: "vote-key", "aria-hidden": "true" },
                h("span", { class: "key-agree" }, "Agree"),
                h("span", { class: "key-pass" }, "Pass"),
                h("span", { class: "key-disagree" }, "Disagree"),
              )
            : null,
        ),
      ),
      resultTable(stage.type, results),
    ];
  }
  return null;
}

/** Beside the grid: what its dots and crosses say, item by item, in words. */
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

/** The numbers behind the new activities' charts, for screen readers, or undefined. */
export function newResultsTable(stage, results) {
  const table = resultTable(stage.type, results);
  return table || undefined;
}

/** The figure laid out for the projector, or null when screen.js lays it out itself. */
export function projectorFigure(figure, { width, height, rem }) {
  if (!isGridFigure(figure)) return null;
  return fitGridFigure(figure, { width, height, fontSize: Math.round(1.5 * rem), legend: false });
}
