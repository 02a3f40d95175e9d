// What a stage shows on a phone unless its type's module says otherwise (the browser's
// side of facilitation/activities/base.py). A type's module in this folder exports only
// the parts where it differs; the registry (../inputs.js) lays them over these.
//
// The parts, in the order a stage meets them:
//
// - card(stage): what sits between the stage's prompt and its controls, as
//   {element, update({scenario})}, or null. update() is called on every `state`, with the
//   scenario the facilitator has chosen (or null).
// - view(stage, ctx): the controls that take an answer, as {element, update({value, open})},
//   or null for a stage that takes no answer. ctx.submit(value) sends an answer (the view
//   never talks to the server itself); ctx.sectors lists the plan's sectors and
//   ctx.joinedSector the one chosen on the join form. update() is called whenever what the
//   server stored, or what is being saved, or whether input is open changes; it must not
//   throw away what the person is still arranging (a ranking or ticks not yet submitted).
// - comments(stage, ctx): the panel for the stage's comments (phone-comments.js says what
//   ctx carries), as {element, update({open, comments, own, reactions})}.
// - resultLabels(): labels, by key, for entries of the stage's results that are not its
//   items, in this phone's language.

import { h, paragraphs } from "../../live.js";
import { commentsPanel } from "../../phone-comments.js";

/** The stage's body, if it has one, as a card above its controls. */
export function card(stage) {
  if (!stage.body) return null;
  return { element: h("div", { class: "card info-card" }, paragraphs(stage.body)), update() {} };
}

export function view() {
  return null;
}

export function comments(stage, ctx) {
  return commentsPanel(stage, ctx);
}

export function resultLabels() {
  return {};
}
