// The plan editor: a structured form for everything a plan holds, a YAML tab for the text
// itself, saving, and the phone preview.
//
// The form edits a plain object (the server's `plan_form`, docs/plan-format.md's fields)
// and serialises it to YAML (plan-yaml.js); the server checks every save with the same
// loader as `plan check`, so its problems (line and field) are shown next to the fields
// they name.
// A refused save changes nothing stored, and nothing typed here is thrown away.

import { fill, h } from "./live.js";
import { deckList, onDecksChanged, replacePanel } from "./plan-decks.js";
import { toYaml } from "./plan-yaml.js";
import { PAPER, accentProblem, contrast } from "./theme-colours.js";

const body = document.body;
const readonly = body.dataset.readonly === "true";
const TYPES = JSON.parse(body.dataset.types);
// What a stage of each type holds, from the server's activity registry (editor_types).
const ACTIVITY_TYPES = JSON.parse(body.dataset.activityTypes);
const KINDS = new Map(ACTIVITY_TYPES.map((kind) => [kind.name, kind]));
const UNKNOWN_KIND = { plan_fields: [], min_items: null, always_comments: false };
const kindOf = (stage) => KINDS.get(stage.type) || UNKNOWN_KIND;
// The images in the plans folder a plan may name as its logo (plans/theme.py logo_names).
const LOGOS = JSON.parse(body.dataset.logos || "[]");
const formPanel = document.getElementById("form-panel");
const yamlPanel = document.getElementById("yaml-panel");
const yamlText = document.getElementById("yaml-source");
const tabForm = document.getElementById("tab-form");
const tabYaml = document.getElementById("tab-yaml");
const problems = document.getElementById("problems");
const planForm = document.getElementById("plan-form");
const saveButton = document.getElementById("save-button");
const saveStatus = document.getElementById("save-status");
const previewForm = document.getElementById("preview-form");
const previewSource = document.getElementById("preview-source");
const previewStage = document.getElementById("preview-stage");
const titleHeading = document.getElementById("plan-title");
const csrf = planForm.querySelector("input[name=csrf_token]").value;

let plan = body.dataset.plan ? JSON.parse(body.dataset.plan) : null;
let mode = "yaml";
let dirty = false;
let uid = 0;

// The model ----------------------------------------------------------------------------

function slugify(text) {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}

function defaultAxes() {
  return { x: { label: "Benefit", low: "Low", high: "High" }, y: { label: "Risk", low: "Low", high: "High" } };
}

/** Fill in what a stage needs for every type, so switching type loses nothing. */
function completeStage(stage) {
  stage.items = stage.items || [];
  stage.scale = stage.scale || { min: 1, max: 5, min_label: "", max_label: "" };
  stage.axes = stage.axes || defaultAxes();
  // A slides stage's pages as the form edits them: [first, last], either may be empty.
  if (!Array.isArray(stage.pages)) stage.pages = ["", ""];
  if (stage.deck === undefined) stage.deck = "";
  for (const [key, value] of Object.entries({ body: "", comments: false, timer: null, multiple: false, max_length: 280, points: 10, size: 5, max_words: 3 })) {
    if (stage[key] === undefined) stage[key] = value;
  }
  return stage;
}

function newStage() {
  const keys = new Set(plan.stages.map((s) => s.key));
  let n = plan.stages.length + 1;
  while (keys.has(`stage-${n}`)) n += 1;
  return completeStage({ key: `stage-${n}`, title: "", prompt: "", type: "info", autoKey: true });
}

function changed() {
  dirty = true;
  if (saveStatus) {
    saveStatus.dataset.state = "dirty";
    saveStatus.textContent = "Unsaved changes";
  }
}

// Building the form ---------------------------------------------------------------------

const nextId = (path) => `f${(uid += 1)}-${path.replace(/[^a-z0-9]+/gi, "-")}`;

function field(label, path, control, hint) {
  const id = control.id || nextId(path);
  control.id = id;
  control.dataset.path = path;
  if (readonly) control.disabled = true;
  const hintEl = hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field", dataset: { field: path } }, h("label", { for: id }, label), hintEl, control);
}

function textInput(object, key, path, { onInput, maxlength } = {}) {
  const input = h("input", { type: "text", value: object[key] ?? "" });
  if (maxlength) input.maxLength = maxlength;
  input.value = object[key] ?? "";
  input.addEventListener("input", () => {
    object[key] = input.value;
    if (onInput) onInput(input.value);
    changed();
  });
  return input;
}

function textArea(object, key, rows = 3) {
  const area = h("textarea", { rows });
  area.value = object[key] ?? "";
  area.addEventListener("input", () => {
    object[key] = area.value;
    changed();
  });
  return area;
}

function numberInput(object, key, { min, max, placeholder } = {}) {
  const input = h("input", { type: "number", inputmode: "numeric", step: 1, class: "number-input" });
  if (min !== undefined) input.min = min;
  if (max !== undefined) input.max = max;
  if (placeholder) input.placeholder = placeholder;
  input.value = object[key] ?? "";
  input.addEventListener("input", () => {
    object[key] = input.value;
    changed();
  });
  return input;
}

function checkbox(object, key, label, path, onChange) {
  const id = nextId(path);
  const input = h("input", { type: "checkbox", id, dataset: { path } });
  input.checked = !!object[key];
  if (readonly) input.disabled = true;
  input.addEventListener("change", () => {
    object[key] = input.checked;
    changed();
    if (onChange) onChange();
  });
  return h("div", { class: "field", dataset: { field: path } }, h("label", { class: "check", for: id }, input, h("span", {}, label)));
}

function smallButton(text, label, onClick, extra = "") {
  return h(
    "button",
    { type: "button", class: `secondary small ${extra}`.trim(), "aria-label": label, title: label, hidden: readonly, onclick: onClick },
    text,
  );
}

/** Up / down / remove controls for entry ``index`` of ``list``. */
function rowTools(list, index, what, focusPath) {
  const move = (delta) => () => {
    const target = index + delta;
    if (target < 0 || target >= list.length) return;
    [list[index], list[target]] = [list[target], list[index]];
    changed();
    render(focusPath(target));
  };
  return h(
    "div",
    { class: "row-tools" },
    smallButton("↑", `Move ${what} up`, move(-1)),
    smallButton("↓", `Move ${what} down`, move(1)),
    smallButton("Remove", `Remove ${what}`, () => {
      list.splice(index, 1);
      changed();
      render();
    }, "danger-text"),
  );
}

function nameList(list, path, what, hint, max) {
  const rows = list.map((name, index) => {
    const input = h("input", { type: "text", maxlength: max });
    input.value = name;
    input.id = nextId(`${path}-${index}`);
    input.dataset.path = `${path}[${index + 1}]`;
    input.setAttribute("aria-label", `${what} ${index + 1}`);
    if (readonly) input.disabled = true;
    input.addEventListener("input", () => {
      list[index] = input.value;
      changed();
    });
    return h("li", { class: "name-row field", dataset: { field: `${path}[${index + 1}]` } }, input, rowTools(list, index, `${what.toLowerCase()} ${index + 1}`, (i) => `${path}[${i + 1}]`));
  });
  return h(
    "div",
    { class: "name-list", dataset: { field: path } },
    hint ? h("p", { class: "hint" }, hint) : null,
    h("ul", { class: "rows" }, rows),
    smallButton(`Add a ${what.toLowerCase()}`, `Add a ${what.toLowerCase()}`, () => {
      list.push("");
      changed();
      render(`${path}[${list.length}]`);
    }, "add"),
  );
}

function section(title, id, ...children) {
  return h("section", { class: "card editor-section", "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

function aboutSection() {
  return section(
    "About the plan",
    "sec-about",
    field("Title", "title", textInput(plan, "title", "title", { onInput: (v) => (titleHeading.textContent = v || "Untitled plan"), maxlength: 200 })),
    field("Description", "description", textArea(plan, "description", 3), "What the workshop is for, shown on the dashboard."),
    field("Privacy notice", "privacy_notice", textArea(plan, "privacy_notice", 4), "Shown before joining: what is collected, why, and for how long."),
    field("Keep answers for (days)", "retention_days", numberInput(plan, "retention_days", { min: 1, max: 3650 }), "1 to 3650 days."),
  );
}

function groupsSection() {
  return section(
    "Sectors and tables",
    "sec-groups",
    h("h3", {}, "Sectors"),
    nameList(plan.sectors, "sectors", "Sector", "Participants pick one when they join; results can be split by sector. At least one.", 80),
    h("h3", {}, "Breakout tables"),
    nameList(plan.tables, "tables", "Table", "Optional. Participants can be placed at a table, and results split by table.", 80),
    field(
      "Smallest group shown",
      "min_group_size",
      numberInput(plan, "min_group_size", { min: 2, max: 100 }),
      "2 to 100 people (default 3). Results split by sector or table show a group only when at least this many people in it answered; smaller groups are folded into “Other groups”, so no one’s answer can be singled out.",
    ),
  );
}

function moderationSection() {
  return h(
    "section",
    { class: "card editor-section", "aria-labelledby": "sec-moderation", dataset: { field: "moderation" } },
    h("h2", { id: "sec-moderation" }, "Moderation"),
    checkbox(plan.moderation, "profanity_filter", "Hide swearing in what participants write", "moderation.profanity_filter"),
    field(
      "Word limit",
      "moderation.word_limit",
      numberInput(plan.moderation, "word_limit", { min: 1, max: 500, placeholder: "No limit" }),
      "Most words in a comment, statement or note (1 to 500). Leave empty for no limit.",
    ),
  );
}

/** Radio buttons for `object[key]`, one per [value, label] of `options`. */
function radioGroup(object, key, path, legend, options) {
  const name = nextId(path);
  return h(
    "fieldset",
    { class: "choice-group", dataset: { field: path } },
    h("legend", {}, legend),
    ...options.map(([value, label]) => {
      const id = nextId(`${path}-${value}`);
      const input = h("input", { type: "radio", name, id, value, dataset: { path } });
      input.checked = object[key] === value;
      if (readonly) input.disabled = true;
      input.addEventListener("change", () => {
        if (!input.checked) return;
        object[key] = value;
        changed();
      });
      return h("label", { class: "check", for: id }, input, h("span", {}, label));
    }),
  );
}

function flowSection() {
  plan.flow = plan.flow || { input: "on_show", reveal: "next_press" };
  return h(
    "section",
    { class: "card editor-section", "aria-labelledby": "sec-flow", dataset: { field: "flow" } },
    h("h2", { id: "sec-flow" }, "How stages run"),
    h("p", { class: "hint" }, "What one press of the console’s big button (or a presentation clicker) does. The console can change this for one session."),
    radioGroup(plan.flow, "input", "flow.input", "Participants can answer", [
      ["on_show", "When the stage is shown"],
      ["manual", "When I open it"],
    ]),
    radioGroup(plan.flow, "reveal", "flow.reveal", "Results are shown", [
      ["next_press", "On the next press"],
      ["on_close", "When answering closes"],
      ["manual", "When I reveal them"],
    ]),
  );
}

function selfPacedSection() {
  const defaults = { results: true, comments: true, approve_comments: true, profile: true };
  plan.self_paced = { ...defaults, ...(plan.self_paced || {}) };
  const settings = plan.self_paced;
  return h(
    "section",
    { class: "card editor-section", "aria-labelledby": "sec-self-paced", dataset: { field: "self_paced" } },
    h("h2", { id: "sec-self-paced" }, "As a self-paced run"),
    h("p", { class: "hint" }, "When the plan is published as a self-paced run (an online consultation, each person at their own pace). The facilitator can change these when publishing a run."),
    checkbox(settings, "results", "Show a stage’s results after the person answers it", "self_paced.results"),
    checkbox(settings, "comments", "Take comments, and agreeing or disagreeing with others’", "self_paced.comments"),
    checkbox(settings, "approve_comments", "Approve comments before others see them", "self_paced.approve_comments"),
    checkbox(settings, "profile", "Show the framework profile at the end", "self_paced.profile"),
  );
}

/** What the accent field says: why the server would refuse it, or its contrast. */
function accentWords(theme) {
  const accent = (theme.accent || "").trim();
  if (!accent) return ["", false];
  const problem = accentProblem(accent, theme.mode);
  if (problem) return [`This accent ${problem}.`, true];
  const ratio = contrast(accent, PAPER[theme.mode] || PAPER.light).toFixed(1);
  return [`Contrast with the ${theme.mode} page: ${ratio}:1 (at least 3:1 needed).`, false];
}

function themeSection() {
  plan.theme = plan.theme || { accent: "", mode: "light", logo: "" };
  const theme = plan.theme;
  const check = h("p", { class: "hint accent-check", "aria-live": "polite" });
  const showCheck = () => {
    const [words, wrong] = accentWords(theme);
    check.textContent = words;
    check.classList.toggle("error", wrong);
  };
  const picker = h("input", { type: "color", class: "colour-picker", "aria-label": "Pick the accent colour" });
  const showInPicker = () => {
    picker.value = /^#[0-9a-f]{6}$/i.test(theme.accent || "") ? theme.accent.toLowerCase() : "#1d5e9e";
  };
  const accent = textInput(theme, "accent", "theme.accent", {
    maxlength: 7,
    onInput: () => {
      showInPicker();
      showCheck();
    },
  });
  accent.placeholder = "#1d5e9e";
  accent.spellcheck = false;
  accent.classList.add("colour-text");
  showInPicker();
  if (readonly) picker.disabled = true;
  picker.addEventListener("input", () => {
    theme.accent = picker.value;
    accent.value = picker.value;
    showCheck();
    changed();
  });
  const modeSelect = h(
    "select",
    {},
    h("option", { value: "light", selected: theme.mode !== "dark" }, "Light: dark text on white"),
    h("option", { value: "dark", selected: theme.mode === "dark" }, "Dark: light text on near-black"),
  );
  modeSelect.addEventListener("change", () => {
    theme.mode = modeSelect.value;
    showCheck();
    changed();
  });
  const names = theme.logo && !LOGOS.includes(theme.logo) ? [theme.logo, ...LOGOS] : LOGOS;
  const logoSelect = h(
    "select",
    {},
    h("option", { value: "", selected: !theme.logo }, "No logo"),
    names.map((name) => h("option", { value: name, selected: name === theme.logo }, name)),
  );
  logoSelect.addEventListener("change", () => {
    theme.logo = logoSelect.value;
    changed();
  });
  const accentField = field("Accent colour", "theme.accent", accent, "Marks the projector’s rules and one-colour charts. Written #rrggbb; leave empty for the app’s blue.");
  accentField.querySelector("input").after(picker);
  accentField.append(check);
  showCheck();
  return h(
    "section",
    { class: "card editor-section", "aria-labelledby": "sec-theme", dataset: { field: "theme" } },
    h("h2", { id: "sec-theme" }, "Projector look"),
    accentField,
    field("Projector background", "theme.mode", modeSelect),
    field(
      "Logo",
      "theme.logo",
      logoSelect,
      LOGOS.length
        ? "An image from the server’s plans folder, shown in a corner of the projector."
        : "No images are in the server’s plans folder yet: whoever runs the server can add a PNG, JPEG or WebP logo there.",
    ),
  );
}

function scenariosSection() {
  const cards = plan.scenarios.map((scenario, index) => {
    const path = `scenarios[${index + 1}]`;
    return h(
      "fieldset",
      { class: "entry-card", dataset: { field: path } },
      h("legend", {}, `Scenario ${index + 1}`),
      rowTools(plan.scenarios, index, `scenario ${index + 1}`, (i) => `scenarios[${i + 1}].title`),
      h(
        "div",
        { class: "two-columns" },
        field("Title", `${path}.title`, textInput(scenario, "title", `${path}.title`, { maxlength: 200 })),
        field("Key", `${path}.key`, textInput(scenario, "key", `${path}.key`, { maxlength: 80 }), "Lower-case letters, digits and dashes."),
      ),
      field("Summary", `${path}.summary`, textArea(scenario, "summary", 3)),
      h(
        "div",
        { class: "three-columns" },
        field("Data", `${path}.data`, textInput(scenario, "data", `${path}.data`), "Optional, e.g. health records."),
        field("Who shares with whom", `${path}.sharing`, textInput(scenario, "sharing", `${path}.sharing`), "Optional."),
        field("Anonymisation", `${path}.anonymisation`, textInput(scenario, "anonymisation", `${path}.anonymisation`), "Optional."),
      ),
    );
  });
  return section(
    "Scenarios",
    "sec-scenarios",
    h("p", { class: "hint" }, "Concrete data sharing initiatives the room assesses; the facilitator picks one per session. Optional."),
    cards,
    smallButton("Add a scenario", "Add a scenario", () => {
      plan.scenarios.push({ key: "", title: "", summary: "", data: "", sharing: "", anonymisation: "" });
      changed();
      render(`scenarios[${plan.scenarios.length}].title`);
    }, "add"),
  );
}

function itemsEditor(stage, path) {
  const needed = kindOf(stage).min_items;
  const rows = stage.items.map((item, index) => {
    const itemPath = `${path}.items[${index + 1}]`;
    return h(
      "li",
      { class: "item-row", dataset: { field: itemPath } },
      h(
        "div",
        { class: "item-fields" },
        field("Label", `${itemPath}.label`, textInput(item, "label", `${itemPath}.label`)),
        field("Key", `${itemPath}.key`, textInput(item, "key", `${itemPath}.key`, { maxlength: 80 }), "Optional: made from the label."),
        field("Description", `${itemPath}.description`, textInput(item, "description", `${itemPath}.description`), "Optional."),
      ),
      rowTools(stage.items, index, `item ${index + 1}`, (i) => `${path}.items[${i + 1}].label`),
    );
  });
  const word = KINDS.get(stage.type)?.item_word || "item";
  return h(
    "div",
    { class: "items-editor", dataset: { field: `${path}.items` } },
    h("h3", {}, `${word[0].toUpperCase()}${word.slice(1)}s`),
    h(
      "p",
      { class: "hint" },
      needed === 0
        ? "Optional: with no items, the room places the scenario itself."
        : `At least ${needed} ${word}${needed === 1 ? "" : "s"}.`,
    ),
    h("ol", { class: "rows" }, rows),
    smallButton(`Add an ${word}`, `Add an ${word}`, () => {
      stage.items.push({ key: "", label: "", description: "" });
      changed();
      render(`${path}.items[${stage.items.length}].label`);
    }, "add"),
  );
}

// The form's part for each stage field an activity type reads (its plan_fields), in order.
const FIELD_EDITORS = {
  items: itemsEditor,
  multiple: (stage, path) => checkbox(stage, "multiple", "Participants may pick several options", `${path}.multiple`),
  scale: (stage, path) =>
    h(
      "div",
      { class: "four-columns", dataset: { field: `${path}.scale` } },
      field("Scale from", `${path}.scale.min`, numberInput(stage.scale, "min")),
      field("to", `${path}.scale.max`, numberInput(stage.scale, "max"), "2 to 11 points."),
      field("Lowest means", `${path}.scale.min_label`, textInput(stage.scale, "min_label", `${path}.scale.min_label`), "e.g. Not at all"),
      field("Highest means", `${path}.scale.max_label`, textInput(stage.scale, "max_label", `${path}.scale.max_label`), "e.g. Fully"),
    ),
  points: (stage, path) =>
    field("Points to spend", `${path}.points`, numberInput(stage, "points", { min: 1, max: 100 }), "1 to 100; each participant may leave some unspent."),
  axes: (stage, path) =>
    ["x", "y"].map((name) => {
      const axisPath = `${path}.axes.${name}`;
      return h(
        "div",
        { class: "three-columns", dataset: { field: axisPath } },
        field(name === "x" ? "Across (x axis)" : "Up (y axis)", `${axisPath}.label`, textInput(stage.axes[name], "label", `${axisPath}.label`, { maxlength: 80 })),
        field("Low end", `${axisPath}.low`, textInput(stage.axes[name], "low", `${axisPath}.low`, { maxlength: 80 })),
        field("High end", `${axisPath}.high`, textInput(stage.axes[name], "high", `${axisPath}.high`, { maxlength: 80 })),
      );
    }),
  size: (stage, path) => field("Cells per axis", `${path}.size`, numberInput(stage, "size", { min: 3, max: 11 }), "3 to 11."),
  max_words: (stage, path) =>
    field("Words per answer", `${path}.max_words`, numberInput(stage, "max_words", { min: 1, max: 10 }), "1 to 10."),
  deck: (stage, path) => field("Deck", `${path}.deck`, deckSelect(stage), "Upload decks under Slide decks, below the plan."),
  pages: (stage, path) =>
    h(
      "div",
      { class: "two-columns", dataset: { field: `${path}.pages` } },
      field("From page", `${path}.pages.first`, numberInput(stage.pages, 0, { min: 1, placeholder: "1" })),
      field("To page", `${path}.pages.last`, numberInput(stage.pages, 1, { min: 1, placeholder: "Last" }), "Leave both empty to show every page."),
    ),
};

/** The decks uploaded for the plan, and the one the stage names if it is not (yet). */
function deckSelect(stage) {
  const decks = deckList();
  const names = decks.map((deck) => deck.name);
  const select = h(
    "select",
    {},
    h("option", { value: "", selected: !stage.deck }, "Choose a deck"),
    decks.map((deck) =>
      h("option", { value: deck.name, selected: deck.name === stage.deck }, `${deck.name} (${deck.pages} page${deck.pages === 1 ? "" : "s"})`),
    ),
    stage.deck && !names.includes(stage.deck)
      ? h("option", { value: stage.deck, selected: true }, `${stage.deck} (not uploaded yet)`)
      : null,
  );
  select.addEventListener("change", () => {
    stage.deck = select.value;
    changed();
  });
  return select;
}

function typeSettings(stage, path) {
  const fields = kindOf(stage).plan_fields;
  return Object.entries(FIELD_EDITORS)
    .filter(([name]) => fields.includes(name))
    .flatMap(([, editor]) => editor(stage, path));
}

function stageCard(stage, index) {
  const path = `stages[${index + 1}]`;
  const always = kindOf(stage).always_comments;
  const heading = h("span", { class: "stage-card-title" }, stage.title || "Untitled stage");
  const typeSelect = h(
    "select",
    {},
    Object.entries(TYPES).map(([value, name]) => h("option", { value, selected: value === stage.type }, name)),
  );
  typeSelect.addEventListener("change", () => {
    stage.type = typeSelect.value;
    // The plan's only deck is the one a new slides stage shows: no choice to make.
    const decks = deckList();
    const takesDeck = kindOf(stage).plan_fields.includes("deck");
    if (takesDeck && !stage.deck && decks.length === 1) stage.deck = decks[0].name;
    changed();
    render(`${path}.type`);
  });
  const keyInput = textInput(stage, "key", `${path}.key`, {
    maxlength: 80,
    onInput: () => {
      stage.autoKey = false;
    },
  });
  const titleInput = textInput(stage, "title", `${path}.title`, {
    maxlength: 200,
    onInput: (value) => {
      heading.textContent = value || "Untitled stage";
      if (stage.autoKey) {
        stage.key = slugify(value);
        keyInput.value = stage.key;
      }
    },
  });
  return h(
    "fieldset",
    { class: `entry-card stage-card stage-type-${stage.type}`, dataset: { field: path, stage: String(index + 1) } },
    h("legend", {}, h("span", { class: "stage-number" }, String(index + 1)), heading, h("span", { class: "stage-card-type" }, TYPES[stage.type] || stage.type)),
    h(
      "div",
      { class: "stage-tools" },
      h("button", { type: "button", class: "secondary small preview-stage", onclick: () => preview(stage.key) }, "Preview"),
      rowTools(plan.stages, index, `stage ${index + 1}`, (i) => `stages[${i + 1}].title`),
    ),
    h(
      "div",
      { class: "two-columns" },
      field("Title", `${path}.title`, titleInput),
      field("Key", `${path}.key`, keyInput, "Lower-case letters, digits, - and _; unique."),
    ),
    field("Prompt", `${path}.prompt`, textArea(stage, "prompt", 2), "The question or instruction participants see."),
    field("Activity", `${path}.type`, typeSelect, KINDS.get(stage.type)?.hint),
    field("Body", `${path}.body`, textArea(stage, "body", 3), "Optional text of the card; a blank line starts a new paragraph."),
    typeSettings(stage, path),
    h(
      "div",
      { class: "stage-options" },
      always
        ? h("p", { class: "hint always-comments" }, "Participants always write here: their answers are comments.")
        : checkbox(stage, "comments", "Participants may comment", `${path}.comments`, () => render(`${path}.comments`)),
      always || stage.comments
        ? field("Characters per comment", `${path}.max_length`, numberInput(stage, "max_length", { min: 20, max: 2000 }), "20 to 2000.")
        : null,
      field("Timer (seconds)", `${path}.timer`, numberInput(stage, "timer", { min: 10, max: 3600, placeholder: "None" }), "Optional suggested countdown, 10 to 3600."),
    ),
  );
}

function stagesSection() {
  return h(
    "section",
    { class: "card editor-section", "aria-labelledby": "sec-stages", dataset: { field: "stages" } },
    h("h2", { id: "sec-stages" }, "Stages"),
    h("p", { class: "hint" }, "Shown in this order. Each stage is one screen on the phones."),
    plan.stages.map(stageCard),
    smallButton("Add a stage", "Add a stage", () => {
      plan.stages.push(newStage());
      changed();
      render(`stages[${plan.stages.length}].title`);
    }, "add add-stage"),
  );
}

function render(focusPath = null) {
  fill(
    formPanel,
    aboutSection(),
    groupsSection(),
    moderationSection(),
    flowSection(),
    selfPacedSection(),
    themeSection(),
    scenariosSection(),
    stagesSection(),
  );
  refreshPreviewStages();
  if (focusPath) {
    const target = formPanel.querySelector(`[data-path="${CSS.escape(focusPath)}"]`);
    if (target) target.focus();
  }
  if (lastErrors.length) markFields(lastErrors);
}

// Problems ------------------------------------------------------------------------------

let lastErrors = [];

function describe(error) {
  return [error.line ? `Line ${error.line}` : null, error.field || null, error.message].filter(Boolean).join(": ");
}

/** The field a problem names, or its nearest enclosing part of the form. */
function fieldFor(path) {
  let current = path;
  while (current) {
    const found = formPanel.querySelector(`[data-field="${CSS.escape(current)}"]`);
    if (found) return found;
    const cut = Math.max(current.lastIndexOf("."), current.lastIndexOf("["));
    if (cut <= 0) break;
    current = current.slice(0, cut);
  }
  return null;
}

function markFields(errors) {
  for (const old of formPanel.querySelectorAll(".inline-error")) old.remove();
  for (const old of formPanel.querySelectorAll(".has-error")) old.classList.remove("has-error");
  for (const old of formPanel.querySelectorAll("[aria-invalid]")) old.removeAttribute("aria-invalid");
  for (const error of errors) {
    const target = error.field ? fieldFor(error.field) : null;
    if (!target) continue;
    target.classList.add("has-error");
    const control = target.querySelector("input, textarea, select");
    if (control && target.dataset.field === error.field) control.setAttribute("aria-invalid", "true");
    const message = h("p", { class: "error inline-error" }, describe(error));
    const label = target.querySelector(":scope > label, :scope > legend");
    if (label) label.after(message);
    else target.prepend(message);
  }
}

function showProblems(errors, heading) {
  lastErrors = errors;
  if (!errors.length && !heading) {
    problems.hidden = true;
    problems.replaceChildren();
    if (mode === "form") markFields([]);
    return;
  }
  problems.hidden = false;
  fill(
    problems,
    h("p", { class: "error-text" }, heading),
    errors.length
      ? h(
          "ul",
          { class: "plan-errors" },
          errors.map((error) =>
            h(
              "li",
              {},
              error.line ? h("span", { class: "error-line" }, `Line ${error.line}`) : null,
              error.field ? h("code", { class: "error-field" }, error.field) : null,
              h("span", { class: "error-message" }, error.message),
              mode === "form" && error.field && fieldFor(error.field)
                ? h("button", { type: "button", class: "link-button", onclick: () => focusField(error) }, "Show")
                : null,
            ),
          ),
        )
      : null,
  );
  if (mode === "form") markFields(errors);
}

function focusField(error) {
  const target = fieldFor(error.field);
  if (!target) return;
  target.scrollIntoView({ block: "center" });
  const control = target.querySelector("input, textarea, select");
  if (control) control.focus();
}

// Tabs ---------------------------------------------------------------------------------

function currentSource() {
  return mode === "form" && plan ? toYaml(plan, ACTIVITY_TYPES) : yamlText.value;
}

function showTab(next) {
  mode = next;
  tabForm.setAttribute("aria-selected", String(next === "form"));
  tabYaml.setAttribute("aria-selected", String(next === "yaml"));
  formPanel.hidden = next !== "form";
  yamlPanel.hidden = next !== "yaml";
}

async function toForm() {
  if (mode === "form") return;
  const response = await post(body.dataset.parseUrl, yamlText.value);
  const reply = await response.json();
  if (!reply.ok) {
    showProblems(reply.errors, "The form needs a valid plan: fix these problems in the YAML first.");
    return;
  }
  plan = reply.plan;
  plan.stages.forEach(completeStage);
  showTab("form");
  showProblems([], null);
  render();
}

function toYamlTab() {
  if (mode === "yaml") return;
  if (plan) yamlText.value = toYaml(plan, ACTIVITY_TYPES);
  showTab("yaml");
  if (lastErrors.length) showProblems(lastErrors, problems.querySelector("p")?.textContent || "");
}

tabForm.addEventListener("click", toForm);
tabYaml.addEventListener("click", toYamlTab);
yamlText.addEventListener("input", changed);

// Saving -------------------------------------------------------------------------------

function post(url, source, accept = "application/json") {
  const data = new FormData();
  data.append("csrf_token", csrf);
  data.append("source", source);
  return fetch(url, { method: "POST", body: data, headers: { Accept: accept }, credentials: "same-origin" });
}

async function save(event) {
  event.preventDefault();
  if (readonly) return;
  const source = currentSource();
  saveButton.disabled = true;
  saveStatus.dataset.state = "saving";
  saveStatus.textContent = "Saving…";
  let reply;
  try {
    const response = await post(body.dataset.saveUrl, source);
    reply = await response.json();
  } catch {
    reply = { ok: false, refused: "The server could not be reached. Your edits are still here: try again." };
  }
  saveButton.disabled = false;
  if (reply.ok) {
    dirty = false;
    if (mode === "yaml") yamlText.value = source;
    saveStatus.dataset.state = "saved";
    replacePanel(reply.decks_panel);
    // Saved, but a session cannot open it until its slides stages' decks are uploaded.
    const deckProblems = reply.deck_problems || [];
    saveStatus.textContent = deckProblems.length ? "Saved ✓, but see the problems above" : "Saved ✓";
    showProblems(deckProblems, deckProblems.length ? "Saved. Before a session can open this plan:" : null);
    preview();
    return;
  }
  saveStatus.dataset.state = "error";
  if (reply.refused) {
    saveStatus.textContent = "Not saved.";
    showProblems([], reply.refused);
    return;
  }
  const count = reply.errors.length;
  saveStatus.textContent = `Not saved: ${count} problem${count === 1 ? "" : "s"}.`;
  showProblems(
    reply.errors,
    `Not saved: the plan has ${count} problem${count === 1 ? "" : "s"}. Your edits are still here; fix them and save again. (Lines are those of the YAML tab.)`,
  );
}

planForm.addEventListener("submit", save);

window.addEventListener("beforeunload", (event) => {
  if (dirty && !readonly) {
    event.preventDefault();
    event.returnValue = "";
  }
});

// Preview ------------------------------------------------------------------------------

function refreshPreviewStages() {
  if (mode !== "form" || !plan) return;
  const chosen = previewStage.value;
  fill(
    previewStage,
    plan.stages.map((stage, index) =>
      h("option", { value: stage.key, selected: stage.key === chosen }, `${index + 1}. ${stage.title || "Untitled stage"}`),
    ),
  );
}

function preview(stageKey = null) {
  if (stageKey !== null) {
    refreshPreviewStages();
    previewStage.value = stageKey;
  }
  previewSource.value = currentSource();
  previewForm.submit();
}

previewForm.addEventListener("submit", (event) => {
  event.preventDefault();
  preview();
});

// Start --------------------------------------------------------------------------------

// A deck uploaded or removed: the stage form's deck lists change (nothing typed is lost).
onDecksChanged(() => {
  if (mode === "form" && plan) render();
});

if (plan) {
  plan.stages.forEach(completeStage);
  showTab("form");
  render();
} else {
  showTab("yaml");
}
if (readonly) {
  for (const control of formPanel.querySelectorAll("input, textarea, select")) control.disabled = true;
}
preview();
