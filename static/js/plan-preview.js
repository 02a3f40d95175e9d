// One stage of a plan as a phone shows it, in the plan editor's preview frame.
//
// Built with the phone's own modules (activities/inputs.js, each type's input), the way
// phone.js builds a live stage, but with nothing sent anywhere: taps and comments are kept
// on this page only, so the facilitator can try the stage as a participant would.

import { fill, h } from "./live.js";
import { inputFor, loadInputs } from "./activities/inputs.js";

const data = JSON.parse(document.body.dataset.preview);
const view = document.getElementById("stage-view");
const stage = data.stage;
await loadInputs([stage.type]);
const input = inputFor(stage.type);

let answer; // what the person has "submitted" in the preview
const comments = [];
const own = new Set();
let nextId = 1;

const status = h("div", { class: "save-status", role: "status" });

const activity = input.view(stage, {
  sectors: data.sectors,
  tables: data.tables,
  joinedSector: null,
  submit(value) {
    answer = value;
    activity.update({ value: answer, open: true });
    status.dataset.state = "saved";
    fill(status, "Saved ✓ (preview: nothing is sent)");
  },
});

const panel = stage.comments
  ? input.comments(stage, {
      draft: "",
      keepDraft() {},
      async post(text) {
        const comment = { id: nextId, text: text.split(/\s+/).join(" "), author: "You", agree: 0, disagree: 0, passes: 0 };
        nextId += 1;
        comments.push(comment);
        own.add(comment.id);
        panel.update({ comments: [...comments], own });
        return { ok: true, comment_id: comment.id };
      },
      async react() {
        return { ok: true };
      },
    })
  : null;

const card = input.card(stage);
if (card) card.update({ scenario: data.scenario || null });

fill(
  view,
  h(
    "article",
    { class: `stage stage-${stage.type}` },
    h(
      "header",
      { class: "stage-head" },
      h("p", { class: "stage-step" }, `Stage ${data.stage_index + 1} of ${data.stage_count}`),
      h("h1", { class: "stage-title" }, stage.title),
      h("p", { class: "stage-prompt" }, stage.prompt),
    ),
    card ? card.element : null,
    activity ? activity.element : null,
    activity ? status : null,
    panel ? panel.element : null,
  ),
);
if (activity) activity.update({ value: answer, open: true });
if (panel) panel.update({ open: true, comments: [], own, reactions: {} });
