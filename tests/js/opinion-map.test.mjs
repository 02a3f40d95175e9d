// The opinion groups' map and words (static/js/opinion-map.js): the outlines round each
// group, the labels kept apart and inside the map, equal aspect, the colours' contrast on
// both pages, what the projector leaves off first, and the sentences shown before groups form.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  GROUP_COLOURS,
  columnsFor,
  convexHull,
  coloursContrast,
  crossCell,
  dropOrder,
  equalRanges,
  groupColour,
  groupOutline,
  groupShares,
  groupsSentence,
  heldKey,
  layoutFor,
  mapFigure,
  opinionOn,
  placeLabels,
  representativeWords,
  statusSentence,
} from "../../static/js/opinion-map.js";
import { PAPER, contrast } from "../../static/js/theme-colours.js";

const insideHull = (hull, [x, y]) => {
  // Anticlockwise: every point is on the left of (or on) every edge.
  for (let i = 0; i < hull.length; i += 1) {
    const [a, b] = [hull[i], hull[(i + 1) % hull.length]];
    if ((b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) < -1e-9) return false;
  }
  return true;
};

test("the hull is the outer points, anticlockwise, without inner or collinear ones", () => {
  const square = [[0, 0], [2, 0], [2, 2], [0, 2], [1, 1], [1, 0], [0, 0]];
  assert.deepEqual(convexHull(square), [[0, 0], [2, 0], [2, 2], [0, 2]]);
  assert.deepEqual(convexHull([[1, 1], [1, 1]]), [[1, 1]]);
  assert.deepEqual(convexHull([[0, 0], [3, 3]]), [[0, 0], [3, 3]]);
  assert.deepEqual(convexHull([[0, 0], [1, 1], [2, 2]]), [[0, 0], [2, 2]]);
});

test("a group's outline holds every one of its dots with room to spare, even one person", () => {
  const points = [[0, 0], [1, 0.2], [0.5, 1], [0.4, 0.4], [0.9, 0.8]];
  const outline = groupOutline(points, 0.1);
  assert.deepEqual(outline[0], outline[outline.length - 1]); // closed, for Plotly's fill
  const hull = outline.slice(0, -1);
  for (const [x, y] of points) {
    for (const [dx, dy] of [[0.08, 0], [-0.08, 0], [0, 0.08], [0, -0.08]]) {
      assert.ok(insideHull(hull, [x + dx, y + dy]), `${x + dx},${y + dy} is outside`);
    }
  }
  const one = groupOutline([[3, 3]], 0.5).slice(0, -1);
  assert.ok(one.length >= 8);
  assert.ok(insideHull(one, [3.4, 3]) && !insideHull(one, [3.6, 3]));
});

test("the map's ranges give one unit the same length across as up, every point inside", () => {
  const points = [[-2, 0], [4, 1], [0, -1]];
  const { x, y, scale } = equalRanges(points, 600, 300);
  assert.ok(Math.abs((x[1] - x[0]) * scale - 600) < 1e-6);
  assert.ok(Math.abs((y[1] - y[0]) * scale - 300) < 1e-6);
  for (const [px, py] of points) assert.ok(px > x[0] && px < x[1] && py > y[0] && py < y[1]);
  // A tall, narrow map: the width bounds the scale, the height is widened round the middle.
  const tall = equalRanges(points, 200, 800);
  assert.ok(Math.abs((tall.x[1] - tall.x[0]) * tall.scale - 200) < 1e-6);
  assert.ok(Math.abs((tall.y[1] - tall.y[0]) * tall.scale - 800) < 1e-6);
  assert.ok(tall.scale < scale);
  assert.ok(Math.abs((tall.y[0] + tall.y[1]) / 2) < 1e-9);
});

test("labels that would overlap are moved apart, and all stay inside the map", () => {
  const labels = [
    { label: "A", x: 100, y: 100, width: 80, height: 30 },
    { label: "B", x: 110, y: 105, width: 80, height: 30 },
    { label: "C", x: 500, y: 5, width: 80, height: 30 },
  ];
  const placed = placeLabels(labels, { width: 540, height: 300 });
  const [a, b, c] = placed;
  const overlap = (p, q) =>
    Math.abs(p.x - q.x) < (p.width + q.width) / 2 && Math.abs(p.y - q.y) < (p.height + q.height) / 2;
  assert.ok(!overlap(a, b));
  assert.ok(b.y > a.y, "the one higher up goes up");
  assert.equal(c.x, 500); // alone: moved only to be inside
  assert.equal(c.y, 15);
  for (const l of placed) {
    assert.ok(l.x - l.width / 2 >= 0 && l.x + l.width / 2 <= 540);
    assert.ok(l.y - l.height / 2 >= 0 && l.y + l.height / 2 <= 300);
  }
  assert.equal(labels[0].y, 100, "the labels given are not changed");
});

const opinion = {
  status: "formed",
  min_votes: 3,
  min_people: 7,
  voters: 20,
  placed: 9,
  groups: [
    { label: "A", size: 5, representative: [{ id: 1, text: "x", direction: "agree", share: 0.87, rest_share: 0.2 }, { id: 2, text: "y", direction: "disagree", share: 0.8, rest_share: 0.15 }] },
    { label: "B", size: 4, representative: [{ id: 3, text: "z", direction: "agree", share: 0.9, rest_share: 0.1 }] },
  ],
  points: [[0, 0, "A"], [0.2, 0.1, "A"], [0.1, 0.3, "A"], [0.3, 0.2, "A"], [0.1, 0.1, "A"], [2, 2, "B"], [2.2, 2.1, "B"], [2.1, 1.8, "B"], [1.9, 2.2, "B"]],
  consensus: [{ id: 4, text: "c", score: 0.6, shares: { B: 0.8, A: 0.9 } }, { id: 5, text: "d", score: 0.5, shares: { A: 0.7, B: 0.7 } }],
  divisive: [{ id: 6, text: "e", score: 0.7, shares: { A: 0.9, B: 0.1 } }],
  sectors: null,
};

test("the map: an outline, dots of each group's colour and shape, and 'A · 5' beside it", () => {
  const figure = mapFigure(opinion, { width: 500, height: 400, font: 28 });
  const outlines = figure.data.filter((t) => t.fill === "toself");
  const dots = figure.data.filter((t) => t.mode === "markers");
  assert.equal(outlines.length, 2);
  assert.deepEqual(dots.map((t) => t.x.length), [5, 4]);
  assert.equal(dots[0].marker.color, groupColour("A"));
  assert.notEqual(dots[0].marker.symbol, dots[1].marker.symbol); // not colour alone
  assert.deepEqual(figure.layout.annotations.map((a) => a.text), ["<b>A · 5</b>", "<b>B · 4</b>"]);
  // Beside its group, not on it: no label's box (the width and height mapFigure gives
  // it) covers any dot of any group, and every box is inside the plot.
  const { xaxis: xa, yaxis: ya } = figure.layout;
  const perPx = (ya.range[1] - ya.range[0]) / 400;
  const dot = dots[0].marker.size;
  const people = opinion.points.map(([x, y]) => [x, y]);
  for (const label of figure.layout.annotations) {
    const halfW = ((label.text.length - 7) * 28 * 0.62 + 28 * 0.8) * perPx / 2; // "<b></b>"
    const halfH = (28 * 1.5 + 6) * perPx / 2;
    for (const [x, y] of people) {
      const clear = dot * perPx / 2;
      const covered = Math.abs(x - label.x) < halfW + clear && Math.abs(y - label.y) < halfH + clear;
      assert.ok(!covered, `${label.text} covers the dot at ${x}, ${y}`);
    }
    assert.ok(label.x - halfW >= xa.range[0] - 1e-9 && label.x + halfW <= xa.range[1] + 1e-9, label.text);
    assert.ok(label.y - halfH >= ya.range[0] - 1e-9 && label.y + halfH <= ya.range[1] + 1e-9, label.text);
  }
  // A (bottom left) is labelled below and left of its group, B (top right) above and right.
  const [a, b] = figure.layout.annotations;
  assert.ok(a.x < 0.14 && a.y < 0.14 && b.x > 2.05 && b.y > 2.025, JSON.stringify([a, b]));
  assert.equal(figure.layout.xaxis.showticklabels, false);
  assert.equal(figure.layout.yaxis.showgrid, false);
  const { xaxis, yaxis } = figure.layout;
  const across = 500 / (xaxis.range[1] - xaxis.range[0]);
  const up = 400 / (yaxis.range[1] - yaxis.range[0]);
  assert.ok(Math.abs(across - up) < 1e-6, "equal aspect");
  // Before groups form: grey dots, no outline, no label.
  const waiting = mapFigure({ ...opinion, status: "no_split", groups: [], points: opinion.points.map(([x, y]) => [x, y, null]) }, { width: 300, height: 300, font: 20 });
  assert.equal(waiting.data.length, 1);
  assert.equal(waiting.layout.annotations.length, 0);
});

test("every group colour reads on its page: 4.5:1, so its letter does too", () => {
  assert.ok(coloursContrast(PAPER.light));
  assert.ok(coloursContrast(PAPER.dark, { dark: true }));
  assert.equal(new Set(GROUP_COLOURS.light).size, GROUP_COLOURS.light.length);
  // Not the agree and disagree colours beside them (screen.css --ok, --danger).
  assert.ok(!GROUP_COLOURS.light.includes("#1b7a3a") && !GROUP_COLOURS.light.includes("#b3261e"));
  assert.ok(contrast(groupColour("E"), "#ffffff") >= 4.5);
  assert.equal(groupColour("F"), groupColour("A")); // more groups than colours: round again
});

test("the sentences before groups form carry the message's numbers", () => {
  assert.equal(
    statusSentence({ status: "waiting", min_people: 7, min_votes: 3, placed: 4 }),
    "Opinion groups form once 7 people have voted on 3 statements each · 4 so far",
  );
  assert.equal(
    statusSentence({ status: "waiting", min_people: 12, min_votes: 5, placed: 0 }),
    "Opinion groups form once 12 people have voted on 5 statements each · 0 so far",
  );
  assert.equal(statusSentence({ status: "no_split" }), "No clear groups yet: the room votes alike so far");
  assert.equal(statusSentence(opinion), null);
  assert.equal(groupsSentence(opinion), "2 groups formed from 9 people");
  assert.ok(opinionOn(opinion) && !opinionOn({ status: "off" }) && !opinionOn(undefined));
});

test("a group's statement says its direction in words; shares go in label order", () => {
  assert.equal(representativeWords("A", opinion.groups[0].representative[0]), "87% of A agree · 20% of others");
  assert.equal(representativeWords("A", opinion.groups[0].representative[1]), "80% of A disagree · 15% of others");
  assert.deepEqual(groupShares(opinion.consensus[0], ["A", "B"]), [["A", "90%"], ["B", "80%"]]);
  assert.equal(crossCell(null), "hidden");
  assert.equal(crossCell(0), "0");
  // True of both kinds of hidden cell: a small one, and one that would give a small one away.
  assert.equal(heldKey(3), "– hidden: fewer than 3 people, or it would reveal such a cell");
});

test("with head counts, the figures are the room's raw counts, not the smoothed shares", () => {
  const counted = { direction: "disagree", share: 1, rest_share: 0, group_count: 4, group_seen: 4, rest_count: 0, rest_seen: 9, p_group: 0.83, p_rest: 0.09 };
  assert.equal(representativeWords("B", counted), "4 of 4 in B disagree · 0 of 9 others");
  const statement = { shares: { A: 1, B: 0.6 }, counts: { A: { agree: 4, seen: 4 }, B: { agree: 3, seen: 5 } }, p_agree: { A: 0.83, B: 0.57 } };
  assert.deepEqual(groupShares(statement, ["A", "B"]), [["A", "4/4"], ["B", "3/5"]]);
  // Nobody in a group voted on it: its share, not "0/0".
  assert.deepEqual(groupShares({ shares: { A: 0 }, counts: { A: { agree: 0, seen: 0 } } }, ["A"]), [["A", "0%"]]);
});

test("the dots are at least 18 px at 1080p (the labels' 30 px type), smaller in a crowd", () => {
  const dotAt = (points, font) =>
    mapFigure({ ...opinion, points }, { width: 800, height: 600, font }).data.find((t) => t.mode === "markers").marker.size;
  assert.ok(dotAt(opinion.points, 30) >= 18);
  const crowd = Array.from({ length: 240 }, (_, i) => [i % 17, Math.floor(i / 17), "A"]);
  assert.ok(dotAt(crowd, 30) < dotAt(opinion.points, 30));
});

test("what the projector leaves off first: the lists' tails, then second items, never a group", () => {
  assert.deepEqual(dropOrder(opinion), [
    "sectors-compact",
    "map-note",
    "sectors",
    "rep-A-1",
    "consensus-1",
    "divisive-0",
    "rep-B-0",
    "rep-A-0",
    "consensus-0",
  ]);
  const list = (n) => Array.from({ length: n }, () => ({}));
  const five = {
    groups: ["A", "B", "C", "D", "E"].map((label) => ({ label, representative: list(3) })),
    consensus: list(5),
    divisive: list(5),
  };
  const order = dropOrder(five);
  const at = (part) => {
    assert.ok(order.includes(part), part);
    return order.indexOf(part);
  };
  // Every group keeps its top statement until no list has a second item left.
  const tops = ["A", "B", "C", "D", "E"].map((label) => at(`rep-${label}-0`));
  const seconds = [at("consensus-1"), at("divisive-1"), ...["A", "B", "C", "D", "E"].map((l) => at(`rep-${l}-1`))];
  assert.ok(Math.max(...seconds) < Math.min(...tops));
  // What splits the groups keeps its top item while what they agree on keeps two: the
  // walk-through lost "What splits the groups" before any second statement went.
  assert.ok(at("consensus-1") < at("divisive-0"));
  assert.ok(at("divisive-4") < at("consensus-4") && at("consensus-4") < at("divisive-3"));
  assert.ok(at("rep-A-2") < at("divisive-1") && at("divisive-1") < at("sectors") && at("sectors") < at("rep-E-1"));
  assert.deepEqual(order.slice(-8), ["consensus-1", "divisive-0", "rep-E-0", "rep-D-0", "rep-C-0", "rep-B-0", "rep-A-0", "consensus-0"]);
  assert.equal(new Set(order).size, order.length);
  const three = { groups: ["A", "B", "C"].map((label) => ({ label, representative: list(3) })) };
  assert.deepEqual(dropOrder(three).slice(0, 6), ["rep-C-2", "rep-B-2", "rep-A-2", "sectors-compact", "map-note", "sectors"]);
});

test("the layout: the map first and largest; three to five groups in a row of cards", () => {
  assert.deepEqual(columnsFor(1920, 1080, 2), [["map"], ["groups", "sectors"], ["consensus", "divisive"]]);
  assert.deepEqual(columnsFor(1024, 768, 2), [["map", "sectors"], ["groups", "consensus", "divisive"]]);
  assert.equal(columnsFor(1366, 768, 2).length, 3);
  assert.equal(layoutFor(1920, 1080, 2).layout, "columns");
  assert.deepEqual(columnsFor(1920, 1080, 3), [["map"], ["consensus"], ["divisive"], ["groups", "sectors"]]);
  assert.equal(columnsFor(1024, 768, 3).length, 3);
  for (const [width, height] of [[1920, 1080], [1366, 768], [1024, 768]]) {
    for (const k of [3, 4, 5]) {
      const { layout, columns } = layoutFor(width, height, k);
      assert.equal(layout, "rows");
      assert.deepEqual(columns[0], ["map"]);
      assert.equal(columns.at(-1)[0], "groups");
      assert.deepEqual(columns.flat().sort(), ["consensus", "divisive", "groups", "map", "sectors"]);
    }
  }
});
