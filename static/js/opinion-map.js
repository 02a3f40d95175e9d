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

const LABEL_GAP = 4; // px between a group's outline and its label

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
 * labelled "A · 15" just outside its outline, on the side away from the map's middle (in
 * the group's colour on the page's paper). `opinion` is the results message's; before groups form its dots are grey and unlabelled.
 * `font`: the labels' size (px); `paper`, `ink`: the page's colours.
 */
export function mapFigure(opinion, { width, height, font, dark = false, paper = "#ffffff", ink = "#0b0d10" }) {
  const points = (opinion.points || []).filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  // Dots two thirds of the labels' type (20 px at 1080p, seen from the back of the room),
  // smaller in a crowd (a hundred people still read as dots).
  const crowd = Math.sqrt(60 / Math.max(60, points.length));
  const dot = Math.max(8, Math.min(26, Math.round(font * 0.65 * crowd)));
  // A label sits beside its group, on the side away from the map's middle, never on it: a
  // group whose people voted alike is a tight knot of dots that a label at its centre
  // would hide, and one above it could cover the next group. So the map keeps a label's
  // size free round the dots, one unit still as long across as up.
  const labelHeight = font * 1.5 + 6; // the type's line, its padding and border
  const labelWidth = (text) => text.length * font * 0.62 + font * 0.8;
  const widest = labelWidth(`A · ${Math.max(1, ...(opinion.groups || []).map((g) => g.size))}`);
  const clearance = dot * 1.1 + LABEL_GAP;
  const [roomX, roomY] = [widest + clearance, labelHeight + clearance];
  const inner = equalRanges(
    points,
    Math.max(width - 2 * roomX, width * 0.4),
    Math.max(height - 2 * roomY, height * 0.4),
  );
  const widen = ([lo, hi], px) => {
    const middle = (lo + hi) / 2;
    return [middle - px / inner.scale / 2, middle + px / inner.scale / 2];
  };
  const ranges = { x: widen(inner.x, width), y: widen(inner.y, height), scale: inner.scale };
  const toPx = ([x, y]) => [(x - ranges.x[0]) * ranges.scale, (y - ranges.y[0]) * ranges.scale];
  const [mx, my] = toPx(centreOf(points));
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
      const text = `${label} · ${sizes.get(label) ?? members.length}`;
      const [w, h] = [labelWidth(text), labelHeight];
      // Out from the map's middle through the group's centre (straight up for a group at
      // the middle), past the group's farthest dot that way, its outline and half the label.
      const [cx, cy] = toPx(centreOf(members));
      const length = Math.hypot(cx - mx, cy - my);
      const [dx, dy] = length > 1 ? [(cx - mx) / length, (cy - my) / length] : [0, 1];
      const reach = Math.max(...members.map((p) => {
        const [px, py] = toPx(p);
        return (px - cx) * dx + (py - cy) * dy;
      }));
      const away = reach + clearance + Math.abs(dx) * (w / 2) + Math.abs(dy) * (h / 2);
      labels.push({ label, text, colour, x: cx + dx * away, y: cy + dy * away, width: w, height: h });
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

const counted = (n) => Number.isInteger(n) && n >= 0;

/**
 * A representative statement's figures, in heads the room can check: "4 of 4 in B disagree
 * · 0 of 9 others" (view.py's group_count of group_seen, rest_count of rest_seen). Without
 * the counts, its shares: "87% of A agree · 20% of others".
 */
export function representativeWords(label, statement) {
  const verb = statement.direction === "disagree" ? "disagree" : "agree";
  const { group_count: count, group_seen: seen, rest_count: rest, rest_seen: restSeen } = statement;
  if ([count, seen, rest, restSeen].every(counted) && seen > 0) {
    return `${count} of ${seen} in ${label} ${verb} · ${rest} of ${restSeen} others`;
  }
  return `${pct(statement.share)} of ${label} ${verb} · ${pct(statement.rest_share)} of others`;
}

/**
 * How many of each group agree, in label order: [["A", "4/4"], ["B", "3/5"]] from the
 * statement's head counts (`counts`: label -> {agree, seen}), else its shares ("90%").
 */
export function groupShares(statement, labels) {
  const shares = statement.shares || {};
  const counts = statement.counts || {};
  return labels
    .filter((label) => label in shares || label in counts)
    .map((label) => {
      const count = counts[label];
      return [label, count && counted(count.agree) && counted(count.seen) && count.seen > 0 ? `${count.agree}/${count.seen}` : pct(shares[label])];
    });
}

/**
 * A cross-tab cell: the count, or "hidden" where the server holds it back (null): fewer
 * than the minimum group size, or a cell that would let such a one be worked out from the
 * group's size and the other cells (view.py's cross_tab).
 */
export function crossCell(count) {
  return count === null || count === undefined ? "hidden" : String(count);
}

/** A held-back cell written short ("–"), and the key that says what it means (both kinds). */
export const HELD_SHORT = "–";
export function heldKey(minGroupSize) {
  return `${HELD_SHORT} hidden: fewer than ${minGroupSize} people, or it would reveal such a cell`;
}

// Fitting -----------------------------------------------------------------------------------

/**
 * How the projector lays the groups out, as a list of columns (each a list of parts). The
 * map takes the first column, the largest thing on the screen (screen.css: about 40 % of
 * a wide screen's width, and all the height the groups' cards leave).
 * - Two groups: on a wide screen, the map; the groups with the sectors under them; what
 *   they agree on and what splits them. On a 4:3 one, the map with the sectors under it;
 *   the groups, then what they agree on and what splits them.
 * - Three to five groups (`layout` "rows"): a row of the groups' cards across the bottom
 *   (the last column), so each group keeps room for its top statement (a column of three
 *   cards had room for two), and above it the map beside what they agree on and what
 *   splits them (side by side on a wide screen), the sectors after them (or, three groups
 *   on a wide screen, at the end of the cards' row).
 * Returns {layout: "columns" | "rows", columns}.
 */
export function layoutFor(width, height, groups = 3) {
  const wide = width >= 1.5 * height;
  if (groups >= 3) {
    let columns = [["map"], ["consensus", "divisive", "sectors"], ["groups"]];
    // Three groups' cards leave room in their row for the sectors' table at their end.
    if (wide && groups === 3) columns = [["map"], ["consensus"], ["divisive"], ["groups", "sectors"]];
    else if (wide) columns = [["map"], ["consensus"], ["divisive", "sectors"], ["groups"]];
    return { layout: "rows", columns };
  }
  return {
    layout: "columns",
    columns: wide
      ? [["map"], ["groups", "sectors"], ["consensus", "divisive"]]
      : [["map", "sectors"], ["groups", "consensus", "divisive"]],
  };
}

/** layoutFor's columns alone. */
export function columnsFor(width, height, groups = 3) {
  return layoutFor(width, height, groups).columns;
}

/**
 * What the projector leaves off, first to last, while a column does not fit at its type
 * size: fewer items rather than smaller type, the least telling first, so that every list
 * keeps its top item as long as it can:
 * 1. the lists' tails: each list's items past its first (past its second for what every
 *    group agrees on), the lowest ranks first, the splits before the agreements and before
 *    the groups' (the last group's first);
 * 2. the sectors' "hidden" written short (with the key), the line under the map, the
 *    splits' second item, then the sectors' table (whether the groups cut across sectors
 *    says more than a second split);
 * 3. the groups' second statements (the last group's first), then the agreements' second;
 * 4. the top items: what splits the groups, then the groups' (the last group's first), and
 *    at the very last what every group agrees on.
 * So every group keeps its top statement before any list keeps a second, and what splits
 * the groups keeps its top one while what they agree on keeps two. The groups' names and
 * sizes stay; what still does not fit is cut (the `fit` class shrinks type only down to
 * the screen's smallest, which the smaller lines are at).
 */
export function dropOrder(opinion) {
  const groups = opinion.groups || [];
  const divisive = (opinion.divisive || []).length;
  const consensus = (opinion.consensus || []).length;
  const reps = groups.map((g) => (g.representative || []).length);
  const order = [];
  const groupsAt = (rank) => {
    for (let g = groups.length - 1; g >= 0; g -= 1) {
      if (reps[g] > rank) order.push(`rep-${groups[g].label}-${rank}`);
    }
  };
  const longest = Math.max(divisive, consensus, ...reps, 0);
  for (let rank = longest - 1; rank >= 2; rank -= 1) {
    if (rank < divisive) order.push(`divisive-${rank}`);
    if (rank < consensus) order.push(`consensus-${rank}`);
    groupsAt(rank);
  }
  order.push("sectors-compact", "map-note");
  if (divisive > 1) order.push("divisive-1");
  order.push("sectors");
  groupsAt(1);
  if (consensus > 1) order.push("consensus-1");
  if (divisive) order.push("divisive-0");
  groupsAt(0);
  if (consensus) order.push("consensus-0");
  return order;
}
