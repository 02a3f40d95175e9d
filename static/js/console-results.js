// The console's results preview: the server's Plotly figure, sized for a laptop, or the
// type's own HTML (activities/results/<type>.js at the console's size), with the server's
// table of the same numbers for screen readers. Shapes: docs/protocol.md, "results by type".

import { drawFigure, fill, h } from "./live.js";
import { resultFor, showsResults } from "./activities/results.js";
import { resultsTable } from "./activities/results/table.js";
import { placePanels } from "./screen-breakdowns.js";

const LAPTOP_FONT_SIZE = 14;
const TITLE_FONT_SIZE = 13;
const LAPTOP_SCALE = 0.62; // the server sizes figures for a projector
const MIN_HEIGHT = 180;

/**
 * The tallest `chart` may be: where the stage's pane scrolls inside a window-high console
 * (a laptop, static/css/console.css), what is left of the pane under the chart's top, so
 * the preview shows whole under the controls; elsewhere (the page scrolls) no limit.
 */
function roomForChart(chart) {
  const pane = chart.closest(".pane");
  if (!pane || getComputedStyle(pane).overflowY !== "auto") return Infinity;
  const top = chart.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
  const bottom = parseFloat(getComputedStyle(pane).paddingBottom) || 0;
  return Math.max(MIN_HEIGHT, Math.floor(pane.clientHeight - top - bottom));
}

// A bar's label per line in the console: at least the server's, at most what leaves the
// bars most of the preview's width.
const LABEL_CHARACTERS = { least: 28, most: 56 };
const LINE_HEIGHT = 1.35; // Plotly's tick label lines, in ems, with a little air

/** `text`'s words (split at spaces and line breaks) on lines of at most `characters`. */
function rewrap(text, characters) {
  const lines = [];
  for (const word of text.split(/<br>|\s+/).filter(Boolean)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= characters) {
      lines[last] += ` ${word}`;
    } else {
      lines.push(word);
    }
  }
  return lines.join("<br>");
}

/** `label` (the server's, wrapped for a projector) on lines of `characters`; a label with
 * markup other than line breaks is left as it is. */
function widerLabel(label, characters) {
  if (typeof label !== "string" || !label.includes("<br>")) return label;
  if (label.replace(/<br>/g, "").includes("<")) return label;
  return rewrap(label, characters);
}

/** How many characters a line of the bars' labels may take so that each label's lines fit
 * its row of a chart `height` px high: the longest label over the lines a row has room for. */
function labelCharacters(data, height) {
  const labels = new Set(data.flatMap((trace) => (trace.orientation === "h" && trace.y) || []));
  if (!labels.size) return LABEL_CHARACTERS.least;
  const longest = Math.max(...Array.from(labels, (l) => String(l).replace(/<br>/g, " ").length));
  const rowHeight = (height - 90) / labels.size; // less the legend, the ticks and margins
  const lines = Math.max(1, Math.floor(rowHeight / (LAPTOP_FONT_SIZE * LINE_HEIGHT)));
  const wanted = Math.ceil(longest / lines) + 4; // words do not fill a line exactly
  return Math.min(LABEL_CHARACTERS.most, Math.max(LABEL_CHARACTERS.least, wanted));
}

/** A breakdown panel's title ("<b>title</b><br>detail") wrapped to `characters`, so that
 * titles side by side in the console's narrower chart stay apart. */
function panelTitle(text, characters) {
  if (typeof text !== "string") return text;
  const end = text.indexOf("</b>");
  const bold = text.startsWith("<b>") && end > 0;
  const title = bold ? text.slice(3, end) : text;
  if (title.replace(/<br>/g, "").includes("<")) return text;
  return bold ? `<b>${rewrap(title, characters)}${text.slice(end)}` : rewrap(title, characters);
}

/** The panels' titles of a breakdown, in the console's type, wrapped to their panel. */
function fitPanelTitles(annotations, width) {
  const columns = new Set(annotations.map((note) => Math.round((note.x || 0) * 100))).size || 1;
  const characters = Math.max(12, Math.floor(width / columns / (TITLE_FONT_SIZE * 0.62)) - 2);
  return annotations.map((note) => ({
    ...note,
    text: panelTitle(note.text, characters),
    font: { ...(note.font || {}), size: Math.min(note.font?.size || TITLE_FONT_SIZE, TITLE_FONT_SIZE) },
  }));
}

/**
 * A by-group rating or traffic light in the console: the legend at the top, the panels'
 * titles (rewrapped by fitPanelTitles) under it, each row of panels under its titles,
 * never over the legend, the next row's titles or a neighbour's tick labels. Up to four
 * panels sit in one row, and each group's label takes one line where two do not fit.
 */
function sharePanels(layout, data, width) {
  const margin = { ...(layout.margin || {}), b: 16 };
  const panels = layout.annotations.length;
  const columns = panels <= 4 ? panels : new Set(layout.annotations.map((note) => Math.round((note.x || 0) * 100))).size || 1;
  const labels = new Set(data.flatMap((trace) => trace.y || []).map(String));
  const groups = Math.max(1, labels.size); // every panel lists the same groups
  const place = (oneLine) => {
    const shown = Array.from(labels, (label) => (oneLine ? label.replace(/<br>/g, " · ") : label));
    const lines = shown.flatMap((label) => label.split(/<br>/).map((line) => line.replace(/<[^>]+>/g, "")));
    const longest = Math.max(8, ...lines.map((line) => line.length));
    const plotWidth = width - (margin.l ?? 20) - (margin.r ?? 20) - longest * LAPTOP_FONT_SIZE * 0.62;
    return placeShares(layout, { columns, panels, plotWidth, margin });
  };
  let placed = place(false);
  const barsHeight = placed.rowHeight;
  const oneLine = barsHeight / groups < LAPTOP_FONT_SIZE * (2 * 1.3 + 0.4);
  if (oneLine) placed = place(true);
  const relabel = (label) => String(label).replace(/<br>/g, " · ");
  return {
    layout: placed.layout,
    data: oneLine ? data.map((trace) => (trace.y ? { ...trace, y: trace.y.map(relabel) } : trace)) : data,
  };
}

/** The share panels placed in a plot `plotWidth` px wide (sharePanels). */
function placeShares(layout, { columns, panels, plotWidth, margin: given }) {
  const margin = { ...given };
  const gap = 3.4 * LAPTOP_FONT_SIZE; // "100%" of one panel and "0%" of the next stay apart
  // Each title on lines as wide as its panel (a little into the gap beside it).
  const panelWidth = (plotWidth - gap * (columns - 1)) / columns;
  const characters = Math.max(8, Math.floor((panelWidth + 0.4 * gap) / (TITLE_FONT_SIZE * 0.64)));
  const titles = layout.annotations.map((note) => panelTitle(note.text, characters));
  const titleLines = Math.max(1, ...titles.map((text) => String(text).split("<br>").length));
  const titleBlock = titleLines * TITLE_FONT_SIZE * 1.3 + 6;
  const legend = layout.showlegend === false ? 8 : LAPTOP_FONT_SIZE * 1.6 + 8;
  margin.t = Math.round(legend + titleBlock);
  const plotHeight = layout.height - margin.t - margin.b;
  const tickBlock = LAPTOP_FONT_SIZE * 1.6;
  const rows = Math.ceil(panels / columns);
  const { axes, titleAt } = placePanels(layout, {
    columns,
    panels,
    plotWidth,
    plotHeight,
    gap,
    titleBlock,
    tickBlock,
  });
  return {
    rowHeight: (plotHeight - rows * tickBlock - (rows - 1) * titleBlock) / rows,
    layout: {
      ...axes,
      margin,
      annotations: layout.annotations.map((note, index) => ({
        ...note,
        ...(titleAt[index] || {}),
        text: titles[index],
      })),
      legend: { ...(layout.legend || {}), yref: "container", y: 1, yanchor: "top" },
    },
  };
}

/** Horizontal bars' labels on lines of `characters`, so that they stay apart. */
function widerBarLabels(data, characters) {
  return data.map((trace) =>
    trace.orientation === "h" && Array.isArray(trace.y)
      ? { ...trace, y: trace.y.map((label) => widerLabel(label, characters)) }
      : trace,
  );
}

/** The figure with type and height suited to the console's narrower preview. */
function laptopFigure(stage, figure, chart) {
  const fitted = resultFor(stage.type).fitFigure(figure, { size: "console" });
  const layout = { ...((fitted || figure).layout || {}) };
  if (!fitted) {
    layout.font = { ...(layout.font || {}), size: LAPTOP_FONT_SIZE };
    // Titles of a breakdown's panels carry their own projector-sized type and wrapping.
    if (Array.isArray(layout.annotations)) {
      layout.annotations = fitPanelTitles(layout.annotations, chart.clientWidth || 600);
    }
    layout.height = Math.max(MIN_HEIGHT, Math.round((layout.height || 320) * LAPTOP_SCALE));
    layout.autosize = true;
    delete layout.width;
  }
  let data = (fitted || figure).data;
  const room = roomForChart(chart);
  if (layout.height > room) layout.height = room;
  if (!fitted && resultFor(layout.meta?.activity).groupShares && layout.annotations?.length) {
    const placed = sharePanels(layout, data, chart.clientWidth || 600);
    Object.assign(layout, placed.layout);
    data = placed.data;
  }
  if (!fitted) {
    // The server wrapped the labels for a projector's rows; the console's rows are shorter.
    const characters = labelCharacters(data, layout.height);
    data = widerBarLabels(data, characters);
    // An axis that orders its categories by their labels is given the same new labels.
    for (const [key, axis] of Object.entries(layout)) {
      if (key.startsWith("yaxis") && axis && Array.isArray(axis.categoryarray)) {
        const categoryarray = axis.categoryarray.map((label) => widerLabel(label, characters));
        layout[key] = { ...axis, categoryarray };
      }
    }
  }
  return { data, layout };
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
  if (!showsResults(stage)) {
    if (body.dataset.stage !== stage.key || !body.querySelector(".no-chart")) {
      fill(body, h("p", { class: "no-chart muted" }, kind.noChart));
      body.dataset.stage = stage.key;
    }
    return;
  }
  let chart = body.querySelector(".chart");
  if (body.dataset.stage !== stage.key || !chart) {
    chart = h("div", { class: "chart", "aria-hidden": "true" });
    // On a narrow screen the chart keeps a readable width and scrolls sideways in its own
    // box (WCAG 1.4.10), which holds its table too and can take focus to be scrolled.
    const scroller = h(
      "div",
      { class: "chart-scroll", tabindex: "0", role: "region", "aria-label": "Results chart" },
      chart,
      h("div", { class: "numbers" }),
    );
    fill(body, h("div", { class: "preview-lead" }), h("p", { class: "empty-chart muted" }), scroller);
    body.dataset.stage = stage.key;
  }
  // What a type puts above its chart (the profile's acceptability score); most put nothing.
  fill(body.querySelector(".preview-lead"), message ? kind.render(message, { size: "console" }) : null);
  const empty = body.querySelector(".empty-chart");
  const answered = message && message.results ? message.results.answered : 0;
  empty.textContent = answered
    ? ""
    : "No answers yet. The chart fills in as answers arrive; only you see it until you reveal.";
  empty.hidden = Boolean(answered);
  if (message && message.figure) drawFigure(chart, laptopFigure(stage, message.figure, chart));
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
