// Results of the word cloud and of statements as HTML, shared by the phone, the projector
// and the console (each page styles them in its own css file), and the numbers of the
// points, grid, word cloud and statements results as table rows for screen readers.
//
// Shapes: docs/protocol.md, "results by type". Every word and statement is set as text.

import { h } from "./live.js";
// The phone's words in its language; on the projector and console (English pages, with no
// #interface-text block) t() gives the English back unchanged.
import { t } from "./phone-text.js";

// Dark enough for white paper at any size (WCAG AA for normal text).
const WORD_COLOURS = ["#1d5e9e", "#1b7a3a", "#7a3d00", "#5b3a8e", "#00606a", "#a0251c"];

/** The words of a text as the server counts them: lower case, without punctuation. */
export function wordsOf(text) {
  const matches = String(text || "")
    .toLowerCase()
    .replace(/’/g, "'")
    .match(/[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu);
  return matches || [];
}

/**
 * A word cloud: the words in a centred, wrapping row, sized by how many used them, the
 * most used in the middle. `mine` (optional) is a list of words to mark as the person's.
 * Sizes are in em from `smallest` to `largest`, so each page sets the scale by font-size.
 */
export function wordCloud(words, { limit = 60, mine = [], smallest = 1, largest = 4 } = {}) {
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

const people = (n) => (n === 1 ? "1 person" : `${n} people`);

/** How many columns `count` panels take: up to 4 side by side, rows kept even. */
export function panelColumns(count) {
  if (count <= 4) return Math.max(1, count);
  return Math.ceil(count / Math.ceil(count / 4));
}

/**
 * A word cloud per group of a breakdown (`groups` of a `results` message: by sector or
 * by table), side by side, each titled with the group and its number of people. Smaller
 * clouds than the room's: `limit` words each, sized from `smallest` to `largest` em.
 * `fit`: the projector shrinks each cloud's type until it fits its panel.
 */
export function groupWordClouds(
  groups,
  { limit = 20, smallest = 1, largest = 2.6, breakdown = "sector", fit = false } = {},
) {
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

const percent = (count, total) => (total ? Math.round((100 * count) / total) : 0);

/** The share of a statement's votes that agree, as words ("67% agree"). */
export function agreementWords(statement) {
  if (statement.agreement === null || statement.agreement === undefined) return t("No votes yet");
  return t("{percent}% agree", { percent: Math.round(statement.agreement * 100) });
}

function voteBar(statement) {
  const bar = h("span", { class: "vote-bar", "aria-hidden": "true" });
  for (const [key, className] of [
    ["agree", "vote-agree"],
    ["passes", "vote-pass"],
    ["disagree", "vote-disagree"],
  ]) {
    const part = h("span", { class: `vote-part ${className}` });
    part.style.width = `${percent(statement[key] || 0, statement.votes || 0)}%`;
    if (statement[key]) part.textContent = String(statement[key]);
    bar.append(part);
  }
  return bar;
}

/**
 * Statements ranked by agreement: rank, text, a bar of agree / pass / disagree and the
 * counts in words. `own` (a Set of ids) marks the person's own statements;
 * `reactions` (id -> "agree" | "disagree" | "pass") marks how they voted.
 */
export function statementRanking(statements, { limit = 10, own = null, reactions = null } = {}) {
  const shown = (statements || []).slice(0, limit);
  if (!shown.length) return h("p", { class: "ranking-empty" }, t("No statements yet."));
  const voted = { agree: t("You agreed"), disagree: t("You disagreed"), pass: t("You passed") };
  return h(
    "ol",
    { class: "statement-ranking" },
    shown.map((statement, index) => {
      const mine = own && own.has(statement.id);
      const vote = reactions && reactions[String(statement.id)];
      return h(
        "li",
        { class: `ranked-statement${mine ? " own" : ""}`, dataset: { id: String(statement.id) } },
        h("span", { class: "statement-rank", "aria-hidden": "true" }, String(index + 1)),
        h(
          "div",
          { class: "statement-body" },
          h("p", { class: "statement-text" }, statement.text),
          voteBar(statement),
          h(
            "p",
            { class: "statement-counts" },
            h("strong", {}, agreementWords(statement)),
            " · ",
            t("{agree} agree · {passes} pass · {disagree} disagree", statement),
            mine ? h("span", { class: "yours" }, t("Your statement")) : null,
            vote ? h("span", { class: "yours" }, voted[vote]) : null,
          ),
        ),
      );
    }),
  );
}

const fmt = (n) => (n === null || n === undefined ? "–" : String(n));

/**
 * The results of the new activities as {caption, head, rows} (each row [label, ...cells]),
 * or null for other types: the numbers behind a chart, for a visually hidden table.
 */
export function resultRows(type, results) {
  if (!results) return null;
  switch (type) {
    case "points":
      return {
        caption: `Points given (${results.voters} people, ${results.budget} points each)`,
        head: ["Item", "Points", "People who gave points"],
        rows: results.items.map((item) => [item.label, item.total, item.voters]),
      };
    case "grid": {
      const { x, y } = results.axes;
      return {
        caption: `Places on the grid (${x.label} across, ${y.label} up, 1 to ${results.size})`,
        head: ["Item", `Average ${x.label}`, `Average ${y.label}`, "Places", "Cells used"],
        rows: results.items.map((item) => [
          item.label,
          fmt(item.mean_x),
          fmt(item.mean_y),
          item.n,
          item.cells.map((c) => `(${c.x}, ${c.y}): ${c.count}`).join("; ") || "–",
        ]),
      };
    }
    case "word_cloud":
      return {
        caption: `Words used (${results.voters} people)`,
        head: ["Word", "People who used it"],
        rows: results.words.map((w) => [w.word, w.count]),
      };
    case "statements":
      return {
        caption: "Statements, most agreed first",
        head: ["Statement", "Agree", "Pass", "Disagree", "Agreement"],
        rows: results.statements.map((s) => [
          s.text,
          s.agree,
          s.passes,
          s.disagree,
          agreementWords(s),
        ]),
      };
    default:
      return null;
  }
}

/** A visually hidden table of `resultRows`, or null. */
export function resultTable(type, results) {
  const table = resultRows(type, results);
  if (!table) return null;
  return h(
    "table",
    { class: "visually-hidden results-table" },
    h("caption", {}, table.caption),
    h("thead", {}, h("tr", {}, table.head.map((text) => h("th", { scope: "col" }, text)))),
    h(
      "tbody",
      {},
      table.rows.map(([label, ...cells]) =>
        h("tr", {}, h("th", { scope: "row" }, String(label)), cells.map((c) => h("td", {}, String(c)))),
      ),
    ),
  );
}

// Where sectors agree / split (console and projector) ----------------------------------------

const CONSENSUS_ORDER = { consensus: 0, split: 1, mixed: 2, too_few: 3 };

/** Comments in "where sectors agree / split" order: widest consensus first, then splits. */
export function consensusOrder(comments) {
  return comments
    .map((comment, index) => ({ comment, index }))
    .sort((a, b) => {
      const ca = a.comment.consensus || { status: "too_few" };
      const cb = b.comment.consensus || { status: "too_few" };
      return (
        (CONSENSUS_ORDER[ca.status] ?? 9) - (CONSENSUS_ORDER[cb.status] ?? 9) ||
        (cb.sectors_agreeing || 0) - (ca.sectors_agreeing || 0) ||
        a.index - b.index
      );
    })
    .map(({ comment }) => comment);
}
