// The projector's breakdowns: results by sector or by table (the server's grouped figure,
// laid out for a 1920x1080 wall), the numbers per group for screen readers, and the
// comment wall as "where sectors agree / split" (facilitation/live/consensus.py).

import { h } from "./live.js";

/** Whether `figure` is a breakdown (facilitation/charts_breakdown.py). */
export function isBreakdownFigure(figure) {
  return Boolean(figure && figure.layout && figure.layout.meta && figure.layout.meta.chart === "breakdown");
}

const GROUP_WORD = { sector: "sector", table: "table" };

function people(n) {
  return n === 1 ? "1 person" : `${n} people`;
}

/** The caption above a breakdown chart: "By sector · results from 7 people in 3 sectors". */
export function breakdownCaption(message) {
  const groups = message.groups || [];
  const word = GROUP_WORD[message.breakdown] || "group";
  const named = groups.filter((g) => g.key !== null && g.key !== undefined).length;
  const where = `${named} ${word}${named === 1 ? "" : "s"}`;
  const by = message.breakdown === "table" ? "By table" : "By sector";
  return `${by} · results from ${people(message.answered)} in ${where}`;
}

// A rating legend says what the ends of the scale mean: "1 Not at all" … "5 Fully".
function legendName(stage, name) {
  const scale = stage && stage.type === "rating" ? stage.scale : null;
  if (!scale || name === undefined) return name;
  if (name === String(scale.min) && scale.min_label) return `${name} ${scale.min_label}`;
  if (name === String(scale.max) && scale.max_label) return `${name} ${scale.max_label}`;
  return name;
}

/**
 * The breakdown figure laid out for this screen: type in rem (as large as the bars leave
 * room for, from 0.8 to 1.4rem), the panel titles a step larger, legends in scale order.
 * Returns {data, layout} for screen.js to paint, or null when `figure` is no breakdown.
 */
export function projectorBreakdown(figure, { width, height, rem, stage }) {
  if (!isBreakdownFigure(figure)) return null;
  const layout = figure.layout;
  // Rows of bars in each panel, the panels side by side, and the lines of their titles.
  const rowsPerAxis = new Map();
  let longestLabel = 8;
  for (const trace of figure.data) {
    const axis = trace.yaxis || "y";
    const labels = rowsPerAxis.get(axis) || new Set();
    for (const label of trace.y || []) {
      labels.add(label);
      for (const line of String(label).replace(/<[^>]+>/g, "\n").split("\n")) {
        longestLabel = Math.max(longestLabel, line.length);
      }
    }
    rowsPerAxis.set(axis, labels);
  }
  const axes = Array.from(rowsPerAxis.values(), (labels) => labels.size);
  const columns = Math.max(1, countColumns(layout));
  const panelRows = Math.max(1, Math.ceil(axes.length / columns));
  const titles = layout.annotations || [];
  const parts = layout.meta.titles || []; // each title's lines, before wrapping
  const plain = (text) => String(text).replace(/<br>/g, " ").replace(/<\/?b>/g, "");
  const bars = Math.max(1, ...axes) * panelRows;
  const hasAxisTitle = Object.entries(layout).some(
    ([name, axis]) => /^xaxis\d*$/.test(name) && axis && axis.title && axis.title.text,
  );
  // The largest type (0.8 to 1.5rem) at which the labels keep to ~30% of the width, the
  // panel titles rewrapped to their column fit above the bars, and each bar has room for
  // two lines of its label.
  const layoutAt = (px) => {
    const perLine = Math.max(12, Math.floor(width / columns / (px * 1.15 * 0.62)));
    const wrapped = titles.map((a, i) =>
      (parts[i] || [plain(a.text)]).map((line) => wrapWords(line, perLine)).join("<br>"),
    );
    const titleLines = Math.max(0, ...wrapped.map((t) => t.split("<br>").length));
    const fixed =
      (hasAxisTitle ? 4.5 : 3) * rem + px * 2.2 + panelRows * titleLines * px * 1.15 * 1.3;
    const fits = (height - fixed) / bars >= px * 2.4 && longestLabel * 0.6 * px <= 0.3 * width;
    return { wrapped, titleLines, fits };
  };
  let size = Math.round(1.5 * rem);
  let fitted = layoutAt(size);
  while (!fitted.fits && size > Math.round(0.8 * rem)) {
    size -= 1;
    fitted = layoutAt(size);
  }
  const { titleLines } = fitted;

  const data = figure.data.map((trace) => ({
    ...trace,
    name: legendName(stage, trace.name),
    textfont: { ...(trace.textfont || {}), size },
    textangle: 0,
    insidetextfont: { size, color: "#fff" },
    outsidetextfont: { size, color: "#0b0d10" },
  }));
  const annotations = titles.map((a, index) => ({
    ...a,
    text: `<b>${fitted.wrapped[index]}</b>`,
    font: { ...(a.font || {}), size: Math.round(size * 1.15), color: "#0b0d10" },
  }));
  return {
    data,
    layout: {
      ...layout,
      annotations,
      font: { ...(layout.font || {}), size, color: "#0b0d10" },
      // The legend at the very top, the panels' titles under it, then the bars.
      legend: {
        ...(layout.legend || {}),
        font: { size },
        traceorder: "normal",
        orientation: "h",
        yref: "container",
        y: 1,
        yanchor: "top",
        x: 0,
        xanchor: "left",
      },
      margin: {
        l: 20,
        r: Math.round(2.5 * rem),
        t: Math.round(
          (layout.showlegend === false ? 0.4 * rem : size * 1.5 + 0.8 * rem) +
            (titles.length ? titleLines * size * 1.15 * 1.3 + 0.3 * rem : 0),
        ),
        b: Math.round(1.5 * rem),
      },
      width,
      height,
      autosize: false,
    },
  };
}

function wrapWords(text, width) {
  const lines = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.join("<br>");
}

function countColumns(layout) {
  // Panels side by side share one row of x axes' domains: count distinct left edges.
  const starts = new Set();
  for (const [name, axis] of Object.entries(layout)) {
    if (/^xaxis\d*$/.test(name) && axis && axis.domain) starts.add(axis.domain[0].toFixed(3));
  }
  return starts.size;
}

/** A visually hidden table per group: the numbers the breakdown chart draws. */
export function breakdownTables(stage, message, resultsTable) {
  const groups = message.groups || [];
  return h(
    "div",
    { class: "visually-hidden breakdown-tables" },
    h("h2", {}, message.breakdown === "table" ? "Results by table" : "Results by sector"),
    groups.map((group) => {
      const table = resultsTable(stage, group.results);
      if (!table) return null;
      const caption = table.querySelector("caption");
      if (caption) caption.textContent = `${group.label}: ${people(group.answered)}`;
      table.dataset.group = group.label;
      return table;
    }),
  );
}

// Where sectors agree / split ----------------------------------------------------------------

const ORDER = { consensus: 0, split: 1, mixed: 2, too_few: 3 };

function ranked(comments) {
  return comments
    .map((comment, index) => ({ comment, index }))
    .sort((a, b) => {
      const ca = a.comment.consensus || { status: "too_few" };
      const cb = b.comment.consensus || { status: "too_few" };
      return (
        (ORDER[ca.status] ?? 9) - (ORDER[cb.status] ?? 9) ||
        (cb.sectors_agreeing || 0) - (ca.sectors_agreeing || 0) ||
        a.index - b.index
      );
    })
    .map(({ comment }) => comment);
}

function badge(consensus) {
  if (!consensus) return null;
  if (consensus.status === "consensus") {
    const n = consensus.sectors_agreeing ?? consensus.by_sector.length;
    return h("span", { class: "consensus-badge agreed" }, `Agreed across ${n} sectors`);
  }
  if (consensus.status === "split") {
    return h("span", { class: "consensus-badge split" }, "Splits sectors");
  }
  return null;
}

/** "Agreed across 2 sectors  Health 1–0 · Housing 1–0": the badge and each sector's votes. */
function consensusLine(consensus) {
  const mark = badge(consensus);
  if (!mark) return null;
  return h(
    "p",
    { class: "consensus-line" },
    mark,
    h(
      "span",
      { class: "consensus-sectors" },
      consensus.by_sector.flatMap((row, i) => [
        i ? " · " : "",
        h("span", { class: "sector-votes" }, `${row.sector} ${row.agree}–${row.disagree}`),
      ]),
    ),
  );
}

/**
 * The comment wall ranked by where sectors agree: cards that every voting sector agrees
 * with first (widest first), then those that split sectors, then the rest. Uses the
 * wall's own classes, so screen.js stacks and fits it like the usual wall.
 */
export function consensusWall(comments, { main, limit = 8 }, commentCard) {
  const cards = ranked(comments).slice(0, limit).map((comment) => {
    const card = commentCard(comment);
    const status = comment.consensus ? comment.consensus.status : "too_few";
    card.classList.add(`consensus-${status}`);
    const line = consensusLine(comment.consensus);
    if (line) card.prepend(line);
    return card;
  });
  const agreed = comments.filter((c) => c.consensus && c.consensus.status === "consensus").length;
  const split = comments.filter((c) => c.consensus && c.consensus.status === "split").length;
  return h(
    "section",
    { class: `wall consensus-wall${main ? " wall-main" : ""}`, "aria-label": "Where sectors agree and split" },
    h("h2", { class: "consensus-heading" }, "Where sectors agree"),
    h(
      "p",
      { class: "consensus-summary" },
      `${agreed} agreed across sectors · ${split} ${split === 1 ? "splits" : "split"} them`,
    ),
    comments.length
      ? h("ol", { class: "wall-list" }, cards)
      : h("p", { class: "wall-empty" }, "No comments yet. Write yours on your phone and it appears here."),
  );
}
