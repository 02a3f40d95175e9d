// Word cloud: the words the room used, each sized by how many used it, the most used in
// the middle. The same cloud at every size (it has no Plotly figure); by sector or by
// table, a smaller cloud per group side by side. Every word is set as text.

import { h, people } from "../../live.js";
import { t } from "../../phone-text.js";
import { breakdownCaption } from "./breakdown.js";
import { chartTables } from "./table.js";

// Dark enough for white paper at any size (WCAG AA for normal text).
const WORD_COLOURS = ["#1d5e9e", "#1b7a3a", "#7a3d00", "#5b3a8e", "#00606a", "#a0251c"];

// The room's cloud: how many words, and their sizes in em (each page sets the scale by its
// font-size).
const CLOUD = {
  projector: { smallest: 1, largest: 4.5 },
  console: { smallest: 1, largest: 3 },
  phone: { limit: 30, smallest: 1, largest: 2.4 },
};

// A cloud per group: smaller, and on the projector smaller still as the groups grow.
const GROUP_CLOUDS = {
  projector: (count) => ({ limit: count > 4 ? 12 : 20, smallest: 1, largest: count > 2 ? 2.4 : 3, fit: true }),
  console: () => ({ limit: 15, smallest: 0.9, largest: 2 }),
};

/** The words of a text as the server counts them: lower case, without punctuation. */
function wordsOf(text) {
  const matches = String(text || "")
    .toLowerCase()
    .replace(/’/g, "'")
    .match(/[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu);
  return matches || [];
}

/**
 * A word cloud: the words in a centred, wrapping row, sized by how many used them, the
 * most used in the middle. `mine` (optional) is a list of words to mark as the person's.
 * Sizes are in em from `smallest` to `largest`.
 */
function wordCloud(words, { limit = 60, mine = [], smallest = 1, largest = 4 } = {}) {
  const shown = (words || []).slice(0, limit);
  if (!shown.length) return h("p", { class: "cloud-empty" }, t("No words yet."));
  const counts = shown.map((w) => w.count);
  const most = Math.max(...counts);
  const least = Math.min(...counts);
  const size = (count) =>
    most === least
      ? (smallest + largest) / 2
      : smallest + (largest - smallest) * Math.sqrt((count - least) / (most - least));
  // Read in rank order; shown with the most used in the middle and the rest alternately
  // either side of it (CSS order).
  const placed = [];
  shown.forEach((_word, index) => {
    if (index % 2) placed.push(index);
    else placed.unshift(index);
  });
  const own = new Set(mine);
  return h(
    "ul",
    { class: "word-cloud", "aria-label": t("Words, most used first") },
    shown.map((word, index) => {
      const item = h(
        "li",
        {
          class: `cloud-word${own.has(word.word) ? " mine" : ""}`,
          title: `${word.word}: ${word.count}`,
          dataset: { rank: String(index + 1) },
        },
        word.word,
        h("span", { class: "visually-hidden" }, ` (${word.count})`),
      );
      item.style.fontSize = `${size(word.count).toFixed(2)}em`;
      item.style.color = WORD_COLOURS[index % WORD_COLOURS.length];
      item.style.order = String(placed.indexOf(index));
      return item;
    }),
  );
}

/** How many columns `count` panels take: up to 4 side by side, rows kept even. */
function panelColumns(count) {
  if (count <= 4) return Math.max(1, count);
  return Math.ceil(count / Math.ceil(count / 4));
}

/**
 * A word cloud per group of a breakdown, side by side, each titled with the group and its
 * number of people. `fit`: the projector shrinks each cloud's type until it fits its panel.
 */
function groupWordClouds(groups, { limit, smallest, largest, breakdown, fit = false }) {
  const columns = panelColumns(groups.length);
  const grid = h(
    "div",
    {
      class: "group-clouds",
      role: "list",
      "aria-label": breakdown === "table" ? "Words by table" : "Words by sector",
      dataset: { columns: String(columns) },
    },
    groups.map((group) =>
      h(
        "section",
        { class: "group-cloud", role: "listitem", dataset: { group: group.label } },
        h(
          "h2",
          { class: "group-cloud-title" },
          h("span", { class: "group-name" }, group.label),
          h("span", { class: "group-people" }, ` · ${people(group.answered)}`),
        ),
        h(
          "div",
          { class: fit ? "group-cloud-words fit" : "group-cloud-words" },
          wordCloud(group.results.words, { limit, smallest, largest }),
        ),
      ),
    ),
  );
  grid.style.setProperty("--columns", String(columns));
  return grid;
}

function groupClouds(message, size) {
  const groups = message.groups;
  return groupWordClouds(groups, { ...GROUP_CLOUDS[size](groups.length), breakdown: message.breakdown });
}

function projector(message) {
  const results = message.results;
  if (message.breakdown && message.groups && message.groups.length) {
    return [
      h(
        "div",
        { class: "chart-area cloud-area grouped-clouds" },
        h("p", { class: "results-caption" }, breakdownCaption(message)),
        groupClouds(message, "projector"),
      ),
      chartTables(message, { grouped: true }),
    ];
  }
  const caption = results.words.length
    ? `The words of ${people(results.voters)}: the bigger, the more people used it`
    : "No words yet";
  return [
    h(
      "div",
      { class: "chart-area cloud-area" },
      h("p", { class: "results-caption" }, caption),
      h("div", { class: "cloud-fit fit" }, wordCloud(results.words, CLOUD.projector)),
    ),
    chartTables(message),
  ];
}

/** The console's preview, or null while no one has written a word. */
function preview(message) {
  const results = message && message.results;
  if (!results || !results.words.length) return null;
  if (message.breakdown && message.groups && message.groups.length) {
    // By sector or by table, as the projector shows it: a small cloud per group.
    return [
      h("p", { class: "group-clouds-caption muted" }, breakdownCaption(message, { size: "console" })),
      groupClouds(message, "console"),
    ];
  }
  return wordCloud(results.words, CLOUD.console);
}

function phone(message, mine) {
  const text = mine && mine.text;
  return h(
    "div",
    { class: "phone-cloud" },
    wordCloud(message.results.words, { ...CLOUD.phone, mine: wordsOf(text) }),
    text ? h("p", { class: "results-note" }, t("Your words are underlined.")) : null,
  );
}

export function render(message, { size, mine }) {
  if (size === "projector") return projector(message);
  if (size === "console") return preview(message);
  return phone(message, mine);
}

export const withoutFigure = true;
export const previewEmpty =
  "No words yet. The cloud fills in as answers arrive; only you see it until you reveal.";

export function howToAnswer(stage) {
  return `Participants type up to ${stage.max_words || 3} words; the room sees the most used.`;
}
