// The controls a phone shows for each kind of stage (docs/protocol.md, "Answer value").
//
// activityView(stage, ctx) returns {element, update({value, open})} or null for stages
// that take no answer. ctx.submit(value) sends an answer; the view never talks to the
// server itself. update() is called whenever what the server stored, or what is being
// saved, or whether input is open changes; it must not throw away what the person is
// still arranging (a ranking or a set of ticks not yet submitted).
//
// Native radio buttons and checkboxes, styled large: keyboard and screen reader
// behaviour come with them, and a tap on the label is a tap on the control.

import { h, paragraphs } from "./live.js";
import { gridView, pointsView, wordCloudView } from "./phone-new-activities.js";
import { language, sectorLabel, t } from "./phone-text.js";

const LIGHTS = [
  { key: "met", label: t("Met"), mark: "✓" },
  { key: "partly", label: t("Partly met"), mark: "~" },
  { key: "not_met", label: t("Not met"), mark: "✗" },
];

let uid = 0;
const nextId = (prefix) => `${prefix}-${(uid += 1)}`;

export function activityView(stage, ctx) {
  switch (stage.type) {
    case "sector":
      return sectorView(stage, ctx);
    case "choice":
      return stage.multiple ? multipleChoiceView(stage, ctx) : singleChoiceView(stage, ctx);
    case "rating":
      return ratingView(stage, ctx);
    case "traffic_light":
      return trafficLightView(stage, ctx);
    case "ranking":
      return rankingView(stage, ctx);
    case "points":
      return pointsView(stage, ctx);
    case "grid":
      return gridView(stage, ctx);
    case "word_cloud":
      return wordCloudView(stage, ctx);
    default:
      return null;
  }
}

/** A fieldset of big radio (or checkbox) options; `options` are {value, label, description}. */
function optionGroup({ legend, type = "radio", options, onChange, hint = null }) {
  const name = nextId("option");
  const inputs = [];
  const list = h("div", { class: "options" });
  for (const option of options) {
    const id = nextId("opt");
    const input = h("input", { type, id, name, value: option.value });
    input.addEventListener("change", () => onChange(input));
    inputs.push(input);
    list.append(
      h(
        "label",
        { class: "option", for: id },
        input,
        h(
          "span",
          { class: "option-text" },
          h("span", { class: "option-label" }, option.label),
          option.description ? h("span", { class: "option-description" }, option.description) : null,
        ),
      ),
    );
  }
  const element = h(
    "fieldset",
    { class: "activity option-group" },
    h("legend", { class: "visually-hidden" }, legend),
    hint ? h("p", { class: "activity-hint" }, hint) : null,
    list,
  );
  return { element, inputs };
}

function setEnabled(inputs, open) {
  for (const input of inputs) input.disabled = !open;
}

function sectorView(stage, ctx) {
  const { element, inputs } = optionGroup({
    legend: stage.prompt,
    hint: " ",
    options: ctx.sectors.map((sector) => ({ value: sector, label: sectorLabel(sector) })),
    onChange: (input) => ctx.submit({ sector: input.value }),
  });
  const hint = element.querySelector(".activity-hint");
  return {
    element,
    update({ value, open }) {
      for (const input of inputs) input.checked = !!value && value.sector === input.value;
      setEnabled(inputs, open);
      // Answered (at the stage, or on the join form) and closed: the closed note says it
      // is kept; "tap another" would offer what the disabled options cannot do.
      hint.hidden = !!value && !open;
      if (value) hint.textContent = t("Tap another sector to change it.");
      else if (ctx.joinedSector) {
        hint.textContent = t("When you joined you chose {sector}. Tap your sector to be counted here.", {
          sector: sectorLabel(ctx.joinedSector),
        });
      } else hint.textContent = t("Tap your sector.");
    },
  };
}

function itemOptions(stage) {
  return stage.items.map((item) => ({
    value: item.key,
    label: item.label,
    description: item.description,
  }));
}

function singleChoiceView(stage, ctx) {
  const { element, inputs } = optionGroup({
    legend: stage.prompt,
    hint: t("Tap one."),
    options: itemOptions(stage),
    onChange: (input) => ctx.submit({ choices: [input.value] }),
  });
  return {
    element,
    update({ value, open }) {
      const chosen = (value && value.choices) || [];
      for (const input of inputs) input.checked = chosen.includes(input.value);
      setEnabled(inputs, open);
    },
  };
}

const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));

function multipleChoiceView(stage, ctx) {
  let saved = [];
  let open = false;
  const note = h("p", { class: "draft-note", "aria-live": "polite" });
  const button = h("button", { type: "button", class: "wide submit" }, t("Submit"));
  const ticked = () => inputs.filter((i) => i.checked).map((i) => i.value);
  const refresh = () => {
    const now = ticked();
    const changed = !sameSet(now, saved);
    button.disabled = !open || now.length === 0 || !changed;
    if (!open) note.textContent = "";
    else if (now.length === 0) note.textContent = t("Tick at least one, then press Submit.");
    else if (changed) note.textContent = t("Not submitted yet: press Submit to save your choice.");
    else note.textContent = "";
  };
  const { element, inputs } = optionGroup({
    legend: stage.prompt,
    type: "checkbox",
    hint: t("Tick all that apply, then press Submit."),
    options: itemOptions(stage),
    onChange: refresh,
  });
  button.addEventListener("click", () => {
    const now = ticked();
    if (now.length) ctx.submit({ choices: now });
  });
  element.append(note, button);
  return {
    element,
    update({ value, open: isOpen }) {
      const dirty = !sameSet(ticked(), saved);
      saved = (value && value.choices) || [];
      open = isOpen;
      // Keep ticks the person has not submitted yet, unless input has closed on them.
      if (!dirty || !open) {
        for (const input of inputs) input.checked = saved.includes(input.value);
      }
      setEnabled(inputs, open);
      refresh();
    },
  };
}

/** One labelled block per item (rating and traffic light share the layout). */
function itemBlock(item, legendId, control) {
  return h(
    "fieldset",
    { class: "item-block", "aria-labelledby": legendId },
    h(
      "legend",
      { class: "item-legend", id: legendId },
      h("span", { class: "item-label" }, item.label),
    ),
    item.description ? h("p", { class: "item-description" }, item.description) : null,
    control,
  );
}

function ratingView(stage, ctx) {
  const scale = stage.scale || { min: 1, max: 5, min_label: "", max_label: "" };
  const points = [];
  for (let p = scale.min; p <= scale.max; p += 1) points.push(p);
  // Up to seven points sit in one row of big buttons; longer scales wrap into two rows.
  const columns = points.length <= 7 ? points.length : Math.ceil(points.length / 2);
  let current = {};
  const inputs = {};
  const blocks = stage.items.map((item) => {
    const name = nextId("rate");
    const endsId = nextId("ends");
    inputs[item.key] = points.map((point) => {
      const input = h("input", {
        type: "radio",
        name,
        value: String(point),
        "aria-describedby": scale.min_label || scale.max_label ? endsId : null,
      });
      input.addEventListener("change", () => {
        current = { ...current, [item.key]: point };
        ctx.submit({ ratings: { ...current } });
      });
      return input;
    });
    const row = h(
      "div",
      { class: "scale" },
      points.map((point, index) =>
        h(
          "label",
          { class: "scale-point" },
          inputs[item.key][index],
          h("span", { class: "scale-number" }, String(point)),
        ),
      ),
    );
    row.style.setProperty("--columns", String(columns));
    const ends =
      scale.min_label || scale.max_label
        ? h(
            "p",
            { class: "scale-ends", id: endsId },
            h("span", {}, `${scale.min} = ${scale.min_label || scale.min}`),
            h("span", {}, `${scale.max} = ${scale.max_label || scale.max}`),
          )
        : null;
    return itemBlock(item, nextId("item"), [row, ends]);
  });
  const element = h(
    "div",
    { class: "activity rating" },
    h(
      "p",
      { class: "activity-hint" },
      stage.items.length > 1 ? t("Tap a number for each statement.") : t("Tap a number."),
    ),
    blocks,
  );
  return {
    element,
    update({ value, open }) {
      current = { ...((value && value.ratings) || {}) };
      for (const [key, list] of Object.entries(inputs)) {
        for (const input of list) {
          input.checked = current[key] === Number(input.value);
          input.disabled = !open;
        }
      }
    },
  };
}

function trafficLightView(stage, ctx) {
  let current = {};
  const inputs = {};
  const blocks = stage.items.map((item) => {
    const name = nextId("light");
    inputs[item.key] = LIGHTS.map((light) => {
      const input = h("input", { type: "radio", name, value: light.key });
      input.addEventListener("change", () => {
        current = { ...current, [item.key]: light.key };
        ctx.submit({ lights: { ...current } });
      });
      return input;
    });
    const row = h(
      "div",
      { class: "lights" },
      LIGHTS.map((light, index) =>
        h(
          "label",
          { class: `light light-${light.key}` },
          inputs[item.key][index],
          h("span", { class: "light-mark", "aria-hidden": "true" }, light.mark),
          h("span", { class: "light-word" }, light.label),
        ),
      ),
    );
    return itemBlock(item, nextId("item"), row);
  });
  const element = h(
    "div",
    { class: "activity traffic-light" },
    h("p", { class: "activity-hint" }, t("Is this test met? Tap one.")),
    blocks,
  );
  return {
    element,
    update({ value, open }) {
      current = { ...((value && value.lights) || {}) };
      for (const [key, list] of Object.entries(inputs)) {
        for (const input of list) {
          input.checked = current[key] === input.value;
          input.disabled = !open;
        }
      }
    },
  };
}

const sameOrder = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

function ordinal(n) {
  // English says "2nd"; Welsh (and the fallback) says "position 2", which needs no suffixes.
  if (language !== "en") return t("position {n}", { n });
  const rules = new Intl.PluralRules("en-GB", { type: "ordinal" });
  const suffix = { one: "st", two: "nd", few: "rd", other: "th" }[rules.select(n)];
  return `${n}${suffix}`;
}

function rankingView(stage, ctx) {
  const labels = Object.fromEntries(stage.items.map((item) => [item.key, item.label]));
  const planOrder = stage.items.map((item) => item.key);
  let saved = null;
  let order = [...planOrder];
  let open = false;
  const list = h("ol", { class: "ranking-list" });
  const announce = h("p", { class: "visually-hidden", "aria-live": "assertive" });
  const note = h("p", { class: "draft-note", "aria-live": "polite" });
  const button = h("button", { type: "button", class: "wide submit" }, t("Submit ranking"));

  const move = (key, step, focusDirection) => {
    const from = order.indexOf(key);
    const to = from + step;
    if (to < 0 || to >= order.length) return;
    order.splice(from, 1);
    order.splice(to, 0, key);
    draw();
    announce.textContent = t("{label}: now {position} of {count}.", {
      label: labels[key],
      position: ordinal(to + 1),
      count: order.length,
    });
    // Keep the focus on the item that moved, so it can be moved again straight away.
    const row = list.querySelector(`[data-key="${CSS.escape(key)}"]`);
    const again = row && row.querySelector(`[data-direction="${focusDirection}"]`);
    const other = row && row.querySelector(`[data-direction="${focusDirection === "up" ? "down" : "up"}"]`);
    if (again && !again.disabled) again.focus();
    else if (other) other.focus();
  };

  const draw = () => {
    list.replaceChildren(
      ...order.map((key, index) =>
        h(
          "li",
          { class: "ranking-item", dataset: { key } },
          h("span", { class: "rank-number", "aria-hidden": "true" }, String(index + 1)),
          h("span", { class: "rank-label" }, labels[key]),
          h(
            "span",
            { class: "rank-moves" },
            h(
              "button",
              {
                type: "button",
                class: "secondary move",
                dataset: { direction: "up" },
                "aria-label": t("Move up: {label}", { label: labels[key] }),
                disabled: !open || index === 0,
                onclick: () => move(key, -1, "up"),
              },
              h("span", { "aria-hidden": "true" }, "▲"),
              h("span", { class: "move-word" }, t("Up")),
            ),
            h(
              "button",
              {
                type: "button",
                class: "secondary move",
                dataset: { direction: "down" },
                "aria-label": t("Move down: {label}", { label: labels[key] }),
                disabled: !open || index === order.length - 1,
                onclick: () => move(key, 1, "down"),
              },
              h("span", { "aria-hidden": "true" }, "▼"),
              h("span", { class: "move-word" }, t("Down")),
            ),
          ),
        ),
      ),
    );
    const changed = !saved || !sameOrder(order, saved);
    button.disabled = !open || !changed;
    if (!open) note.textContent = "";
    else if (!saved) note.textContent = t("Put them in order, most important first, then press Submit ranking.");
    else if (changed) note.textContent = t("You have changed the order: press Submit ranking to save it.");
    else note.textContent = "";
  };

  button.addEventListener("click", () => ctx.submit({ order: [...order] }));
  const element = h(
    "div",
    { class: "activity ranking" },
    h("p", { class: "activity-hint" }, t("Most important at the top. Use Up and Down to move an item.")),
    list,
    announce,
    note,
    button,
  );
  draw();
  return {
    element,
    update({ value, open: isOpen }) {
      const dirty = saved ? !sameOrder(order, saved) : !sameOrder(order, planOrder);
      const stored = value && Array.isArray(value.order) ? value.order : null;
      saved = stored && sameSet(stored, planOrder) ? [...stored] : null;
      // Keep an order still being arranged; otherwise show what is stored.
      if (!(dirty && isOpen)) order = saved ? [...saved] : [...planOrder];
      open = isOpen;
      const focused = document.activeElement;
      const focusKey = focused && list.contains(focused) ? focused.closest("li").dataset.key : null;
      const focusDirection = focusKey ? focused.dataset.direction : null;
      draw();
      if (focusKey) {
        const again = list.querySelector(
          `[data-key="${CSS.escape(focusKey)}"] [data-direction="${focusDirection}"]`,
        );
        if (again && !again.disabled) again.focus();
      }
    },
  };
}

/** The scenario card and the stage's own note under it, as the phone shows them. */
export function scenarioCard(scenario, stage) {
  const facts = [
    [t("Data"), scenario.data],
    [t("Who shares with whom"), scenario.sharing],
    [t("Anonymisation"), scenario.anonymisation],
  ].filter(([, value]) => value);
  return [
    h(
      "div",
      { class: "card scenario-card" },
      h("p", { class: "eyebrow" }, t("Scenario")),
      h("h2", {}, scenario.title),
      paragraphs(scenario.summary),
      facts.length
        ? h(
            "dl",
            { class: "facts" },
            facts.map(([label, value]) => h("div", { class: "fact" }, h("dt", {}, label), h("dd", {}, value))),
          )
        : null,
    ),
    stage.body ? h("div", { class: "stage-body" }, paragraphs(stage.body)) : null,
  ];
}
