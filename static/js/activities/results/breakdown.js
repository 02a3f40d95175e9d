// Words for results by group (a breakdown by sector or by table), shared by the result
// views of every type that shows its groups side by side.

import { people } from "../../live.js";

/** Where the results come from: "3 sectors", "2 tables and Other groups", "Other groups". */
function groupsWhere(message) {
  const groups = message.groups || [];
  const word = message.breakdown === "table" ? "table" : "sector";
  const named = groups.filter((g) => g.key !== null && g.key !== undefined && !g.other).length;
  const other = groups.some((g) => g.other) ? " and Other groups" : "";
  return named ? `${named} ${word}${named === 1 ? "" : "s"}${other}` : "Other groups";
}

/**
 * The caption over results by group: "By sector · results from 7 people in 3 sectors" on
 * the projector, "By sector · 7 people in 3 sectors" on the console.
 */
export function breakdownCaption(message, { size = "projector" } = {}) {
  const by = message.breakdown === "table" ? "By table" : "By sector";
  const from = size === "projector" ? "results from " : "";
  return `${by} · ${from}${people(message.answered)} in ${groupsWhere(message)}`;
}
