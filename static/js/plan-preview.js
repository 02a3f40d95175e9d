// One stage of a plan as a phone shows it, in the plan editor's preview frame.
//
// Built with the phone's own modules (phone-activities.js, phone-comments.js), the way
// phone.js builds a live stage, but with nothing sent anywhere: taps and comments are
// kept on this page only, so the facilitator can try the stage as a participant would.

import { fill, h, paragraphs } from "./live.js";
import { activityView, scenarioCard } from "./phone-activities.js";
import { commentsPanel } from "./phone-comments.js";

const data = JSON.parse(document.body.dataset.preview);
const view = document.getElementById("stage-view");
const stage = data.stage;

let answer; // what the person has "submitted" in the preview
const comments = [];
const own = new Set();
let nextId = 1;

function previewScenario() {
  const scenario = data.scenario;
  if (!scenario) {
    return h("div", { class: "card scenario-card waiting" }, h("p", {}, "The facilitator will choose a scenario."));
  }
  return h("div", { class: "scenario-slot" }, scenarioCard(scenario, stage));
}

const status = h("div", { class: "save-status", role: "status" });

const activity = activityView(stage, {
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
  ? commentsPanel(stage, {
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

let card = null;
if (stage.type === "scenario") card = previewScenario();
else if (stage.body) card = h("div", { class: "card info-card" }, paragraphs(stage.body));

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
    card,
    activity ? activity.element : null,
    activity ? status : null,
    panel ? panel.element : null,
  ),
);
if (activity) activity.update({ value: answer, open: true });
if (panel) panel.update({ open: true, comments: [], own, reactions: {} });
