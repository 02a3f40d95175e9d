// The framework profile: the room's score out of 100 on each of the plan's tests and
// features, with its 95% interval, and the acceptability score (the features' mean). Its
// results are not its own answers but the framework stages' (facilitation/activities/
// profile.py, workshop/profile_stage.py). The projector draws the server's chart beside the
// acceptability score in large type; the console the same chart under that score; the phone
// draws light HTML bars with the person's own scores marked ("You: 75").

import { h, people } from "../../live.js";
import { localStage, t, tn } from "../../phone-text.js";
import { breakdownCaption } from "./breakdown.js";
import { chartTables } from "./table.js";

const round = (value) => Math.round(value);

/** "58–70", or null without an interval. */
function intervalWords(entry) {
  const interval = entry && entry.interval;
  if (!interval || entry.score === null || entry.score === undefined) return null;
  return `${round(interval.low)}–${round(interval.high)}`;
}

const hasScore = (entry) => !!entry && entry.score !== null && entry.score !== undefined;

/**
 * The acceptability score in words for the projector and the console (English pages):
 * "Acceptability 64 / 100", "95% CI 58–70 · n = 23"; "Not enough answers yet" without one.
 */
function acceptabilityBlock(results, { size }) {
  const score = results && results.acceptability;
  const shown = hasScore(score);
  return h(
    "section",
    { class: `acceptability acceptability-${size}`, "aria-label": "Acceptability score" },
    h("h2", { class: "acceptability-label" }, "Acceptability"),
    shown
      ? [
          h(
            "p",
            { class: "acceptability-score" },
            h("strong", {}, String(round(score.score))),
            h("span", { class: "acceptability-out-of" }, " / 100"),
          ),
          intervalWords(score) ? h("p", { class: "acceptability-detail" }, `95% CI ${intervalWords(score)}`) : null,
          h("p", { class: "acceptability-detail" }, `n = ${score.n}`),
        ]
      : h("p", { class: "acceptability-none" }, score && score.withheld ? "Withheld: too few people" : "Not enough answers yet"),
    h("p", { class: "acceptability-note" }, "The mean of the five features' scores"),
  );
}

/** The projector's profile: the chart (drawn into `chart` by screen.js) and the score. */
function projectorProfile(message, chart) {
  const results = message.results;
  return [
    h(
      "div",
      { class: "chart-area profile-area" },
      h(
        "p",
        { class: "results-caption" },
        `Profile from ${people(results.answered || 0)}`,
        h("span", { class: "caption-aside" }, " · whiskers: 95% intervals"),
      ),
      h("div", { class: "profile-layout" }, chart, acceptabilityBlock(results, { size: "projector" })),
    ),
    chartTables(message),
  ];
}

/** A group's score in a cell: the number over a bar of its length, the interval under it. */
function groupCell(entry) {
  if (!entry || entry.withheld) return h("td", { class: "profile-cell withheld" }, "withheld");
  if (!hasScore(entry)) return h("td", { class: "profile-cell none" }, "–");
  const bar = h("span", { class: "cell-bar", "aria-hidden": "true" });
  bar.style.width = `calc((100% - 1em) * ${Math.max(0, Math.min(100, entry.score)) / 100})`;
  const interval = intervalWords(entry);
  return h(
    "td",
    { class: "profile-cell" },
    h("span", { class: "cell-score" }, String(round(entry.score))),
    interval ? h("span", { class: "cell-interval" }, ` ${interval}`) : null,
    bar,
  );
}

/**
 * The projector's profile by sector or table: the tests and features down, the groups
 * across (each with its people), each score in words over a bar of its length and its
 * interval beside it; a score behind too few people "withheld"; the acceptability score
 * last. Words the room reads from the back, where eight rows of panels would not fit.
 */
function projectorGroups(message) {
  const groups = message.groups || [];
  const first = groups.length ? groups[0].results : message.results;
  const rows = [
    ...(first.tests || []).map((entry, index) => ["tests", entry, (r) => r.tests[index]]),
    ...(first.features || []).map((entry, index) => ["features", entry, (r) => r.features[index]]),
  ];
  return [
    h(
      "div",
      { class: "chart-area profile-area" },
      h("p", { class: "results-caption" }, breakdownCaption(message)),
      groups.length
        ? h(
            "div",
            { class: "profile-groups fit" },
            h(
              "table",
              { class: "profile-table" },
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Test or feature")),
                  groups.map((group) =>
                    h(
                      "th",
                      { scope: "col" },
                      group.label,
                      h("span", { class: "group-people" }, ` · ${people(group.answered)}`),
                    ),
                  ),
                ),
              ),
              ["tests", "features"].map((part) =>
                h(
                  "tbody",
                  { class: `profile-${part}` },
                  rows
                    .filter(([rowPart]) => rowPart === part)
                    .map(([, entry, pick]) =>
                      h(
                        "tr",
                        {},
                        h("th", { scope: "row" }, entry.title || entry.stage),
                        groups.map((group) => groupCell(pick(group.results))),
                      ),
                    ),
                ),
              ),
              h(
                "tbody",
                { class: "profile-total" },
                h(
                  "tr",
                  {},
                  h("th", { scope: "row" }, "Acceptability"),
                  groups.map((group) => groupCell(group.results.acceptability)),
                ),
              ),
            ),
          )
        : h("p", { class: "profile-none" }, "No group is big enough to show on its own yet."),
    ),
    chartTables(message, { grouped: true }),
  ];
}

// The phone ------------------------------------------------------------------------------

/** A score on a phone, in its language: "62 / 100", or why there is none. */
function phoneScore(entry) {
  if (entry && entry.withheld) return t("Withheld: too few people");
  if (!hasScore(entry)) return t("No answers yet");
  return t("{score} / 100", { score: round(entry.score) });
}

function phoneRow(entry, own) {
  const title = localStage({ key: entry.stage, title: entry.title }).title || entry.stage;
  const track = h("span", { class: "profile-track", "aria-hidden": "true" });
  if (hasScore(entry)) {
    const fill = h("span", { class: "profile-fill" });
    fill.style.width = `${Math.max(0, Math.min(100, entry.score))}%`;
    track.append(fill);
  }
  const mine = hasScore(own) ? round(own.score) : null;
  if (mine !== null) {
    // A mark with its own shape, not only a colour: a line across the bar, "You" above it.
    const mark = h("span", { class: "profile-you" }, h("span", { class: "profile-you-word" }, t("You")));
    mark.style.left = `${mine}%`;
    // Its word kept inside the bar's ends.
    if (mine > 90) mark.classList.add("at-end");
    else if (mine < 10) mark.classList.add("at-start");
    track.append(mark);
  }
  const interval = intervalWords(entry);
  return h(
    "li",
    { class: "profile-row" },
    h(
      "p",
      { class: "bar-head" },
      h("span", { class: "bar-label" }, title),
      h("span", { class: "bar-count" }, phoneScore(entry)),
    ),
    track,
    h(
      "p",
      { class: "result-summary" },
      h(
        "span",
        { class: "profile-detail" },
        interval ? t("Interval, 95%: {low_high}", { low_high: interval }) : null,
        interval ? " · " : null,
        tn(entry.n || 0, "{n} person", "{n} people"),
      ),
      mine !== null ? h("span", { class: "yours" }, t("You: {score}", { score: mine })) : null,
    ),
  );
}

function phoneSection(heading, entries, own) {
  if (!entries || !entries.length) return null;
  const mine = new Map(((own && own[heading.key]) || []).map((entry) => [entry.stage, entry]));
  return h(
    "section",
    { class: "profile-part" },
    h("h3", {}, heading.words),
    h("ul", { class: "bars profile-bars" }, entries.map((entry) => phoneRow(entry, mine.get(entry.stage)))),
  );
}

function phoneProfile(results, own) {
  const score = results.acceptability;
  const mine = own && own.acceptability;
  const interval = intervalWords(score);
  return h(
    "div",
    { class: "profile-results" },
    h(
      "div",
      { class: "profile-acceptability" },
      h("p", { class: "profile-acceptability-label" }, t("Acceptability")),
      h("p", { class: "profile-acceptability-score" }, phoneScore(score)),
      hasScore(score)
        ? h(
            "p",
            { class: "profile-detail" },
            interval ? t("Interval, 95%: {low_high}", { low_high: interval }) : null,
            interval ? " · " : null,
            tn(score.n || 0, "{n} person", "{n} people"),
          )
        : null,
      hasScore(mine) ? h("p", {}, h("span", { class: "yours" }, t("You: {score}", { score: round(mine.score) }))) : null,
    ),
    h("p", { class: "results-note" }, t("Scores out of 100. The line marked “You” is your own score.")),
    phoneSection({ key: "tests", words: t("Tests") }, results.tests, own),
    phoneSection({ key: "features", words: t("Features") }, results.features, own),
  );
}

export function render(message, { size, chart, ownProfile }) {
  const results = message && message.results;
  if (!results || !results.tests) return null;
  if (size === "phone") return phoneProfile(results, ownProfile);
  if (size === "console") return acceptabilityBlock(results, { size });
  if (size !== "projector") return null;
  if (message.groups) return projectorGroups(message); // by sector or table: in words
  return chart && message.figure ? projectorProfile(message, chart) : null;
}

export const resultsFromFramework = true;

// The console's preview sits under the controls in a pane of its own height: each of the
// eight rows on one line of the laptop's type, the legend and the axis title left to the
// labels ("Test 1: …", "Feature 1: …") and the table.
const CONSOLE_FONT = 13;
const CONSOLE_ROW = 24;

/** The console's figure (the projector lays the server's out as its other bar charts). */
export function fitFigure(figure, { size }) {
  if (size !== "console" || figure?.layout?.meta?.chart !== "profile") return null;
  const oneLine = (label) => String(label).replace(/<br>/g, " ");
  const data = figure.data.map((trace) => ({ ...trace, y: (trace.y || []).map(oneLine) }));
  const rows = new Set(data.flatMap((trace) => trace.y)).size;
  const layout = {
    ...figure.layout,
    font: { ...(figure.layout.font || {}), size: CONSOLE_FONT },
    showlegend: false,
    margin: { l: 10, r: 40, t: 10, b: 10 },
    height: CONSOLE_ROW * rows + 50,
    xaxis: { ...figure.layout.xaxis, title: { text: "" } },
    autosize: true,
  };
  delete layout.width;
  return { data, layout };
}

/** Once revealed, the chart with the acceptability score ("ranked": by sector or table, a
 * table of the groups' scores in words, no chart); before, the stage's card. */
export function projectorView(state, message) {
  if (!state.revealed || !message || !message.results || !message.results.tests) return null;
  if (message.groups) return "ranked";
  return message.figure ? "chart" : null;
}

export const countWord = "in the profile";
export const noChart = "The profile fills in from the answers to the framework's tests and features.";

export function phoneCount(n) {
  return tn(n, "From {n} person's answers.", "From {n} people's answers.");
}
