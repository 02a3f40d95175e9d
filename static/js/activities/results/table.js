// The results table, built once on the server (facilitation/activities/base.py, `Table`)
// and sent with every `results` message as `table`, and with each group of a breakdown as
// the group's `table`. The projector, the console and the report show this same table:
// here as a visually hidden one beside the chart (the chart is a picture to a screen
// reader), or visible where the console lists the numbers per group.
//
// Shape: {caption, columns: [str], rows: [[cell, ...]], numeric: [bool per column],
// charted: [bool per column]}, cells already worded for people; the first cell of a row
// heads it. `charted` says which columns the chart draws: beside a chart only those are its
// text alternative, where the numbers stand alone (the console) every column is shown.

import { h, people } from "../../live.js";

function tableElement(table, { charted, caption, className }) {
  const numeric = table.numeric || [];
  const shown = table.columns
    .map((_column, index) => index)
    .filter((index) => index === 0 || !charted || !table.charted || table.charted[index]);
  const pick = (row) => shown.map((index) => row[index]);
  const cell = (value, index) =>
    h("td", { class: numeric[index] ? "numeric" : null }, String(value ?? ""));
  return h(
    "table",
    { class: className },
    h("caption", {}, caption ?? table.caption),
    h("thead", {}, h("tr", {}, pick(table.columns).map((text) => h("th", { scope: "col" }, text)))),
    h(
      "tbody",
      {},
      table.rows.map((row) => {
        const [label, ...cells] = pick(row);
        return h(
          "tr",
          {},
          h("th", { scope: "row" }, String(label)),
          cells.map((value, index) => cell(value, shown[index + 1])),
        );
      }),
    ),
  );
}

/**
 * `table` for screen readers only (null without one). `charted`: only the columns the
 * chart draws. A table is never narrower than its longest caption or row, whatever width
 * it is given: a hidden block around it keeps it from widening the page.
 */
export function resultsTable(table, { charted = false } = {}) {
  if (!table) return null;
  const element = tableElement(table, { charted, className: "visually-hidden results-table" });
  return h("div", { class: "visually-hidden" }, element);
}

/**
 * One group's table of a breakdown, captioned with the group and how many took part: for
 * screen readers, inside a hidden block of them, or `visible`.
 */
export function groupTable(group, { charted = false, visible = false } = {}) {
  if (!group.table) return null;
  const element = tableElement(group.table, {
    charted,
    caption: `${group.label}: ${people(group.answered)}`,
    className: visible ? "results-table" : "visually-hidden results-table",
  });
  element.dataset.group = group.label;
  return element;
}

/**
 * Beside the projector's chart (or the HTML that stands for one): the numbers it draws,
 * visually hidden, of the room or (`grouped`) one table per group.
 */
export function chartTables(message, { grouped = false } = {}) {
  if (!grouped) return resultsTable(message.table, { charted: true });
  return h(
    "div",
    { class: "visually-hidden breakdown-tables" },
    h("h2", {}, message.breakdown === "table" ? "Results by table" : "Results by sector"),
    (message.groups || []).map((group) => groupTable(group, { charted: true })),
  );
}
