// The projector. Everything on it is drawn from the live feed (state, results, comments)
// and redrawn as messages arrive; the page never reloads. It has no controls: the
// facilitator drives it from the console.

import { connectLive, drawFigure, fill, h, paragraphs, people, showSessionEnded, showStatus } from "./live.js";
import { loadResults, resultFor, resultTypes } from "./activities/results.js";
import { pageTheme, themeFigure } from "./screen-theme.js";
import { drawOpinionMap, fitOpinion } from "./activities/results/opinion.js";
import { breakdownCaption } from "./activities/results/breakdown.js";
import { chartTables } from "./activities/results/table.js";
import { slideView } from "./screen-slides.js";
import { addNotesBeside, fitNotes, notesFullScreen, notesScreen, setNotes } from "./screen-notes.js";
import {
  chartStyle,
  consensusWall,
  isBreakdownFigure,
  projectorBreakdown,
  wrapWords,
} from "./screen-breakdowns.js";
import {
  highlightMark,
  notePinnedResults,
  pausedBanner,
  pinFromSync,
  screenMode,
  shownState,
  syncPayload,
  timerBadge,
  updateTimer,
} from "./screen-controls.js";

// Any stage may come up at any moment: every type's result module is loaded before the
// page starts (the phone loads only the stage's own, activities/results.js).
await loadResults(resultTypes);

const body = document.body;
const page = {
  code: body.dataset.code,
  key: body.dataset.key || null,
  joinUrl: body.dataset.joinUrl,
  joinAddress: body.dataset.joinAddress,
  qrUrl: body.dataset.qrUrl,
  planTitle: body.dataset.planTitle,
};

const screen = document.getElementById("screen");
const connection = document.getElementById("connection");

// What the server last told us. Results and comments are kept only for the current stage.
const model = { state: null, room: null, results: null, comments: null }; // room: as sent
let refusal = null; // why the server turned this projector away (a revoked link): all it shows

// Kept across redraws: the chart (Plotly redraws in place) and the QR image (no reload).
const chart = h("div", { class: "chart", id: "chart" });
const qrImage =
  screen.querySelector(".join-qr .qr") ||
  h("img", { class: "qr", src: page.qrUrl, alt: `QR code that opens ${page.joinUrl}` });
let drawnFigure = "";
let drawnFor = {}; // {stage, size} the chart was last drawn for: the same, its bars may move
let chartBusy = false;
let chartAgain = false;
let chartRetries = 0;

const WALL_LIMIT = 8; // the most agreed comments; fewer when they do not fit
// The server's figure is made for laptops; on the projector its type is sized in rem (up
// to 42px on a 1920x1080 screen), so it keeps its proportion to the page on any projector,
// and never under the screen's smallest type (screen.css --screen-min-type).
const CHART_FONT_MAX_REM = 1.75;
// Bars grow into place when results arrive or change, unless the browser asks for less
// motion (then every change is drawn at once).
const TRANSITION_MS = 600;
const stillness = window.matchMedia("(prefers-reduced-motion: reduce)");

// The view ------------------------------------------------------------------------------

function current(message) {
  const state = model.state;
  return message && state && message.stage === state.stage.key ? message : null;
}

function viewOf(state) {
  if (!state) return "join";
  if (state.status === "ended" || state.status === "archived") return "ended";
  // The facilitator's screen mode (screen-controls.js): auto picks from the stage.
  const mode = screenMode(state);
  if (mode === "black") return "black"; // the facilitator blacked the projector out (B)
  if (mode === "join") return "join";
  const stage = state.stage;
  if (mode === "wall" && stage.comments) return "wall";
  // A slides stage's page, full screen (its first page too: the join badge is on it).
  if (state.slide && mode !== "results") return "slide";
  const kind = resultFor(stage.type);
  const results = current(model.results);
  const revealed =
    mode !== "question" &&
    stage.answerable &&
    state.revealed &&
    (results?.figure || (kind.withoutFigure && !!results?.results));
  if (state.stage_index === 0 && !revealed && mode === "auto") return "join";
  if (kind.showsScenario) return "scenario-card";
  const own = kind.projectorView(state, results); // the comment wall, statements ranked
  if (own) return own;
  if (stage.answerable) return revealed ? "chart" : "waiting";
  return "card";
}

function refusedView() {
  return h(
    "section",
    { class: "unavailable", role: "alert" },
    h("h1", {}, "This projector is not connected"),
    h("p", {}, refusal),
  );
}

function render() {
  if (refusal !== null) {
    fill(screen, refusedView());
    return;
  }
  const state = model.state;
  const view = viewOf(state);
  showSessionEnded(connection, view === "ended");
  if (state) {
    const showing = view === "join" ? page.planTitle : state.stage.title;
    document.title = `Projector · ${page.code} · ${showing}`;
  }
  if (view === "black") {
    fill(screen, h("div", { class: "blackout", role: "img", "aria-label": "Screen blacked out" }));
    return;
  }
  if (notesFullScreen(state)) {
    fill(screen, topBar(state), notesScreen());
    fitNotes(screen);
    return;
  }
  updateTimer(state);
  if (view === "slide") {
    const slide = slideView(state, { key: page.key, badge: joinBadge(), timer: timerBadge() });
    fill(screen, pausedBanner(state), slide);
    return;
  }
  if (view === "join" || view === "ended") {
    fill(screen, pausedBanner(state), view === "join" ? joinView() : endedView());
    fitAll();
    return;
  }

  const comments = current(model.comments)?.comments || [];
  const wallIsMain = view === "wall";
  const wallBeside =
    !wallIsMain &&
    view !== "ranked" &&
    // On a 4:3 screen a chart needs all the width; the wall mode shows the comments.
    !(view === "chart" && innerWidth < 1.5 * innerHeight) &&
    !["question", "results"].includes(screenMode(state)) && // the question or results only
    state.stage.comments &&
    comments.length > 0;

  let main;
  if (view === "card") main = infoView(state);
  else if (view === "scenario-card") main = scenarioView(state);
  else if (view === "waiting") main = waitingView(state);
  else if (view === "chart" || view === "ranked") {
    // The type's own view of its results (a word cloud, statements, the grid's key), else
    // the chart.
    const message = current(model.results);
    const options = { size: "projector", state, chart, comments };
    main = resultFor(state.stage.type).render(message, options) || chartView();
  }
  else main = null;

  const stageBody = h(
    "div",
    { class: `stage-body view-${view}${wallBeside ? " with-wall" : ""}` },
    wallIsMain ? wallView(comments, { main: true }) : h("div", { class: "stage-main" }, main),
    wallBeside ? wallView(comments, { main: false }) : null,
  );
  addNotesBeside(stageBody);
  fill(
    screen,
    pausedBanner(state),
    topBar(state),
    h(
      "header",
      { class: "stage-head" },
      h("h1", { class: "stage-title" }, state.stage.title),
      h(
        "p",
        { class: `stage-prompt${state.stage.prompt.length > 110 ? " long" : ""}` },
        state.stage.prompt,
      ),
    ),
    stageBody,
  );
  // Now that the page has its size: fit what must fit, then draw the chart into its room.
  fitNotes(screen); // first: the wall below the notes gets the room they leave
  fitOpinion(screen); // fewer opinion groups' statements before smaller type
  fitAll();
  if (view === "chart") drawChart();
  if (view === "ranked") drawOpinionMap(screen, { rem: remPx(), style: chartStyle(), dark: pageTheme().dark });
}

function topBar(state) {
  return h(
    "div",
    { class: "topbar" },
    // The plan title wraps under the stage number rather than being cut to "Data for …".
    h(
      "p",
      { class: "stage-step" },
      h("span", { class: "stage-number" }, `Stage ${state.stage_index + 1} of ${state.stage_count}`),
      " · ",
      h("span", { class: "stage-plan" }, state.plan_title),
    ),
    timerBadge(),
    joinBadge(),
  );
}

function joinBadge() {
  return h(
    "p",
    { class: "join-badge" },
    "Join at ",
    h("strong", {}, page.joinAddress),
    " with code ",
    h("strong", { class: "badge-code" }, page.code),
  );
}

function joinView() {
  const results = model.results;
  const joined = results ? results.participants : null;
  return h(
    "section",
    { class: "join-view", "aria-labelledby": "join-heading" },
    h("p", { class: "plan-title" }, model.state?.plan_title || page.planTitle),
    h(
      "div",
      { class: "join-grid" },
      h(
        "div",
        { class: "join-text" },
        h("h1", { class: "join-step", id: "join-heading" }, "Join on your phone at"),
        h("p", { class: "join-address fit-width" }, page.joinAddress),
        h("p", { class: "join-step" }, "with the code"),
        h(
          "p",
          // Read out letter by letter, as the room would say it.
          { class: "join-code fit-width", "aria-label": `Code ${page.code.split("").join(" ")}` },
          page.code,
        ),
        h(
          "p",
          { class: "joined" },
          h("span", { class: "joined-count" }, joined === null ? "\u00a0" : joinedWords(joined)),
        ),
      ),
      h(
        "figure",
        { class: "join-qr" },
        qrImage,
        h(
          "figcaption",
          {},
          "or scan this to open",
          h("br"),
          h("span", { class: "join-url" }, page.joinUrl),
        ),
      ),
    ),
  );
}

function joinedWords(count) {
  if (count === 0) return "Nobody has joined yet";
  return `${count} joined`;
}

function endedView() {
  return h(
    "section",
    { class: "ended" },
    h("h1", {}, "Thank you — this workshop has ended."),
    h("p", {}, model.state?.plan_title || page.planTitle),
  );
}

function infoView(state) {
  return h("div", { class: "card-body fit" }, paragraphs(state.stage.body));
}

function scenarioView(state) {
  const scenario = state.scenario;
  if (!scenario) {
    const waiting = "The facilitator will choose the scenario in a moment.";
    return h("div", { class: "card-body" }, h("p", {}, waiting));
  }
  const facts = [
    ["Data", scenario.data],
    ["Shared", scenario.sharing],
    ["Anonymisation", scenario.anonymisation],
  ].filter(([, value]) => value);
  return h(
    "article",
    { class: "scenario fit" },
    h("h2", { class: "scenario-title" }, scenario.title),
    h("div", { class: "scenario-summary" }, paragraphs(scenario.summary)),
    facts.length
      ? h(
          "dl",
          { class: "facts" },
          facts.map(([label, value]) =>
            h("div", { class: "fact" }, h("dt", {}, label), h("dd", {}, value)),
          ),
        )
      : null,
    state.stage.body ? h("div", { class: "scenario-note" }, paragraphs(state.stage.body)) : null,
  );
}

function waitingView(state) {
  const results = current(model.results);
  const answered = results ? results.answered : 0;
  const participants = results ? results.participants : 0;
  const share = participants ? Math.min(100, Math.round((100 * answered) / participants)) : 0;
  const progress = h("div", { class: "progress", "aria-hidden": "true" }, h("span"));
  progress.firstChild.style.width = `${share}%`;
  const note = state.input_open
    ? h("span", { class: "input-state" }, "Answer on your phone now")
    : h(
        "span",
        { class: "input-state closed" },
        // Answers in, or the countdown ran out: input has been open, so it is closed now.
        answered || (state.timer && state.timer.remaining_ms === 0)
          ? "Answering is closed"
          : "Answering opens soon",
      );
  return h(
    "div",
    { class: "waiting" },
    h(
      "div",
      { class: "count-panel", role: "status" },
      h(
        "p",
        { class: "count" },
        h(
          "span",
          { class: "count-figures" },
          h("span", { class: "count-number" }, String(answered)),
          ` of ${participants}`,
        ),
        ` ${answered === 1 ? "has" : "have"} answered`,
      ),
      progress,
      h(
        "p",
        { class: "count-note" },
        note,
        h(
          "span",
          { class: "secondary-note" },
          "Results will appear when the facilitator reveals them.",
        ),
      ),
    ),
    itemsView(state.stage),
  );
}

function itemsView(stage) {
  const items = stage.items || [];
  if (!items.length) return null;
  const kind = resultFor(stage.type);
  const heading = kind.questionHeading(stage);
  const single = items.length === 1;
  return h(
    "div",
    { class: "items fit" },
    heading ? h("p", { class: "items-heading" }, heading) : null,
    h(
      single ? "div" : "ol",
      {},
      items.map((item) =>
        h(
          single ? "p" : "li",
          {},
          h("span", { class: "item-label" }, item.label),
          // One item leaves room for its longer explanation.
          single && item.description
            ? h("span", { class: "item-description" }, item.description)
            : null,
        ),
      ),
    ),
    kind.questionKey(stage), // what the scale or the lights mean
  );
}

function chartView() {
  const results = current(model.results);
  const grouped = results.groups && isBreakdownFigure(results.figure); // by sector or table
  return [
    h(
      "div",
      { class: "chart-area" },
      h(
        "p",
        { class: "results-caption" },
        grouped ? breakdownCaption(results) : `Results from ${people(results.answered)}`,
      ),
      chart,
    ),
    chartTables(results, { grouped }),
  ];
}

function drawChart() {
  const figure = current(model.results)?.figure;
  if (!figure) return;
  const width = Math.max(200, chart.clientWidth);
  const height = Math.max(200, chart.clientHeight);
  const stage = model.state.stage;
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 24;
  const style = chartStyle();
  const grouped = projectorBreakdown(figure, { width, height, rem, stage, style }); // by sector, table
  if (grouped) {
    paintChart(grouped.data, grouped.layout, width, height);
    return;
  }
  const kind = resultFor(stage.type);
  const special = kind.fitFigure(figure, {
    size: "projector",
    width,
    height,
    rem,
    minType: style.minType,
    ink: style.ink,
  }); // the grid
  if (special) {
    paintChart(special.data, special.layout, width, height);
    return;
  }

  // Labels are wrapped on the server for a laptop. Here they get two fifths of the width
  // (more when long), and the type is the largest, from 1.75rem down to the
  // screen's smallest, at which every row's label fits its row (Plotly's lines are 1.3em).
  const labels = [];
  for (const trace of figure.data) {
    for (const label of trace.y || []) if (!labels.includes(label)) labels.push(label);
  }
  const rows = Math.max(1, labels.length);
  const legendNames = figure.layout.showlegend
    ? figure.data.map((trace) => String(kind.legendName(stage, trace.name) ?? ""))
    : [];
  const layoutAt = (px, share) => {
    const chars = Math.max(12, Math.floor((width * share) / (px * 0.58 * style.spread)));
    const wrapped = new Map(
      labels.map((label) => [label, wrapWords(String(label).replace(/<br>/g, " "), chars)]),
    );
    const lines = Math.max(1, ...Array.from(wrapped.values(), (l) => l.split("<br>").length));
    // The legend's entries (a swatch and its words each) in as many rows as they need.
    // Entries as wide as their words (entrywidth 0), packed into rows over the bars.
    const legendWidth = width * (1 - share) * 0.95;
    let legendRows = legendNames.length ? 1 : 0;
    let rowUsed = 0;
    for (const name of legendNames) {
      const entry = name.length * 0.62 * style.spread * px + 3 * px;
      if (rowUsed && rowUsed + entry > legendWidth) {
        legendRows += 1;
        rowUsed = 0;
      }
      rowUsed += entry;
    }
    const top = legendRows ? legendRows * 1.5 * px + 0.6 * rem : rem;
    const rowRoom = (height - top - 1.8 * px - 2 * rem) / rows; // less the ticks, margins
    return { wrapped, top, share, fits: px * (lines * 1.3 + 0.5) <= rowRoom };
  };
  // The bars keep three fifths of the width while any size of type fits; the labels take
  // more (up to 70%) only when even the smallest does not.
  const smallest = style.minType;
  const largest = Math.max(smallest, Math.round(CHART_FONT_MAX_REM * rem));
  let size = smallest;
  let labelling = null;
  for (const share of [0.4, 0.5, 0.6, 0.7]) {
    for (size = largest; size >= smallest && !labelling; size -= 1) {
      const tried = layoutAt(size, share);
      if (tried.fits) labelling = tried;
    }
    if (labelling) {
      size += 1; // the loop stepped past the size that fitted
      break;
    }
  }
  if (!labelling) {
    size = smallest;
    labelling = layoutAt(size, 0.7);
  }
  const relabel = labelling.wrapped;

  const data = figure.data.map((trace) => ({
    ...trace,
    name: kind.legendName(stage, trace.name), // a rating's scale ends in words
    y: (trace.y || []).map((label) => relabel.get(label)),
    textfont: { ...(trace.textfont || {}), size },
    textangle: 0, // never turned on its side: read from across the room
    cliponaxis: false, // a number after the longest bar goes into the margin kept for it
    // The server picks white or ink for each bar colour (charts.py text_on): WCAG 1.4.3.
    insidetextfont: { color: "#fff", ...(trace.insidetextfont || {}), size },
    outsidetextfont: { size, color: style.ink },
  }));
  // A number that does not fit in its bar is written after it: room for the longest.
  // Texts kept inside their bars (a traffic light's "Met: 4") need none.
  const longestText = Math.max(
    0,
    ...figure.data
      .filter((trace) => trace.textposition !== "inside" && Array.isArray(trace.text))
      .flatMap((trace) => trace.text.map((t) => String(t).length)),
  );
  const right = Math.max(1.5 * rem, longestText * 0.6 * style.spread * size + 0.5 * rem);
  const plotWidth = width * (1 - labelling.share) - right;
  const layout = {
    ...figure.layout,
    font: { ...(figure.layout.font || {}), size, color: style.ink },
    // Read the legend in the order of the bars (met, partly, not met; 1 to 5).
    // Over the bars, in as many rows as it needs (the top margin leaves them room).
    legend: {
      ...(figure.layout.legend || {}),
      font: { size },
      traceorder: "normal",
      orientation: "h",
      entrywidthmode: "pixels",
      entrywidth: 0, // each entry as wide as its words, not all as wide as the widest
      x: 0,
      xanchor: "left",
      y: 1.02,
      yanchor: "bottom",
    },
    // Plotly shrinks a number that does not fit its bar: below the screen's smallest type
    // it is left off instead (the legend and the next bars say it).
    uniformtext: { mode: "hide", minsize: smallest },
    margin: {
      l: 20,
      r: Math.round(right),
      t: Math.round(labelling.top),
      b: Math.round(2 * rem),
    },
    // Counts of people: whole-number ticks, never "0.5". An axis of the server's own
    // range and ticks (a score out of 100) keeps its ticks.
    xaxis: {
      ...(figure.layout.xaxis || {}),
      tick0: 0,
      // Few enough ticks that their numbers never meet across the bars' width.
      dtick: ownTicks(figure.layout.xaxis)
        ? figure.layout.xaxis.dtick
        : countStep(figure, Math.max(2, Math.floor(plotWidth / (size * 2.4)))),
      gridcolor: style.grid,
    },
    width,
    height,
    autosize: false,
  };
  paintChart(data, layout, width, height);
}

function paintChart(data, layout, width, height) {
  const signature = JSON.stringify([data, layout]);
  if (signature === drawnFigure) return;
  // One drawing at a time: a redraw asked for meanwhile runs once this one is done, so
  // a quick burst (a comment, then an agreement) cannot leave the chart at an old size.
  if (chartBusy) {
    chartAgain = true;
    return;
  }
  drawnFigure = signature;
  chartBusy = true;
  // Motion only where the chart stays put: a new stage's (or breakdown's) bars grow from
  // nothing, new results at the same size move the bars; a resize is drawn at once.
  const stage = JSON.stringify([model.state?.stage.key, model.state?.breakdown]);
  const size = JSON.stringify([width, height]);
  const growing = stage !== drawnFor.stage;
  const from = growing ? barsAtNothing(data) : size === drawnFor.size ? sameBars(drawnFor.data, data) : null;
  drawnFor = { stage, size, data };
  const still = { ...layout };
  delete still.transition; // the server's figure never asks for Plotly's own motion
  const paint = (figure) => Promise.resolve(drawFigure(chart, themeFigure(figure)));
  const final = { data, layout: still };
  const drawing =
    from && !stillness.matches && barsIn(data)
      ? barsMoving(from, final, { paint, numbers: !growing })
      : paint(final);
  drawing
    .catch(() => {
      drawnFigure = ""; // try afresh with the next message
    })
    .finally(() => {
      chartBusy = false;
      // The room for the chart changed while it was drawn (the wall appeared): again.
      const resized =
        Math.abs(Math.max(200, chart.clientWidth) - width) > 2 ||
        Math.abs(Math.max(200, chart.clientHeight) - height) > 2;
      chartRetries = resized ? chartRetries + 1 : 0;
      const again = chartAgain || (resized && chartRetries <= 3);
      chartAgain = false;
      if (again && chart.isConnected) drawChart();
    });
}

function barsIn(data) {
  return data.some((trace) => trace.type === "bar");
}

/** `data` with every bar at nothing and without its numbers: where bars grow from. */
function barsAtNothing(data) {
  return data.map((trace) =>
    trace.type === "bar" ? { ...trace, x: (trace.x || []).map(() => 0), text: [] } : trace,
  );
}

/** The bars drawn before, if they are the same bars as `data`'s (else null: no motion). */
function sameBars(before, data) {
  if (!before || before.length !== data.length) return null;
  const same = before.every(
    (trace, index) =>
      trace.type === data[index].type &&
      JSON.stringify(trace.y) === JSON.stringify(data[index].y) &&
      (trace.x || []).length === (data[index].x || []).length,
  );
  return same ? before : null;
}

/**
 * Draw the bars' lengths moving from `from` to `final`'s, eased over TRANSITION_MS, then
 * `final` itself. Each frame is a Plotly.react of the in-between lengths on axes held at
 * their final range (Plotly's own transitions move bars and axes out of step, and
 * stretch the numbers). `numbers`: show the final numbers on the moving bars (new
 * answers), or only once they are in place (bars growing from nothing).
 */
async function barsMoving(from, final, { paint, numbers }) {
  const layout = { ...final.layout, ...heldRanges(final.data, final.layout) };
  const between = (eased) =>
    final.data.map((trace, index) => {
      if (trace.type !== "bar") return trace;
      const start = from[index].x || [];
      const x = (trace.x || []).map((value, i) => {
        const a = Number(start[i]) || 0;
        return a + ((Number(value) || 0) - a) * eased;
      });
      return { ...trace, x, ...(numbers ? {} : { text: [] }) };
    });
  chart.dataset.moving = "true"; // for the tests: motion is under way
  try {
    const begun = performance.now();
    for (let t = 0; t < 1; t = Math.min(1, (performance.now() - begun) / TRANSITION_MS)) {
      const eased = t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2; // ease in and out
      await paint({ data: between(eased), layout });
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    await paint(final);
  } finally {
    delete chart.dataset.moving; // only once the final drawing is in place
  }
}

/** Every bar axis without a range of its own held at the range its longest bar gives. */
function heldRanges(data, layout) {
  const tops = new Map(); // x axis -> each row's bar (or stack) length
  const stacked = layout.barmode === "stack";
  for (const trace of data.filter((t) => t.type === "bar")) {
    const axis = trace.xaxis || "x";
    const totals = tops.get(axis) || [];
    (trace.x || []).forEach((value, index) => {
      const number = Math.max(0, Number(value) || 0);
      totals[index] = stacked ? (totals[index] || 0) + number : Math.max(totals[index] || 0, number);
    });
    tops.set(axis, totals);
  }
  const axes = {};
  for (const [axis, totals] of tops) {
    const name = axis === "x" ? "xaxis" : `xaxis${axis.slice(1)}`;
    const own = layout[name] || {};
    const top = Math.max(1, ...totals.filter(Number.isFinite));
    if (!Array.isArray(own.range)) axes[name] = { ...own, range: [0, top * 1.05], autorange: false };
  }
  return axes;
}

/** Whether the server fixed an axis's range and its ticks' step (a score's 0 to 100). */
function ownTicks(axis) {
  return !!axis && Array.isArray(axis.range) && typeof axis.dtick === "number";
}

function countStep(figure, most = 6) {
  const stacked = figure.layout?.barmode === "stack";
  const totals = [];
  for (const trace of figure.data) {
    (trace.x || []).forEach((value, index) => {
      const number = Number(value) || 0;
      const before = totals[index] || 0;
      totals[index] = stacked ? before + number : Math.max(before, number);
    });
  }
  const largest = Math.max(1, ...totals.filter(Number.isFinite));
  const rough = largest / most;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  const step = [1, 2, 5, 10].map((f) => f * magnitude).find((candidate) => candidate >= rough);
  return Math.max(1, step);
}

function wallView(comments, { main }) {
  if (model.state?.breakdown === "sector") {
    return consensusWall(comments, { main, limit: WALL_LIMIT }, commentCard);
  }
  const shown = comments.slice(0, WALL_LIMIT);
  const list = h("ol", { class: "wall-list" }, shown.map(commentCard));
  const heading = h("h2", { class: "wall-heading" }, wallHeading(comments.length, comments.length));
  return h(
    "section",
    { class: `wall${main ? " wall-main" : ""}`, "aria-label": "Comments, most agreed first" },
    heading,
    comments.length ? list : h("p", { class: "wall-empty" }, wallWords().empty),
  );
}

// What the wall holds: comments, or (say) statements voted on until their ranking shows.
function wallWords() {
  return resultFor(model.state?.stage.type).wall;
}

function wallHeading(shown, total) {
  const { one, many } = wallWords();
  if (!total) return many[0].toUpperCase() + many.slice(1);
  if (shown === total) return total === 1 ? `1 ${one}` : `${total} ${many}, most agreed first`;
  return `The ${shown} most agreed of ${total} ${many}`;
}

function commentCard(comment) {
  return h(
    "li",
    { class: comment.highlighted ? "comment highlighted" : "comment" },
    highlightMark(comment),
    h("p", { class: "comment-text" }, comment.text),
    h(
      "p",
      { class: "comment-meta" },
      comment.author ? h("span", { class: "comment-author" }, `— ${comment.author}`) : null,
      h(
        "span",
        { class: "votes" },
        h(
          "span",
          { class: `vote agree${comment.agree ? "" : " none"}` },
          thumb("up"),
          `${comment.agree} agree`,
        ),
        h(
          "span",
          { class: `vote disagree${comment.disagree ? "" : " none"}` },
          thumb("down"),
          `${comment.disagree} disagree`,
        ),
      ),
    ),
  );
}

// A thumb drawn as SVG: projector laptops do not all have an emoji font.
const THUMB =
  "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 " +
  "7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23" +
  ".14-.47.14-.73v-2z";

function thumb(direction) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", THUMB);
  if (direction === "down") path.setAttribute("transform", "rotate(180 12 12)");
  svg.append(path);
  return svg;
}

// Fitting: nothing on a projector may scroll ------------------------------------------------

function overflows(element, { heightToo = true } = {}) {
  const wide = element.scrollWidth > element.clientWidth + 1;
  return wide || (heightToo && element.scrollHeight > element.clientHeight + 1);
}

function remPx() {
  return parseFloat(getComputedStyle(document.documentElement).fontSize);
}

/** The smallest font size (px) of the text in `element`, as it is now. */
function smallestFont(element) {
  let smallest = Infinity;
  for (const node of [element, ...element.querySelectorAll("*")]) {
    const hasText = Array.from(node.childNodes).some((c) => c.nodeType === 3 && c.data.trim());
    if (hasText) smallest = Math.min(smallest, parseFloat(getComputedStyle(node).fontSize));
  }
  return Number.isFinite(smallest) ? smallest : remPx();
}

/** Give `element` (.fit or .fit-width) the largest type it fits at; false if none does. */
function fitType(element, smallest) {
  // One line (the join code): only its width counts; tall glyphs may overhang.
  const heightToo = !element.classList.contains("fit-width");
  const fits = (scale) => {
    element.style.setProperty("--fit", scale.toFixed(3));
    return !overflows(element, { heightToo });
  };
  if (fits(1)) return true;
  // The largest size that fits, to within 1%, and never below half size nor below the
  // screen's smallest type (28px on a 1920x1080 screen, read from 10 m): past that it is
  // cut, not shrunk.
  const floor = Math.ceil((1000 * smallest) / smallestFont(element)) / 1000; // --fit has 3 decimals
  let [small, large] = [Math.min(1, Math.max(0.5, floor)), 1];
  while (large - small > 0.01) {
    const middle = (small + large) / 2;
    if (fits(middle)) small = middle;
    else large = middle;
  }
  return fits(small);
}

function fitAll() {
  const smallest = chartStyle().minType;
  for (const element of screen.querySelectorAll(".fit, .fit-width")) {
    // A list that can show fewer items (the statements' ranking, whose caption then says
    // how many) does, rather than have its last one cut at the screen's edge.
    while (!fitType(element, smallest) && element.showFewer?.()) {
      // one item fewer: fit its type afresh
    }
  }
  for (const wall of screen.querySelectorAll(".wall")) {
    const list = wall.querySelector(".wall-list");
    if (!list) continue;
    const total = current(model.comments)?.comments.length || 0;
    const shown = stackCards(list, wall.classList.contains("wall-main") ? 2 : 1);
    const heading = wall.querySelector(".wall-heading"); // the consensus wall has its own
    if (heading) heading.textContent = wallHeading(shown, total);
  }
}

/**
 * Lay the comment cards out in `columns` columns, each into the shorter column (so the
 * most agreed read across the top), in the order the server ranked them. The first card
 * that fits nowhere ends the wall: a less agreed comment never shows in place of a more
 * agreed one. Returns how many are shown (at least one, even if it has to be cut).
 */
function stackCards(list, columns) {
  const gap = parseFloat(getComputedStyle(list).rowGap) || 0;
  const heights = new Array(columns).fill(0);
  const room = list.clientHeight;
  const cards = Array.from(list.children);
  let shown = 0;
  for (const card of cards) {
    const column = heights.indexOf(Math.min(...heights));
    const top = heights[column] + (heights[column] ? gap : 0);
    if (shown > 0 && top + card.offsetHeight > room) break;
    card.style.top = `${top}px`;
    card.style.left = column ? `calc(${(100 * column) / columns}% + ${gap / 2}px)` : "0";
    heights[column] = top + card.offsetHeight;
    shown += 1;
  }
  for (const card of cards.slice(shown)) card.remove();
  return shown;
}

// Live feed --------------------------------------------------------------------------------

let scheduled = false;
function scheduleRender() {
  // Several messages in one burst become one redraw.
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    render();
  });
}

const live = connectLive({
  code: page.code,
  role: "screen",
  key: page.key,
  syncPayload: syncPayload(), // {stage} when pinned to one stage (screen-controls.js)
  on: {
    sync(reply) {
      const pinned = pinFromSync(reply); // a pinned stage's own results and comments
      model.room = reply.state;
      model.state = shownState(reply.state);
      model.results = pinned ? pinned.results : reply.results;
      model.comments = pinned ? pinned.comments : reply.comments;
      setNotes(reply.notes, { reset: true });
      scheduleRender();
    },
    state(message) {
      model.room = message;
      model.state = shownState(message);
      scheduleRender();
    },
    results(message) {
      notePinnedResults(message);
      if (model.room) model.state = shownState(model.room);
      model.results = message;
      scheduleRender();
    },
    comments(message) {
      model.comments = message;
      scheduleRender();
    },
    status(value, message) {
      showStatus(connection, value, message);
      if (value === "refused") {
        // Said full screen, to the room: a stale picture with a small badge would go unnoticed.
        refusal = message || "The server refused the connection.";
        connection.hidden = true;
        scheduleRender();
      }
    },
  },
});

live.socket.on("notes", (message) => {
  if (setNotes(message)) scheduleRender();
});

let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    drawnFigure = "";
    render();
  }, 150);
});

// The projector laptop should not dim or sleep mid-workshop, nor show a stray pointer.
let wakeLock = null;
async function stayAwake() {
  if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
  try {
    wakeLock = await navigator.wakeLock.request("screen");
  } catch {
    wakeLock = null; // not allowed here (e.g. plain http): the screen may dim, nothing breaks
  }
}
document.addEventListener("visibilitychange", () => {
  if (!wakeLock || wakeLock.released) stayAwake();
});
stayAwake();

let idleTimer = null;
function wake() {
  body.classList.remove("idle");
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => body.classList.add("idle"), 3000);
}
document.addEventListener("mousemove", wake);
wake();

// Double-click anywhere for full screen (F11 works too); there are no buttons to press.
document.addEventListener("dblclick", () => {
  if (document.fullscreenElement) document.exitFullscreen?.();
  else document.documentElement.requestFullscreen?.().catch(() => {});
});
