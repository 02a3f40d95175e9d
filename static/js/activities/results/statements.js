// Statements: the statements people wrote, ranked by the share of votes that agree, each
// with a bar of its agree, pass and disagree votes. The same ranking at every size (it has
// no Plotly figure); on the projector by sector, ranked by where sectors agree. The
// statements are the stage's comments: until the ranking is revealed the projector shows
// them as its comment wall. By opinion group (issue 14) the projector shows the groups
// instead (./opinion.js), and the console's preview sums them up above the ranking.

import { h, people } from "../../live.js";
import { t, tn } from "../../phone-text.js";
import { consensusLine, consensusOrder, consensusSummary } from "../../consensus.js";
import { chartTables } from "./table.js";
import { consoleOpinion, projectorOpinion, shownOpinion } from "./opinion.js";

// How many statements each size ranks: the projector's must read from the back of a room.
const LIMIT = { projector: 6, console: 20, phone: 10 };

const percent = (count, total) => (total ? Math.round((100 * count) / total) : 0);

/** The share of a statement's votes that agree, as words ("67% agree"). */
function agreementWords(statement) {
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
function statementRanking(statements, { limit, own = null, reactions = null }) {
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

/** Under the projector's ranking: what the bar's colours mean (and, by sector, the votes). */
function voteKey(...more) {
  return h(
    "p",
    { class: "vote-key", "aria-hidden": "true" },
    h("span", { class: "key-agree" }, "Agree"),
    h("span", { class: "key-pass" }, "Pass"),
    h("span", { class: "key-disagree" }, "Disagree"),
    more,
  );
}

/** The ranking's caption when it shows `shown` of `total` statements. */
export function rankingCaption(shown, total) {
  if (!total) return "No statements yet";
  if (shown >= total) return `${total === 1 ? "1 statement" : `${total} statements`}, most agreed first`;
  return shown === 1 ? `The most agreed of ${total} statements` : `The ${shown} most agreed of ${total} statements`;
}

/**
 * Let the projector's fitting (screen.js fitAll) leave the last statement of the ranking
 * in `fitElement` off when even the screen's smallest type does not fit them all, and
 * `say(shown)` put the new number in the caption: cut off at the screen's edge, a
 * statement would still be counted in "The 6 most agreed". At least one stays.
 */
function showingFewer(fitElement, say) {
  fitElement.showFewer = () => {
    const items = fitElement.querySelectorAll(".ranked-statement");
    if (items.length <= 1) return false;
    items[items.length - 1].remove();
    say(items.length - 1);
    return true;
  };
  return fitElement;
}

/** The projector's ranking: the most agreed, with how many voted. */
function projectorRanking(message) {
  const results = message.results;
  const all = results.statements;
  const shown = Math.min(all.length, LIMIT.projector);
  const caption = h("span", {}, rankingCaption(shown, all.length));
  return [
    h(
      "div",
      { class: "chart-area ranking-area" },
      h(
        "p",
        { class: "results-caption" },
        caption,
        h("span", { class: "caption-aside" }, ` · votes from ${people(results.voters)}`),
      ),
      showingFewer(
        h(
          "div",
          { class: "ranking-fit fit" },
          statementRanking(all, { limit: LIMIT.projector }),
          all.length ? voteKey() : null,
        ),
        (n) => {
          caption.textContent = rankingCaption(n, all.length);
        },
      ),
    ),
    chartTables(message),
  ];
}

/**
 * The projector's ranking by sector: the statements ranked by where sectors agree (agreed
 * across sectors first, widest first, then those that split them, then the rest, each
 * group in order of agreement), each with its badge and its votes per sector above the
 * agree / pass / disagree bar. `comments` (the stage's wall) carry the consensus.
 */
function consensusStatements(message, comments) {
  const results = message.results;
  const consensus = new Map((comments || []).map((c) => [c.id, c.consensus]));
  const statements = results.statements.map((s) => ({ ...s, consensus: consensus.get(s.id) }));
  const order = consensusOrder(statements);
  const shown = Math.min(order.length, LIMIT.projector);
  const list = statementRanking(order, { limit: LIMIT.projector });
  for (const item of list.querySelectorAll(".ranked-statement")) {
    const statement = order.find((s) => String(s.id) === item.dataset.id);
    const status = statement && statement.consensus ? statement.consensus.status : "too_few";
    item.classList.add(`consensus-${status}`);
    const line = statement ? consensusLine(statement.consensus) : null;
    if (line) item.querySelector(".statement-body").prepend(line);
  }
  const caption = order.length
    ? `Where sectors agree · ${consensusSummary(statements)}`
    : "No statements yet";
  const showing = (n) => (n < order.length ? ` · ${n} of ${order.length} shown` : "");
  const aside = h("span", { class: "caption-aside" }, showing(shown));
  return [
    h(
      "div",
      { class: "chart-area ranking-area consensus-statements" },
      h("p", { class: "results-caption" }, caption, aside),
      showingFewer(
        h(
          "div",
          { class: "ranking-fit fit" },
          list,
          order.length ? voteKey(h("span", {}, "Sector votes: agree–disagree")) : null,
        ),
        (n) => {
          aside.textContent = showing(n);
        },
      ),
    ),
    chartTables(message),
  ];
}

/** "You are in group B": the person's opinion group from the server's `own_opinion_group`
 * ({group, why, whyValues}, or null: not asked yet, or not to be told), with up to three statements
 * the group mostly agrees and disagrees with. Without a group, why (a vote or two more, say). */
function ownGroup(shown) {
  if (!shown) return null;
  const { group, why, whyValues } = shown;
  if (!group) return why ? h("p", { class: "own-group-why muted" }, t(why, whyValues || {})) : null;
  const label = group.label;
  const some = (texts, words) =>
    texts && texts.length
      ? [h("p", { class: "own-group-lead" }, words), h("ul", { class: "own-group-list" }, texts.slice(0, 3).map((text) => h("li", {}, text)))]
      : null;
  return h(
    "section",
    { class: "own-group", "aria-labelledby": "own-group-heading" },
    h(
      "h3",
      { id: "own-group-heading" },
      tn(group.size, "You are in group {label} ({n} person) of {groups} groups", "You are in group {label} ({n} people) of {groups} groups", {
        label,
        groups: group.groups,
      }),
    ),
    h("p", { class: "own-group-how muted" }, t("Groups are formed from how people voted, not from their sectors.")),
    some(group.agrees, t("Group {label} mostly agrees with:", { label })),
    some(group.disagrees, t("Group {label} mostly disagrees with:", { label })),
  );
}

function phone(message, { own, reactions, ownGroup: shownGroup = null }) {
  return h(
    "div",
    {},
    ownGroup(shownGroup),
    h("p", { class: "results-note" }, t("Ranked by the share of votes that agree.")),
    statementRanking(message.results.statements, { limit: LIMIT.phone, own, reactions }),
  );
}

export function render(message, options) {
  const { size, state, comments } = options;
  if (size === "projector") {
    // By opinion group (while the plan has them on): the groups, or why they have not formed.
    if (shownOpinion(message, state)) {
      return projectorOpinion(message, {
        ranking: () => projectorRanking(message),
        tables: chartTables(message),
      });
    }
    return state.breakdown === "sector"
      ? consensusStatements(message, comments)
      : projectorRanking(message);
  }
  if (size === "console") {
    const results = message && message.results;
    if (!results || !results.statements.length) return null;
    // The groups above the ranking: the facilitator sees them before showing them.
    return [consoleOpinion(message.opinion), statementRanking(results.statements, { limit: LIMIT.console })];
  }
  return phone(message, options);
}

export const withoutFigure = true;
export const previewEmpty =
  "No statements yet. They are ranked by agreement as the room votes; only you see the ranking until you reveal.";
export const resultsFromComments = true;
export const opinionGroups = true;

/** The wall of statements while the room writes and votes; the ranking once revealed. */
export function projectorView(state, message) {
  return state.revealed && message && message.results ? "ranked" : "wall";
}

export const commentsAreAnswers = true;
export const countWord = "took part";

export const votesPass = true;

export const wall = {
  one: "statement",
  many: "statements",
  empty: "No statements yet. Write yours on your phone and it appears here.",
};

export function howToAnswer() {
  return "Participants write short statements and vote agree, disagree or pass on each other's; the projector ranks them by agreement.";
}

export function phoneCount(n) {
  return tn(n, "{n} person took part.", "{n} people took part.");
}
