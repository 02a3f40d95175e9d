// The console's breakdown switch (Whole room / By sector / By table / By opinion group),
// the numbers per group under the preview, and "Where sectors agree / split" for comments.
//
// The switch sends `set_breakdown`; every projector follows. While a breakdown is on, the
// `results` messages carry `groups` and the preview's figure is the grouped one. Comments
// carry `consensus` (the rule is in facilitation/workshop/consensus.py).

import { fill, h } from "./live.js";
import { consensusBadge, consensusOrder } from "./consensus.js";
import { groupTable } from "./activities/results/table.js";
import { opinionOn } from "./opinion-map.js";

const CHOICES = [
  ["room", "Whole room"],
  ["sector", "By sector"],
  ["table", "By table"],
  ["opinion", "By opinion group"],
];

/** "Health 3–1 (1 pass)": a sector's agree–disagree votes. */
export function sectorVotes(row) {
  const passes = row.pass ? ` (${row.pass} pass${row.pass === 1 ? "" : "es"})` : "";
  return `${row.sector} ${row.agree}–${row.disagree}${passes}`;
}

function names(list) {
  return list.length > 1 ? `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}` : list[0];
}

/**
 * Why some groups of a breakdown are not shown on their own (the `folded` of a `results`
 * message, facilitation/workshop/small_groups.py), or null when every group shows.
 */
export function foldNote(folded) {
  if (!folded) return null;
  const n = folded.min_group_size;
  const crossed = folded.crossed || [];
  const parts = [];
  if (folded.small.length) {
    parts.push(
      `Groups with fewer than ${n} people are folded into Other groups, so no one’s answer can be singled out (${names(folded.small)}).`,
    );
  }
  if (crossed.length) {
    // Shown beside the other breakdown (the people list says who sits where), the
    // difference of two groups would be fewer than n people's answers.
    const one = crossed.length === 1;
    parts.push(
      `${names(crossed)} ${one ? "is" : "are"} folded ${parts.length ? "in too" : "into Other groups"}: shown beside the ${folded.across || "other groups"}, ${one ? "it" : "they"} would give away fewer than ${n} people’s answers.`,
    );
  }
  if (folded.also.length) {
    parts.push(
      `${names(folded.also)} ${folded.also.length === 1 ? "is" : "are"} folded in too: otherwise the whole room’s results minus the groups shown would give the folded groups’ answers away.`,
    );
  }
  if (!folded.other_shown) {
    parts.push(`Together they are still fewer than ${n} people, so Other groups is hidden as well.`);
  }
  return parts.join(" ");
}

/**
 * Why "By opinion group" has nothing to show on `stage`: not a statements stage; a
 * statements stage whose plan turns them off (its results say "off", or carry no
 * `opinion`); or one whose results have not come yet.
 */
export function opinionUnavailable(stage, message) {
  if (!stage || stage.type !== "statements") {
    return "By opinion group is for statements stages.";
  }
  if (!message) return "By opinion group shows once this stage has results.";
  return "Opinion groups are off for this stage in its plan (opinion_groups: false).";
}

/**
 * breakdowns({switchEl, numbersEl, consensusEl, act}) -> {render(view), controls(off)}
 * `view` is console.js's view: {state, results, comments}.
 */
export function breakdowns({ switchEl, numbersEl, consensusEl, act }) {
  let last = null;
  const buttons = CHOICES.map(([value, words]) =>
    h(
      "button",
      {
        type: "button",
        class: "secondary small",
        "aria-pressed": "false",
        dataset: { breakdown: value },
        onclick: () => act("set_breakdown", { breakdown: value }),
      },
      words,
    ),
  );
  const hint = h("p", { class: "breakdown-hint muted", id: "breakdown-hint" });
  fill(
    switchEl,
    h(
      "div",
      { class: "breakdown-buttons", role: "group", "aria-label": "Projector shows results for", "aria-describedby": "breakdown-hint" },
      buttons,
    ),
    hint,
  );

  function render(view) {
    last = view;
    const state = view.state;
    if (!state) return;
    const breakdown = state.breakdown || "room";
    const noTables = !(state.tables && state.tables.length);
    const stage = state.stage;
    // Opinion groups are a statements stage's, while its plan has them on: the stage's
    // results say so (their `opinion`, facilitation/opinion/view.py).
    const message = view.results && stage && view.results.stage === stage.key ? view.results : null;
    const opinion = message ? message.opinion : null;
    const noOpinion = !opinionOn(opinion);
    const statementsStage = Boolean(stage && stage.type === "statements");
    for (const button of buttons) {
      const value = button.dataset.breakdown;
      button.setAttribute("aria-pressed", value === breakdown ? "true" : "false");
      const unavailable = (value === "table" && noTables) || (value === "opinion" && noOpinion);
      button.dataset.unavailable = unavailable ? "yes" : "no";
      // Only a statements stage has opinion groups: elsewhere the choice is left out
      // (while it is not the one in force), not offered and then explained away.
      if (value === "opinion") button.hidden = !statementsStage && breakdown !== "opinion";
    }
    const hasComments = stage && stage.comments;
    hint.textContent = hintWords({ breakdown, stage, message, opinion, noOpinion, hasComments });
    if (noTables && breakdown !== "opinion") hint.textContent += " Add tables under People and tables to compare them.";
    if (noOpinion && statementsStage && breakdown !== "opinion") {
      hint.textContent += ` ${opinionUnavailable(stage, message)}`;
    }
    renderNumbers(view, breakdown);
    renderConsensus(view, breakdown);
    controls(switchEl.dataset.off === "yes");
  }

  function hintWords({ breakdown, stage, message, opinion, noOpinion, hasComments }) {
    return (
      breakdown === "room"
        ? "The projector shows the whole room’s results."
        : breakdown === "sector"
          ? `The projector compares sectors${hasComments ? ", and ranks comments by where sectors agree or split" : ""}.`
          : breakdown === "opinion"
            ? noOpinion
              ? `${opinionUnavailable(stage, message)} The projector shows the whole room’s results.`
              : opinion.status === "formed"
                ? "The projector shows the opinion groups: who voted alike, what every group agrees on, what splits them."
                : "The projector says why opinion groups have not formed yet, over the ranking; the groups follow once they do."
            : "The projector compares tables."
    );
  }

  // The numbers per group, for screen readers and for reading exact counts.
  function renderNumbers(view, breakdown) {
    const stage = view.state.stage;
    const message = view.results && view.results.stage === stage.key ? view.results : null;
    const groups = breakdown !== "room" && message && message.groups;
    const note = breakdown !== "room" && message ? foldNote(message.folded) : null;
    const noteEl = note ? h("p", { class: "fold-note muted", role: "note" }, note) : null;
    if (!groups || !groups.length) {
      fill(numbersEl, noteEl);
      return;
    }
    fill(
      numbersEl,
      noteEl,
      h(
        "details",
        { class: "group-numbers" },
        h("summary", {}, `Numbers ${breakdown === "sector" ? "per sector" : "per table"}`),
        // Each table scrolls sideways in its own box on a narrow screen (WCAG 1.4.10).
        groups.map((group) =>
          h(
            "div",
            { class: "table-scroll", tabindex: "0", role: "region", "aria-label": `Numbers: ${group.label}` },
            groupTable(group, { visible: true }),
          ),
        ),
      ),
    );
  }

  function renderConsensus(view, breakdown) {
    const stage = view.state.stage;
    const comments = (view.comments && view.comments.stage === stage.key && view.comments.comments) || [];
    const shown = comments.filter((c) => !c.hidden);
    if (!stage.comments || !shown.length) {
      consensusEl.hidden = true;
      fill(consensusEl);
      return;
    }
    consensusEl.hidden = false;
    const notable = consensusOrder(shown).filter((c) => consensusBadge(c.consensus));
    fill(
      consensusEl,
      h("h3", { class: "pane-heading", id: "consensus-heading" }, "Where sectors agree / split"),
      h(
        "p",
        { class: "consensus-rule muted" },
        breakdown === "sector"
          ? "The projector shows this view now."
          : "Choose “By sector” to show this on the projector.",
        " Agreed: at least two sectors voted, and more than half of every one of them agrees.",
        ` Sectors where fewer than ${view.state.min_group_size || 3} people voted on a comment count together as Other groups (or not at all while those are fewer too), so no one’s vote can be singled out.`,
      ),
      notable.length
        ? h(
            "ol",
            { class: "consensus-list" },
            notable.map((comment) =>
              h(
                "li",
                { class: `consensus-item status-${comment.consensus.status}` },
                h("span", { class: "consensus-badge" }, consensusBadge(comment.consensus)),
                h("p", { class: "consensus-text" }, comment.text),
                h(
                  "p",
                  { class: "consensus-sectors" },
                  comment.consensus.by_sector.map(sectorVotes).join(" · "),
                ),
              ),
            ),
          )
        : h(
            "p",
            { class: "muted consensus-empty" },
            "No comment has votes from two sectors that agree or split yet.",
          ),
    );
  }

  function controls(off) {
    switchEl.dataset.off = off ? "yes" : "no";
    for (const button of buttons) {
      button.disabled = off || button.dataset.unavailable === "yes";
    }
  }

  return {
    render,
    controls(off) {
      controls(off);
    },
    rerender() {
      if (last) render(last);
    },
  };
}
