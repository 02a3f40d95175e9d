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

test("the map: an outline, dots of each group's colour and shape, and 'A · 5' at its centre", () => {
  const figure = mapFigure(opinion, { width: 500, height: 400, font: 28 });
  const outlines = figure.data.filter((t) => t.fill === "toself");
  const dots = figure.data.filter((t) => t.mode === "markers");
  assert.equal(outlines.length, 2);
  assert.deepEqual(dots.map((t) => t.x.length), [5, 4]);
  assert.equal(dots[0].marker.color, groupColour("A"));
  assert.notEqual(dots[0].marker.symbol, dots[1].marker.symbol); // not colour alone
  assert.deepEqual(figure.layout.annotations.map((a) => a.text), ["<b>A · 5</b>", "<b>B · 4</b>"]);
  const a = figure.layout.annotations[0];
  assert.ok(Math.abs(a.x - 0.14) < 1e-9 && Math.abs(a.y - 0.14) < 1e-9);
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
  assert.equal(crossCell(null, 3), "fewer than 3");
  assert.equal(crossCell(0, 3), "0");
  assert.equal(heldKey(3), "– fewer than 3 people");
});

test("what the projector leaves off first: splits, then extra statements, never a group", () => {
  assert.deepEqual(dropOrder(opinion), [
    "divisive-0",
    "map-note",
    "sectors-compact",
    "sectors",
    "rep-A-1",
    "consensus-1",
    "rep-B-0",
    "rep-A-0",
    "consensus-0",
  ]);
  const three = { groups: ["A", "B", "C"].map((label) => ({ label, representative: [{}, {}, {}] })) };
  const order = dropOrder(three);
  assert.deepEqual(order.slice(3, 9), ["rep-C-2", "rep-B-2", "rep-A-2", "rep-C-1", "rep-B-1", "rep-A-1"]);
  assert.deepEqual(columnsFor(1920, 1080), [["map", "sectors"], ["groups"], ["consensus", "divisive"]]);
  assert.equal(columnsFor(1024, 768).length, 2);
  assert.equal(columnsFor(1366, 768).length, 3);
});
