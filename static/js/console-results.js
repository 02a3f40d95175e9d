// The console's results preview: the server's Plotly figure, sized for a laptop, and the
// same numbers as a table for screen readers. Shapes: docs/protocol.md, "results by type".

import { drawFigure, fill, h } from "./live.js";
import { groupWordClouds, resultTable, statementRanking, wordCloud } from "./activity-results.js";
import { fitGridFigure, isGridFigure } from "./grid-figure.js";

const LAPTOP_FONT_SIZE = 14;
const LAPTOP_SCALE = 0.62; // the server sizes figures for a projector

function fmt(number) {
  if (number === null || number === undefined) return "–";
  return Number.isInteger(number) ? String(number) : number.toFixed(2).replace(/\.?0+$/, "");
}

/** The figure with type and height suited to the console's narrower preview. */
export function laptopFigure(figure) {
  if (isGridFigure(figure)) return fitGridFigure(figure, { height: 420, fontSize: LAPTOP_FONT_SIZE });
  const layout = { ...(figure.layout || {}) };
  layout.font = { ...(layout.font || {}), size: LAPTOP_FONT_SIZE };
  layout.height = Math.max(200, Math.round((layout.height || 320) * LAPTOP_SCALE));
  layout.autosize = true;
  delete layout.width;
  return { data: figure.data, layout };
}

function table(caption, headings, rows) {
  return h(
    "table",
    { class: "visually-hidden results-table" },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, headings.map((text) => h("th", { scope: "col" }, text)))),
    h(
      "tbody",
      {},
      rows.map(([label, ...cells]) =>
        h("tr", {}, h("th", { scope: "row" }, label), cells.map((c) => h("td", {}, fmt(c)))),
      ),
    ),
  );
}

/** The results as a table (a visually hidden one: the chart's text, for screen readers). */
export function resultsTable(type, results) {
  if (!results) return null;
  switch (type) {
    case "sector":
    case "choice":
      return table(
        "Answers per option",
        ["Option", "Answers"],
        results.options.map((o) => [o.label, o.count]),
      );
    case "rating":
      return table(
        "Ratings per item",
        ["Item", ...results.points.map((p) => `Rated ${p}`), "Answers", "Median", "Mean"],
        results.items.map((item) => [
          item.label,
          ...results.points.map((p) => item.counts[String(p)] || 0),
          item.n,
          item.median,
          item.mean,
        ]),
      );
    case "traffic_light":
      return table(
        "Traffic lights per item",
        ["Item", ...results.lights.map((light) => light.label), "Answers"],
        results.items.map((item) => [
          item.label,
          ...results.lights.map((light) => item[light.key]),
          item.n,
        ]),
      );
    case "ranking":
      return table(
        `Ranking by Borda score (${results.voters} voters)`,
        ["Item", "Borda score", "Mean rank"],
        results.items.map((item) => [item.label, item.borda, item.mean_rank]),
      );
    default:
      return resultTable(type, results); // points, grid, word cloud, statements

  }
}

/** The live counts as [number, label] pairs: counts, never names. */
export function countsOf(message, stage) {
  if (!message) return [];
  const counts = [
    [message.connected, "connected"],
    [message.participants, "joined"],
  ];
  if (stage && stage.answerable) counts.push([message.answered, "answered"]);
  else if (stage && stage.type === "open_text") counts.push([message.answered, "commented"]);
  else if (stage && stage.type === "statements") counts.push([message.answered, "took part"]);
  return counts;
}

/**
 * Fill `element` with "N connected · M joined · K answered", each count a figure above its
 * word (the separators are there for screen readers and copied text).
 */
export function renderCounts(element, message, stage) {
  const counts = countsOf(message, stage);
  fill(
    element,
    counts.flatMap(([number, label], index) => [
      index ? h("span", { class: "visually-hidden" }, " · ") : null,
      h("span", { class: "stat" }, h("strong", {}, String(number)), " ", h("span", {}, label)),
    ]),
  );
}

/**
 * Draw the preview of `message` (a `results` message) for `stage` into `body`, reusing
 * `body`'s chart element while the stage stays the same so Plotly updates in place.
 */
export function renderPreview(body, stage, message) {
  if (!stage) {
    fill(body);
    return;
  }
  if (stage.type === "word_cloud" || stage.type === "statements") {
    renderListPreview(body, stage, message);
    return;
  }
  if (!stage.answerable) {
    const words =
      stage.type === "open_text"
        ? "This stage collects comments: they appear on the right, most agreed first."
        : "This stage has nothing to answer, so there is no chart.";
    if (body.dataset.stage !== stage.key || !body.querySelector(".no-chart")) {
      fill(body, h("p", { class: "no-chart muted" }, words));
      body.dataset.stage = stage.key;
    }
    return;
  }
  let chart = body.querySelector(".chart");
  if (body.dataset.stage !== stage.key || !chart) {
    chart = h("div", { class: "chart", "aria-hidden": "true" });
    fill(body, h("p", { class: "empty-chart muted" }), chart, h("div", { class: "numbers" }));
    body.dataset.stage = stage.key;
  }
  const empty = body.querySelector(".empty-chart");
  const answered = message && message.results ? message.results.answered : 0;
  empty.textContent = answered
    ? ""
    : "No answers yet. The chart fills in as answers arrive; only you see it until you reveal.";
  empty.hidden = Boolean(answered);
  if (message && message.figure) drawFigure(chart, laptopFigure(message.figure));
  fill(body.querySelector(".numbers"), resultsTable(stage.type, message && message.results));
}

/**
 * The preview of a word cloud (the words, sized by use) or of statements (ranked by
 * agreement, each with a bar of its agree, pass and disagree votes), as HTML.
 */
function renderListPreview(body, stage, message) {
  if (body.dataset.stage !== stage.key || !body.querySelector(".list-preview")) {
    fill(
      body,
      h("p", { class: "empty-chart muted" }),
      h("div", { class: "list-preview" }),
      h("div", { class: "numbers" }),
    );
    body.dataset.stage = stage.key;
  }
  const results = message && message.results;
  const list = body.querySelector(".list-preview");
  const empty = body.querySelector(".empty-chart");
  const none =
    stage.type === "word_cloud"
      ? "No words yet. The cloud fills in as answers arrive; only you see it until you reveal."
      : "No statements yet. They are ranked by agreement as the room votes; only you see the ranking until you reveal.";
  const has = results && (stage.type === "word_cloud" ? results.words : results.statements).length;
  empty.textContent = has ? "" : none;
  empty.hidden = Boolean(has);
  const groups = message && message.breakdown && message.groups;
  if (!has) fill(list);
  else if (stage.type === "word_cloud" && groups && groups.length) {
    // By sector or by table, as the projector shows it: a small cloud per group.
    fill(
      list,
      h("p", { class: "group-clouds-caption muted" }, groupsCaption(message)),
      groupWordClouds(groups, { limit: 15, smallest: 0.9, largest: 2, breakdown: message.breakdown }),
    );
  } else if (stage.type === "word_cloud") {
    fill(list, wordCloud(results.words, { smallest: 1, largest: 3 }));
  }
  else fill(list, statementRanking(results.statements, { limit: 20 }));
  fill(body.querySelector(".numbers"), resultTable(stage.type, results));
}

/** "By sector · 5 people in 3 sectors" above the console's word clouds per group. */
function groupsCaption(message) {
  const word = message.breakdown === "table" ? "table" : "sector";
  const named = message.groups.filter((g) => g.key !== null && g.key !== undefined && !g.other).length;
  const people = message.answered === 1 ? "1 person" : `${message.answered} people`;
  const other = message.groups.some((g) => g.other) ? " and Other groups" : "";
  const where = named ? `${named} ${word}${named === 1 ? "" : "s"}${other}` : "Other groups";
  return `By ${word} · ${people} in ${where}`;
}
