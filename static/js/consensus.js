// Where sectors agree / split: the order and the words of a comment's (or a statement's)
// `consensus` (the rule is in facilitation/workshop/consensus.py), shared by the
// projector's wall, its statements by sector and the console's list.

import { h } from "./live.js";

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

/** The badge words for a consensus status ("Agreed across 3 sectors"), or null. */
export function consensusBadge(consensus) {
  if (!consensus) return null;
  if (consensus.status === "consensus") {
    const n = consensus.sectors_agreeing ?? consensus.by_sector.length;
    return `Agreed across ${n} sectors`;
  }
  if (consensus.status === "split") return "Splits sectors";
  return null;
}

/** "2 agreed across sectors · 1 splits them", of comments or statements with `consensus`. */
export function consensusSummary(items) {
  const count = (status) => items.filter((c) => c.consensus && c.consensus.status === status).length;
  const split = count("split");
  return `${count("consensus")} agreed across sectors · ${split} ${split === 1 ? "splits" : "split"} them`;
}

/** "Health 3–1" (agree–disagree), with its passes on statements: "Health 3–1, 2 pass". */
function sectorVotes(row) {
  const passes = row.pass ? `, ${row.pass} pass` : "";
  return `${row.sector} ${row.agree}–${row.disagree}${passes}`;
}

/**
 * On the projector: "Agreed across 2 sectors  Health 1–0 · Housing 1–0", the badge and each
 * sector's votes; null when the consensus earns no badge.
 */
export function consensusLine(consensus) {
  const words = consensusBadge(consensus);
  if (!words) return null;
  const agreed = consensus.status === "consensus";
  return h(
    "p",
    { class: "consensus-line" },
    h("span", { class: `consensus-badge ${agreed ? "agreed" : "split"}` }, words),
    h(
      "span",
      { class: "consensus-sectors" },
      consensus.by_sector.flatMap((row, i) => [
        i ? " · " : "",
        h("span", { class: "sector-votes" }, sectorVotes(row)),
      ]),
    ),
  );
}
