// Opinion groups of a statements stage (issue 14; docs/opinion-groups.md): the projector's
// view when the facilitator shows results "By opinion group", and the console's summary
// above its ranking. The groups come from how people voted, not from the sector they
// declared: the `opinion` of the stage's `results` message (docs/opinion-contract, the
// shapes; facilitation/opinion/view.py). The map's figure and every word are made in
// ../../opinion-map.js; here they become the page. Statements are participants' words: only
// ever text nodes (h()).
//
// The projector lays the parts out in columns (opinion-map.js layoutFor) and, before the
// page's `fit` shrinks any type, leaves items off until each column fits (dropOrder). The
// map is drawn once the page has its size (drawOpinionMap, from screen.js).

import { drawFigure, h, people } from "../../live.js";
import { textOn } from "../../theme-colours.js";
import {
  crossCell,
  dropOrder,
  HELD_SHORT,
  heldKey,
  groupColour,
  layoutFor,
  groupShares,
  groupsSentence,
  mapFigure,
  opinionOn,
  representativeWords,
  statusSentence,
} from "../../opinion-map.js";

/** The `opinion` to show "By opinion group", or null (off, or the message has none). */
export function shownOpinion(message, state) {
  const opinion = message && message.opinion;
  return state && state.breakdown === "opinion" && opinionOn(opinion) ? opinion : null;
}

/** A group's letter in its colour, with a shape of its own (the map's dots have it too). */
function badge(label) {
  return coloured(h("span", { class: "group-badge", dataset: { group: label } }, label), label);
}

/** `element` given group `label`'s colour (--group-colour) and the ink that reads on it. */
function coloured(element, label) {
  const colour = groupColour(label, { dark: document.body.dataset.themeMode === "dark" });
  element.style.setProperty("--group-colour", colour);
  element.style.setProperty("--group-on", textOn(colour)); // white or ink, whichever reads
  return element;
}

function sharesLine(statement, labels) {
  return h(
    "p",
    { class: "opinion-shares" },
    "Agree: ",
    groupShares(statement, labels).flatMap(([label, share], index) => [
      index ? " · " : null,
      h("span", { class: "share" }, badge(label), ` ${share}`),
    ]),
  );
}

function statementItem(statement, part, lines) {
  return h(
    "li",
    { class: "opinion-statement", dataset: { part } },
    h("p", { class: "opinion-text" }, statement.text),
    lines,
  );
}

function groupCard(group) {
  const reps = group.representative || [];
  const card = h(
    "section",
    { class: "group-card", dataset: { group: group.label }, "aria-label": `Group ${group.label}` },
    h(
      "h2",
      { class: "group-card-head" },
      badge(group.label),
      h("span", { class: "group-name" }, ` Group ${group.label} ·`),
      h("span", { class: "group-people" }, ` ${people(group.size)}`),
    ),
    reps.length
      ? h(
          "ol",
          { class: "opinion-list" },
          reps.map((statement, rank) =>
            statementItem(
              statement,
              `rep-${group.label}-${rank}`,
              h(
                "p",
                { class: `opinion-figures ${statement.direction === "disagree" ? "disagrees" : "agrees"}` },
                representativeWords(group.label, statement),
              ),
            ),
          ),
        )
      : h("p", { class: "opinion-none" }, "Nothing sets this group apart clearly yet."),
  );
  return coloured(card, group.label);
}

function listSection(kind, heading, statements, labels, empty) {
  return h(
    "section",
    { class: `opinion-part opinion-${kind}`, dataset: { part: kind } },
    h("h2", { class: "opinion-heading" }, heading),
    statements.length
      ? h(
          "ol",
          { class: "opinion-list" },
          statements.map((statement, index) =>
            statementItem(statement, `${kind}-${index}`, sharesLine(statement, labels)),
          ),
        )
      : h("p", { class: "opinion-none" }, empty),
  );
}

function sectorsTable(sectors, labels) {
  if (!sectors || !sectors.columns || !sectors.columns.length) return null;
  const rows = new Map((sectors.rows || []).map((row) => [row.label, row.cells || []]));
  const shown = labels.filter((label) => rows.has(label));
  const held = shown.some((label) => rows.get(label).some((count) => count === null || count === undefined));
  return h(
    "section",
    { class: "opinion-part opinion-sectors", dataset: { part: "sectors" } },
    h("h2", { class: "opinion-heading" }, "Groups by sector"),
    h(
      "table",
      { class: "sectors-table" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Sector")),
          shown.map((label) => h("th", { scope: "col" }, badge(label), h("span", { class: "visually-hidden" }, ` Group ${label}`))),
        ),
      ),
      h(
        "tbody",
        {},
        sectors.columns.map((sector, column) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, sector),
            shown.map((label) => {
              const count = rows.get(label)[column];
              if (count !== null && count !== undefined) return h("td", {}, String(count));
              // Written short when the word does not fit; the key under the table says why.
              return h(
                "td",
                { class: "held" },
                h("span", { class: "held-words" }, crossCell(count)),
                h("span", { class: "held-short", "aria-hidden": "true" }, HELD_SHORT),
              );
            }),
          ),
        ),
      ),
    ),
    held ? h("p", { class: "held-key", "aria-hidden": "true" }, heldKey(sectors.min_group_size)) : null,
  );
}

/** The map's place: drawOpinionMap draws into it once it has its size. */
let mapElement = null;
let drawnMap = "";

function mapSection(opinion) {
  if (!mapElement) mapElement = h("div", { class: "opinion-map", role: "img" });
  const sizes = (opinion.groups || []).map((g) => `group ${g.label}, ${people(g.size)}`).join("; ");
  mapElement.setAttribute("aria-label", `Map of ${people((opinion.points || []).length)}, one dot each: ${sizes}`);
  mapElement.opinion = opinion;
  return h(
    "section",
    { class: "opinion-part opinion-map-part", dataset: { part: "map" } },
    mapElement,
    h("p", { class: "map-note", dataset: { part: "map-note" } }, "One dot per person: near dots voted alike"),
  );
}

/**
 * The projector's view of formed groups (or, before they form, why not, over the
 * ranking `ranking()` gives). Returns what goes in the stage's main area.
 */
export function projectorOpinion(message, { ranking, tables }) {
  const opinion = message.opinion;
  if (opinion.status !== "formed") {
    return [
      h("p", { class: "opinion-status", role: "status" }, statusSentence(opinion)),
      ...ranking(),
    ];
  }
  const labels = (opinion.groups || []).map((g) => g.label);
  const parts = {
    map: () => mapSection(opinion),
    sectors: () => sectorsTable(opinion.sectors, labels),
    groups: () =>
      h(
        "div",
        { class: "opinion-part opinion-groups", dataset: { part: "groups" } },
        (opinion.groups || []).map(groupCard),
      ),
    consensus: () =>
      listSection(
        "consensus",
        "What every group agrees on",
        opinion.consensus || [],
        labels,
        "No statement yet that every group agrees with.",
      ),
    divisive: () =>
      (opinion.divisive || []).length
        ? listSection("divisive", "What splits the groups", opinion.divisive, labels, "")
        : null,
  };
  const { layout, columns } = layoutFor(innerWidth, innerHeight, labels.length);
  return [
    h(
      "div",
      { class: "chart-area opinion-area" },
      h(
        "p",
        { class: "results-caption" },
        `By opinion group · ${people(opinion.placed || 0)} in ${labels.length} groups`,
        h("span", { class: "caption-aside" }, " · grouped by how they voted"),
      ),
      h(
        "div",
        {
          class: `opinion-view ${layout === "rows" ? "rows" : `columns-${columns.length}`} groups-${labels.length}`,
          dataset: { drop: JSON.stringify(dropOrder(opinion)) },
        },
        columns.map((names) => h("div", { class: "opinion-column fit" }, names.map((name) => parts[name]()))),
      ),
    ),
    tables,
  ];
}

const overflows = (element) =>
  element.scrollHeight > element.clientHeight + 1 || element.scrollWidth > element.clientWidth + 1;

/**
 * Leave items off the opinion view until each column fits at its type size, in dropOrder's
 * order; the map's column keeps the map at least three fifths of its height. Call once the
 * view is on the page, before the page's fitting shrinks type.
 */
export function fitOpinion(root) {
  const view = root.querySelector(".opinion-view");
  if (!view) return;
  const order = JSON.parse(view.dataset.drop || "[]");
  for (const column of view.querySelectorAll(".opinion-column")) {
    const map = column.querySelector(".opinion-map");
    // Cards side by side (three to five groups) each fit on their own: the row is as tall as
    // its tallest card, so a statement left off a card that fits would gain nothing.
    const cards = view.classList.contains("rows") ? [...column.querySelectorAll(".group-card")] : [];
    const needsRoom = (item) => {
      if (!cards.length) return true;
      const card = item.closest(".group-card");
      return card ? overflows(card) : overflows(column); // the sectors beside the cards
    };
    // The map keeps most of its column: the sectors under it go before it would shrink.
    const fits = () =>
      !overflows(column) &&
      cards.every((card) => !overflows(card)) &&
      (!map || map.clientHeight >= 0.6 * column.clientHeight);
    for (const part of order) {
      if (fits()) break;
      if (part === "sectors-compact") {
        column.querySelector(".opinion-sectors")?.classList.add("compact");
        continue;
      }
      const item = column.querySelector(`[data-part="${part}"]`);
      if (!item || !needsRoom(item)) continue;
      const list = item.parentElement;
      item.remove();
      // A section whose every item is left off goes too (its heading would say nothing);
      // a group keeps its name and size.
      if (list.classList.contains("opinion-list") && !list.children.length) {
        const owner = list.closest(".group-card, .opinion-part");
        if (owner && !owner.classList.contains("group-card")) owner.remove();
        else list.remove();
      }
    }
  }
}

/**
 * Draw the map into its place at the size it has now, its type the screen's smallest
 * `minType` or more. `style`: the page's colours (screen-breakdowns.js chartStyle).
 */
export function drawOpinionMap(root, { rem, style, dark }) {
  const element = root.querySelector(".opinion-map");
  if (!element || !element.opinion) return;
  const width = Math.max(120, element.clientWidth);
  const height = Math.max(120, element.clientHeight);
  const font = Math.max(style.minType, Math.round(1.25 * rem));
  const figure = mapFigure(element.opinion, { width, height, font, dark, paper: style.paper, ink: style.ink });
  const signature = JSON.stringify(figure);
  if (signature === drawnMap && element.querySelector(".main-svg")) return;
  drawnMap = signature;
  drawFigure(element, figure)?.catch(() => {
    drawnMap = ""; // try afresh with the next message
  });
}

// The console ----------------------------------------------------------------------------

/**
 * The console's summary of the groups above its ranking, so the facilitator sees them
 * before showing them: "3 groups formed from 45 people", each group with its size and its
 * most telling statement, and how many statements every group agrees on. Null when off.
 */
export function consoleOpinion(opinion) {
  if (!opinionOn(opinion)) return null;
  const formed = opinion.status === "formed";
  // The message lists five of each at most (the exports have them all).
  const count = (list) => {
    const n = (list || []).length;
    return n >= 5 ? "5 or more statements" : n === 1 ? "1 statement" : `${n} statements`;
  };
  return h(
    "section",
    { class: "opinion-summary", "aria-label": "Opinion groups" },
    h(
      "p",
      { class: "opinion-summary-status" },
      formed ? h("strong", {}, "Opinion groups: ") : null,
      groupsSentence(opinion),
      formed && opinion.voters ? h("span", { class: "muted" }, ` (${people(opinion.voters)} voted)`) : null,
    ),
    formed
      ? h(
          "ul",
          { class: "opinion-summary-groups" },
          (opinion.groups || []).map((group) => {
            const top = (group.representative || [])[0];
            return h(
              "li",
              {},
              h("span", { class: "visually-hidden" }, "Group "),
              badge(group.label),
              h("strong", {}, ` ${people(group.size)}`),
              top
                ? [
                    " · ",
                    h("q", { class: "opinion-summary-text" }, top.text),
                    h("span", { class: "muted" }, ` ${representativeWords(group.label, top)}`),
                  ]
                : h("span", { class: "muted" }, " · nothing sets it apart clearly yet"),
            );
          }),
        )
      : null,
    formed
      ? h(
          "p",
          { class: "opinion-summary-counts muted" },
          `${count(opinion.consensus)} every group agrees on`,
          ` · ${count(opinion.divisive)} that split the groups`,
        )
      : null,
  );
}
