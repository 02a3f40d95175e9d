// Opinion groups (issue 14; docs/opinion-groups.md) as the projector and the console show
// them: the `opinion` of a statements stage's `results` message (facilitation/opinion/
// view.py) made into the map's Plotly figure and into words. No DOM here, so `node --test`
// runs it; activities/results/opinion.js draws it.
//
// The map is a picture of who voted alike, not a chart with a scale: its two axes are the
// votes' principal components, which mean nothing to a room, so it has no ticks, and one
// unit is as long across as up (equal aspect), or the groups' shapes would lie.

import { contrast } from "./theme-colours.js";

// The groups' colours: the app's categorical palette (activities/grid.py ITEM_COLOURS)
// without its green and red, which mean agree and disagree beside them. Dark mode takes the
// counterparts screen-theme.js gives these colours on the dark page. Each meets 4.5:1 on
// its page, so a group's letter written in its colour reads too; the letters (and the
// dots' shapes) say the group where colour alone would not.
export const GROUP_COLOURS = {
  light: ["#1d5e9e", "#9a5b00", "#6a3d9a", "#00707a", "#8a4a6b"],
  dark: ["#93c0ee", "#ac792e", "#9473b6", "#338d95", "#a4728c"],
};
export const GROUP_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "pentagon"];
const NO_GROUP = { light: "#57606a", dark: "#9aa3ad" }; // the dots before groups form

/** The index of group `label` ("A" -> 0), for its colour and shape. */
export function groupIndex(label) {
  const index = String(label || "A").charCodeAt(0) - 65;
  return Number.isInteger(index) && index >= 0 ? index % GROUP_COLOURS.light.length : 0;
}

/** Group `label`'s colour on a `dark` or light page. */
export function groupColour(label, { dark = false } = {}) {
  return GROUP_COLOURS[dark ? "dark" : "light"][groupIndex(label)];
}

/** `colour` (#rrggbb) at `alpha`, as Plotly takes it. */
export function translucent(colour, alpha) {
  const hex = colour.replace("#", "");
  const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r},${g},${b},${alpha})`;
}

/** Whether every group colour keeps `ratio` to `paper` (WCAG 1.4.11 marks, 1.4.3 text). */
export function coloursContrast(paper, { dark = false, ratio = 4.5 } = {}) {
  return GROUP_COLOURS[dark ? "dark" : "light"].every((colour) => contrast(colour, paper) >= ratio);
}

// Shapes ------------------------------------------------------------------------------------

const cross = (o, a, b) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/**
 * The convex hull of `points` ([x, y] pairs), anticlockwise, without repeated or collinear
 * points (Andrew's monotone chain). One or two distinct points are their own hull.
 */
export function convexHull(points) {
  const sorted = points
    .map(([x, y]) => [x, y])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]);
  if (sorted.length < 3) return sorted;
  const half = (list) => {
    const chain = [];
    for (const p of list) {
      while (chain.length >= 2 && cross(chain[chain.length - 2], chain[chain.length - 1], p) <= 0) chain.pop();
      chain.push(p);
    }
    chain.pop(); // the next half starts with it
    return chain;
  };
  return [...half(sorted), ...half([...sorted].reverse())];
}

/**
 * The outline drawn round a group: the hull of a circle of `radius` round each point, so
 * every dot sits inside it (not on its edge) and a group of one or two people, or in a
 * line, still gets a shape. Closed: the last point is the first.
 */
export function groupOutline(points, radius, steps = 12) {
  const around = [];
  for (const [x, y] of convexHull(points)) {
    for (let i = 0; i < steps; i += 1) {
      const angle = (2 * Math.PI * i) / steps;
      around.push([x + radius * Math.cos(angle), y + radius * Math.sin(angle)]);
    }
  }
  const hull = convexHull(around);
  return hull.length ? [...hull, hull[0]] : [];
}

// The map ------------------------------------------------------------------------------------

/**
 * Axis ranges that show every point with a margin and give one unit the same length
 * across as up in a plot `width` x `height` px: the narrower way is widened round its
 * middle. Returns {x: [lo, hi], y: [lo, hi], scale (px per unit)}.
 */
export function equalRanges(points, width, height, margin = 0.12) {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const span = (values) => (values.length ? [Math.min(...values), Math.max(...values)] : [-1, 1]);
  let [x0, x1] = span(xs);
  let [y0, y1] = span(ys);
  const spread = Math.max(x1 - x0, y1 - y0, 1e-6);
  const pad = spread * margin;
  [x0, x1, y0, y1] = [x0 - pad, x1 + pad, y0 - pad, y1 + pad];
  const scale = Math.min(width / (x1 - x0), height / (y1 - y0));
  const widen = ([lo, hi], px) => {
    const middle = (lo + hi) / 2;
    const half = px / scale / 2;
    return [middle - half, middle + half];
  };
  return { x: widen([x0, x1], width), y: widen([y0, y1], height), scale };
}

/** Where group `label`'s people sit on average. */
function centreOf(points) {
  const n = Math.max(1, points.length);
  return [points.reduce((s, p) => s + p[0], 0) / n, points.reduce((s, p) => s + p[1], 0) / n];
}

/**
 * Where each group's label goes, in px from the plot's bottom left: at its group's centre,
 * then moved apart (up or down, the shorter way) where two labels' boxes would overlap,
 * and kept inside the plot. `labels`: [{label, x, y (px), width, height (px)}]. Returns the
 * same objects with x and y moved.
 */
export function placeLabels(labels, { width, height, gap = 4 }) {
  const placed = labels.map((l) => ({ ...l }));
  const inside = (l) => {
    l.x = Math.min(width - l.width / 2, Math.max(l.width / 2, l.x));
    l.y = Math.min(height - l.height / 2, Math.max(l.height / 2, l.y));
  };
  placed.forEach(inside);
  for (let round = 0; round < 50; round += 1) {
    let moved = false;
    for (let i = 0; i < placed.length; i += 1) {
      for (let j = i + 1; j < placed.length; j += 1) {
        const [a, b] = [placed[i], placed[j]];
        const across = (a.width + b.width) / 2 + gap - Math.abs(a.x - b.x);
        const up = (a.height + b.height) / 2 + gap - Math.abs(a.y - b.y);
        if (across <= 0 || up <= 0) continue;
        // Apart vertically, each half the way: the one above (or, level, the later) goes up.
        const direction = a.y > b.y || (a.y === b.y && i > j) ? 1 : -1;
        a.y += (direction * up) / 2;
        b.y -= (direction * up) / 2;
        inside(a);
        inside(b);
        moved = true;
      }
    }
    if (!moved) break;
  }
  return placed;
}

/**
 * The opinion map's Plotly figure for a plot `width` x `height` px: a translucent outline
 * round each group, one dot per person in the group's colour and shape, and each group
 * labelled "A · 15" at its centre (in the group's colour on the page's paper). `opinion`
 * is the results message's; before groups form its dots are grey and unlabelled.
 * `font`: the labels' size (px); `paper`, `ink`: the page's colours.
 */
export function mapFigure(opinion, { width, height, font, dark = false, paper = "#ffffff", ink = "#0b0d10" }) {
  const points = (opinion.points || []).filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  const ranges = equalRanges(points, width, height);
  // Dots half the labels' type, smaller in a crowd (a hundred people still read as dots).
  const crowd = Math.sqrt(60 / Math.max(60, points.length));
  const dot = Math.max(7, Math.min(18, Math.round(font * 0.5 * crowd)));
  const byGroup = new Map();
  for (const [x, y, label] of points) {
    const key = label || "";
    if (!byGroup.has(key)) byGroup.set(key, []);
    byGroup.get(key).push([x, y]);
  }
  const sizes = new Map((opinion.groups || []).map((g) => [g.label, g.size]));
  const data = [];
  const labels = [];
  const radius = (dot * 1.1) / ranges.scale; // the outline clears each dot by half its width
  for (const [label, members] of byGroup) {
    const colour = label ? groupColour(label, { dark }) : NO_GROUP[dark ? "dark" : "light"];
    if (label) {
      const outline = groupOutline(members, radius);
      data.push({
        type: "scatter",
        mode: "lines",
        x: outline.map((p) => p[0]),
        y: outline.map((p) => p[1]),
        fill: "toself",
        fillcolor: translucent(colour, dark ? 0.22 : 0.14),
        line: { color: colour, width: 2 },
        hoverinfo: "skip",
        showlegend: false,
      });
    }
    data.push({
      type: "scatter",
      mode: "markers",
      name: label ? `Group ${label}` : "People",
      x: members.map((p) => p[0]),
      y: members.map((p) => p[1]),
      marker: {
        color: colour,
        size: dot,
        symbol: label ? GROUP_SYMBOLS[groupIndex(label)] : "circle",
        line: { color: paper, width: 1.5 }, // dots on top of each other stay apart
      },
      hoverinfo: "skip",
      showlegend: false,
    });
    if (label) {
      const [cx, cy] = centreOf(members);
      const text = `${label} · ${sizes.get(label) ?? members.length}`;
      labels.push({
        label,
        text,
        colour,
        x: (cx - ranges.x[0]) * ranges.scale,
        y: (cy - ranges.y[0]) * ranges.scale,
        width: text.length * font * 0.62 + font * 0.8,
        height: font * 1.5,
      });
    }
  }
  const annotations = placeLabels(labels, { width, height }).map((l) => ({
    x: ranges.x[0] + l.x / ranges.scale,
    y: ranges.y[0] + l.y / ranges.scale,
    xref: "x",
    yref: "y",
    text: `<b>${l.text}</b>`, // a letter and a number: nobody's words
    showarrow: false,
    font: { size: font, color: l.colour },
    bgcolor: translucent(paper.length === 7 ? paper : "#ffffff", 0.78),
    bordercolor: l.colour,
    borderwidth: 2,
    borderpad: Math.round(font * 0.15),
  }));
  const axis = (range) => ({
    range,
    autorange: false,
    showticklabels: false,
    ticks: "",
    showgrid: false,
    zeroline: false,
    showline: false,
    fixedrange: true,
  });
  return {
    data,
    layout: {
      width,
      height,
      autosize: false,
      margin: { l: 0, r: 0, t: 0, b: 0 },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      font: { color: ink },
      xaxis: axis(ranges.x),
      yaxis: axis(ranges.y),
      annotations,
      showlegend: false,
      hovermode: false,
      dragmode: false,
    },
  };
}

// Words ----------------------------------------------------------------------------------------

const pct = (share) => `${Math.round(100 * (Number(share) || 0))}%`;
const peopleWords = (n) => (n === 1 ? "1 person" : `${n} people`);

/** Why there are no groups to show yet, or null when they are formed (or off). */
export function statusSentence(opinion) {
  if (!opinion) return null;
  if (opinion.status === "waiting") {
    const votes = opinion.min_votes === 1 ? "1 statement" : `${opinion.min_votes} statements`;
    return `Opinion groups form once ${opinion.min_people} people have voted on ${votes} each · ${opinion.placed || 0} so far`;
  }
  if (opinion.status === "no_split") return "No clear groups yet: the room votes alike so far";
  return null;
}

/** Whether `opinion` is on for its stage (the statements stage's plan does not turn it off). */
export function opinionOn(opinion) {
  return !!opinion && typeof opinion === "object" && opinion.status !== "off";
}

/** "3 groups formed from 45 people" (the console's status line), or the status sentence. */
export function groupsSentence(opinion) {
  if (opinion.status !== "formed") return statusSentence(opinion);
  const k = (opinion.groups || []).length;
  return `${k} group${k === 1 ? "" : "s"} formed from ${peopleWords(opinion.placed || 0)}`;
}

/** A representative statement's figures: "87% of A agree · 20% of others". */
export function representativeWords(label, statement) {
  const verb = statement.direction === "disagree" ? "disagree" : "agree";
  return `${pct(statement.share)} of ${label} ${verb} · ${pct(statement.rest_share)} of others`;
}

/** Each group's share that agrees, in label order: [["A", "90%"], ["B", "80%"]]. */
export function groupShares(statement, labels) {
  const shares = statement.shares || {};
  return labels.filter((label) => label in shares).map((label) => [label, pct(shares[label])]);
}

/** A cross-tab cell: the count, or "fewer than N" where the server holds it back (null). */
export function crossCell(count, minGroupSize) {
  return count === null || count === undefined ? `fewer than ${minGroupSize}` : String(count);
}

/** A held-back cell written short ("–"), and the key that says what it means. */
export const HELD_SHORT = "–";
export function heldKey(minGroupSize) {
  return `${HELD_SHORT} fewer than ${minGroupSize} people`;
}

// Fitting -----------------------------------------------------------------------------------

/**
 * How the projector lays the groups out: three columns on a wide screen (the map with the
 * sectors under it; the groups; what they agree on and what splits them), two on a 4:3
 * one (the map and the sectors; the groups, then what they agree on and what splits
 * them). Each column is a list of parts.
 */
export function columnsFor(width, height) {
  if (width >= 1.5 * height) {
    return [
      ["map", "sectors"],
      ["groups"],
      ["consensus", "divisive"],
    ];
  }
  return [
    ["map", "sectors"],
    ["groups", "consensus", "divisive"],
  ];
}

/**
 * What the projector leaves off, first to last, while a column does not fit at its type
 * size: fewer items rather than smaller type. The splits go before the agreements
 * (last first), then the line under the map, then the sectors' table (first its "fewer
 * than 3" written short, with a key under it, then the whole table), then each group's
 * third and second statements (the last group's first), then the agreements down to the
 * first, then the groups' first statements from the last group's up, then the first
 * agreement. The groups' names and sizes stay; what still does not fit is cut (the `fit`
 * class shrinks type only down to the screen's smallest, which the smaller lines are at).
 */
export function dropOrder(opinion) {
  const order = [];
  const divisive = (opinion.divisive || []).length;
  for (let i = divisive - 1; i >= 0; i -= 1) order.push(`divisive-${i}`);
  order.push("map-note", "sectors-compact", "sectors");
  const groups = opinion.groups || [];
  const most = Math.max(0, ...groups.map((g) => (g.representative || []).length));
  for (let rank = most - 1; rank >= 1; rank -= 1) {
    for (let g = groups.length - 1; g >= 0; g -= 1) {
      if ((groups[g].representative || []).length > rank) order.push(`rep-${groups[g].label}-${rank}`);
    }
  }
  const consensus = (opinion.consensus || []).length;
  for (let i = consensus - 1; i >= 1; i -= 1) order.push(`consensus-${i}`);
  // Five groups on a small screen: the last groups keep their names and sizes only, and
  // at the very last what every group agrees on goes before the first group's statement.
  for (let g = groups.length - 1; g >= 0; g -= 1) {
    if ((groups[g].representative || []).length) order.push(`rep-${groups[g].label}-0`);
  }
  if (consensus) order.push("consensus-0");
  return order;
}
