// The console's results preview: the server's Plotly figure, sized for a laptop, or the
// type's own HTML (activities/results/<type>.js at the console's size), with the server's
// table of the same numbers for screen readers. Shapes: docs/protocol.md, "results by type".

import { drawFigure, fill, h } from "./live.js";
import { resultFor } from "./activities/results.js";
import { resultsTable } from "./activities/results/table.js";

const LAPTOP_FONT_SIZE = 14;
const LAPTOP_SCALE = 0.62; // the server sizes figures for a projector

/** The figure with type and height suited to the console's narrower preview. */
function laptopFigure(stage, figure) {
  const fitted = resultFor(stage.type).fitFigure(figure, { size: "console" });
  if (fitted) return fitted;
  const layout = { ...(figure.layout || {}) };
  layout.font = { ...(layout.font || {}), size: LAPTOP_FONT_SIZE };
  layout.height = Math.max(200, Math.round((layout.height || 320) * LAPTOP_SCALE));
  layout.autosize = true;
  delete layout.width;
  return { data: figure.data, layout };
}

/** The live counts as [number, label] pairs: counts, never names. */
export function countsOf(message, stage) {
  if (!message) return [];
  const counts = [
    [message.connected, "connected"],
    [message.participants, "joined"],
  ];
  const counted = stage && (stage.answerable ? "answered" : resultFor(stage.type).countWord);
  if (counted) counts.push([message.answered, counted]);
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

/** The server's table of `message`'s results, for screen readers. */
function numbers(message) {
  return resultsTable(message && message.results ? message.table : null);
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
  const kind = resultFor(stage.type);
  if (kind.withoutFigure) {
    renderListPreview(body, stage, message, kind);
    return;
  }
  if (!stage.answerable) {
    if (body.dataset.stage !== stage.key || !body.querySelector(".no-chart")) {
      fill(body, h("p", { class: "no-chart muted" }, kind.noChart));
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
  if (message && message.figure) drawFigure(chart, laptopFigure(stage, message.figure));
  fill(body.querySelector(".numbers"), numbers(message));
}

/** The preview of a type drawn as HTML (a word cloud, statements ranked by agreement). */
function renderListPreview(body, stage, message, kind) {
  if (body.dataset.stage !== stage.key || !body.querySelector(".list-preview")) {
    fill(
      body,
      h("p", { class: "empty-chart muted" }),
      h("div", { class: "list-preview" }),
      h("div", { class: "numbers" }),
    );
    body.dataset.stage = stage.key;
  }
  const shown = kind.render(message, { size: "console" });
  const empty = body.querySelector(".empty-chart");
  empty.textContent = shown ? "" : kind.previewEmpty;
  empty.hidden = Boolean(shown);
  fill(body.querySelector(".list-preview"), shown);
  fill(body.querySelector(".numbers"), numbers(message));
}
