// The phone's points, benefit-risk grid, word cloud and statements (docs/protocol.md).
//
// pointsView, gridView and wordCloudView follow phone-activities.js: each returns
// {element, update({value, open})}, sends answers through ctx.submit(value) and keeps
// what the person is still arranging when a push arrives. statementsPanel follows
// phone-comments.js: {element, update({open, comments, own, reactions})}.
// newResultsBody draws the room's results once revealed, as light HTML.

import { h } from "./live.js";
import { composer, keepingFocus, reactions } from "./phone-comments.js";
import { statementRanking, wordCloud, wordsOf } from "./activity-results.js";
import { t, tn } from "./phone-text.js";

let uid = 0;
const nextId = (prefix) => `${prefix}-new-${(uid += 1)}`;

function itemBlock(item, content) {
  const legendId = nextId("item");
  return h(
    "fieldset",
    { class: "item-block", "aria-labelledby": legendId },
    h("legend", { class: "item-legend", id: legendId }, h("span", { class: "item-label" }, item.label)),
    item.description ? h("p", { class: "item-description" }, item.description) : null,
    content,
  );
}

// Points ---------------------------------------------------------------------------------

const sameAllocation = (a, b) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => (a[key] || 0) === (b[key] || 0));
};

export function pointsView(stage, ctx) {
  const budget = stage.points || 10;
  let saved = {};
  let draft = {};
  let open = false;
  const spent = () => Object.values(draft).reduce((sum, n) => sum + n, 0);

  const left = h("p", { class: "points-left", "aria-live": "polite" });
  const dots = h("span", { class: "points-dots", "aria-hidden": "true" });
  const note = h("p", { class: "draft-note", "aria-live": "polite" });
  const button = h("button", { type: "button", class: "wide submit" }, t("Submit points"));
  const rows = {};

  const blocks = stage.items.map((item) => {
    const count = h("output", { class: "points-count", "aria-live": "off" });
    const change = (step) => {
      const next = (draft[item.key] || 0) + step;
      if (next < 0 || spent() + step > budget) return;
      draft = { ...draft, [item.key]: next };
      draw();
    };
    const minus = h(
      "button",
      {
        type: "button",
        class: "secondary points-step",
        "aria-label": t("One point fewer for {label}", { label: item.label }),
        dataset: { step: "-1", item: item.key },
        onclick: () => change(-1),
      },
      h("span", { "aria-hidden": "true" }, "−"),
    );
    const plus = h(
      "button",
      {
        type: "button",
        class: "points-step",
        "aria-label": t("One point more for {label}", { label: item.label }),
        dataset: { step: "1", item: item.key },
        onclick: () => change(1),
      },
      h("span", { "aria-hidden": "true" }, "+"),
    );
    rows[item.key] = { count, minus, plus };
    return itemBlock(item, h("div", { class: "points-row" }, minus, count, plus));
  });

  const draw = () => {
    const used = spent();
    const remaining = budget - used;
    left.replaceChildren(
      h("strong", { class: "points-left-number" }, String(remaining)),
      " ",
      tn(remaining, "point left of {budget}", "points left of {budget}", { budget }),
    );
    left.dataset.state = remaining === 0 ? "none" : "some";
    if (budget <= 20) {
      dots.replaceChildren(
        ...Array.from({ length: budget }, (_, i) => h("span", { class: i < used ? "dot used" : "dot" })),
      );
    }
    for (const [key, row] of Object.entries(rows)) {
      const n = draft[key] || 0;
      row.count.textContent = String(n);
      row.count.classList.toggle("zero", n === 0);
      row.minus.disabled = !open || n === 0;
      row.plus.disabled = !open || remaining === 0;
    }
    const changed = !sameAllocation(draft, saved);
    button.disabled = !open || used === 0 || !changed;
    if (!open) note.textContent = "";
    else if (used === 0) note.textContent = t("Give points with +, then press Submit points.");
    else if (changed) note.textContent = t("Not submitted yet: press Submit points to save them.");
    else note.textContent = "";
  };

  button.addEventListener("click", () => {
    const value = {};
    for (const [key, n] of Object.entries(draft)) if (n > 0) value[key] = n;
    if (Object.keys(value).length) ctx.submit({ points: value });
  });

  const element = h(
    "div",
    { class: "activity points" },
    h(
      "p",
      { class: "activity-hint" },
      tn(
        budget,
        "You have {n} point. Give more to what matters more; you need not spend them all.",
        "You have {n} points. Give more to what matters more; you need not spend them all.",
      ),
    ),
    h("div", { class: "points-budget" }, left, dots),
    blocks,
    note,
    button,
  );
  draw();
  return {
    element,
    update({ value, open: isOpen }) {
      const dirty = !sameAllocation(draft, saved);
      saved = { ...((value && value.points) || {}) };
      open = isOpen;
      // Keep points still being spread, unless input has closed on them.
      if (!dirty || !open) draft = { ...saved };
      draw();
    },
  };
}

// Benefit-risk grid ------------------------------------------------------------------------

// The words the plan model gives a grid that names none (plans/model.py): the server sends
// them in English, so the phone puts them in its own language. A plan's own words (and
// their translation, from the plan) pass through as they are.
const MODEL_WORDS = {
  Benefit: t("Benefit"),
  Risk: t("Risk"),
  Low: t("Low"),
  High: t("High"),
  "The scenario": t("The scenario"),
};
const modelWord = (text) => MODEL_WORDS[text] || text;
const localAxis = (axis) => ({ label: modelWord(axis.label), low: modelWord(axis.low), high: modelWord(axis.high) });
const localAxes = (axes) => ({ x: localAxis(axes.x), y: localAxis(axes.y) });
const DEFAULT_AXES = { x: { label: "Benefit", low: "Low", high: "High" }, y: { label: "Risk", low: "Low", high: "High" } };

function axisWords(axis, n, size) {
  const words = t("{axis} {n} of {size}", { axis: axis.label, n, size });
  if (n === 1) return `${words} (${axis.low})`;
  if (n === size) return `${words} (${axis.high})`;
  return words;
}

/** The grid's frame: y axis up the left, x axis along the bottom, the cells in between. */
function gridFrame(axes, cells, { className = "" } = {}) {
  return h(
    "div",
    { class: `grid-frame ${className}`.trim() },
    h(
      "div",
      { class: "grid-y-axis", "aria-hidden": "true" },
      h("span", { class: "axis-end" }, axes.y.high),
      h("span", { class: "axis-name" }, `${axes.y.label} →`),
      h("span", { class: "axis-end" }, axes.y.low),
    ),
    cells,
    h(
      "div",
      { class: "grid-x-axis", "aria-hidden": "true" },
      h("span", { class: "axis-end" }, axes.x.low),
      h("span", { class: "axis-name" }, `${axes.x.label} →`),
      h("span", { class: "axis-end" }, axes.x.high),
    ),
  );
}

export function gridView(stage, ctx) {
  const size = stage.size || 5;
  const axes = localAxes(stage.axes || DEFAULT_AXES);
  let current = {};
  const boards = {};

  const blocks = stage.items.map((shown) => {
    const item = { ...shown, label: modelWord(shown.label) };
    const buttons = [];
    const cells = h("div", { class: "grid-cells", role: "group", "aria-label": t("Grid for {label}", { label: item.label }) });
    cells.style.setProperty("--size", String(size));
    for (let y = size; y >= 1; y -= 1) {
      for (let x = 1; x <= size; x += 1) {
        const button = h("button", {
          type: "button",
          class: "grid-cell",
          "aria-label": `${axisWords(axes.x, x, size)}, ${axisWords(axes.y, y, size)}`,
          "aria-pressed": "false",
          dataset: { x: String(x), y: String(y), item: item.key },
          onclick: () => {
            current = { ...current, [item.key]: [x, y] };
            ctx.submit({ cells: { ...current } });
          },
        });
        buttons.push(button);
        cells.append(button);
      }
    }
    const place = h("p", { class: "grid-place", "aria-live": "polite" });
    boards[item.key] = { buttons, place };
    return itemBlock(item, [gridFrame(axes, cells), place]);
  });

  const element = h(
    "div",
    { class: "activity grid" },
    h(
      "p",
      { class: "activity-hint" },
      t("Tap the square that fits: further right is more {x}, higher up is more {y}.", {
        x: axes.x.label.toLowerCase(),
        y: axes.y.label.toLowerCase(),
      }),
    ),
    blocks,
  );
  return {
    element,
    update({ value, open }) {
      current = { ...((value && value.cells) || {}) };
      for (const [key, board] of Object.entries(boards)) {
        const cell = current[key];
        for (const button of board.buttons) {
          const here = !!cell && Number(button.dataset.x) === cell[0] && Number(button.dataset.y) === cell[1];
          button.setAttribute("aria-pressed", here ? "true" : "false");
          button.disabled = !open;
        }
        board.place.textContent = cell
          ? t("Your place: {x} {x_value}, {y} {y_value} (of {size}).", {
              x: axes.x.label,
              x_value: cell[0],
              y: axes.y.label,
              y_value: cell[1],
              size,
            })
          : open
            ? t("Tap a square to place it.")
            : t("Not placed.");
        board.place.classList.toggle("placed", !!cell);
      }
    },
  };
}

// Word cloud -------------------------------------------------------------------------------

export function wordCloudView(stage, ctx) {
  const most = stage.max_words || 3;
  const maxChars = stage.max_chars || 80;
  const inputId = nextId("words");
  let saved = "";
  let open = false;
  const input = h("input", {
    type: "text",
    id: inputId,
    name: "words",
    maxlength: maxChars,
    autocomplete: "off",
    autocapitalize: "none",
    enterkeyhint: "send",
    "aria-describedby": `${inputId}-count`,
  });
  const counter = h("span", { class: "word-count", id: `${inputId}-count`, "aria-live": "polite" });
  const button = h("button", { type: "submit", class: "post" }, t("Send"));
  const sent = h("p", { class: "words-sent" });
  const countWords = () => input.value.split(/\s+/).filter(Boolean).length;

  const refresh = () => {
    const n = countWords();
    const tooMany = n > most;
    counter.textContent = tooMany
      ? t("{n} words: use at most {most}", { n, most })
      : tn(most, "{count} of {n} word", "{count} of {n} words", { count: n });
    counter.classList.toggle("over", tooMany);
    input.setAttribute("aria-invalid", tooMany ? "true" : "false");
    input.disabled = !open;
    const text = input.value.split(/\s+/).filter(Boolean).join(" ");
    button.disabled = !open || n === 0 || tooMany || text === saved;
    if (saved) sent.replaceChildren(t("You sent:"), " ", h("strong", {}, saved));
    else sent.replaceChildren();
  };
  input.addEventListener("input", refresh);

  const form = h(
    "form",
    { class: "words-form", novalidate: true },
    h("label", { for: inputId }, most === 1 ? t("Your word") : t("Your words")),
    h("div", { class: "words-row" }, input, button),
    counter,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.split(/\s+/).filter(Boolean).join(" ");
    if (text && countWords() <= most) ctx.submit({ text });
  });

  const element = h(
    "div",
    { class: "activity word-cloud-answer" },
    h(
      "p",
      { class: "activity-hint" },
      most === 1
        ? t("Type one word. It joins the room's word cloud on the screen.")
        : t("Type up to {n} words. They join the room's word cloud on the screen.", { n: most }),
    ),
    form,
    sent,
  );
  refresh();
  return {
    element,
    update({ value, open: isOpen }) {
      const typed = input.value.split(/\s+/).filter(Boolean).join(" ");
      const dirty = typed !== "" && typed !== saved;
      saved = (value && value.text) || "";
      open = isOpen;
      // Keep words still being typed; otherwise show what is stored, ready to change.
      if (!dirty || !open) input.value = saved;
      refresh();
    },
  };
}

// Statements -------------------------------------------------------------------------------

const VOTES = [
  { kind: "agree", word: t("Agree") },
  { kind: "disagree", word: t("Disagree") },
  { kind: "pass", word: t("Pass") },
];

export function statementsPanel(stage, ctx) {
  const max = stage.max_length || 280;
  const textareaId = `statement-${stage.key}`;
  let data = { open: false, comments: [], own: new Set(), reactions: {} };
  const box = composer(ctx, {
    id: textareaId,
    name: "statement",
    max,
    hinted: true,
    words: {
      button: t("Submit"),
      posting: t("Submitting…"),
      posted: t("Submitted ✓ Others can now vote on it."),
      notSaved: t("Your statement was not saved."),
    },
  });
  const listHeading = h("h3", { class: "wall-heading" });
  const progress = h("p", { class: "statements-progress" });
  const list = h("ul", { class: "wall statements-list" });
  const { busy, errors, note, send: vote } = reactions(ctx, () => drawList(), t("Your vote was not saved."));

  const statementItem = (comment) => {
    const mine = data.own.has(comment.id);
    const current = data.reactions[String(comment.id)] || null;
    const counts = t("{agree} agree · {disagree} disagree · {passes} pass", {
      agree: comment.agree,
      disagree: comment.disagree,
      passes: comment.passes || 0,
    });
    return h(
      "li",
      {
        class: `comment statement${mine ? " own" : ""}${current ? " voted" : ""}`,
        dataset: { id: String(comment.id) },
      },
      h("p", { class: "comment-text" }, comment.text),
      h(
        "p",
        { class: "comment-meta" },
        mine ? h("span", { class: "own-badge" }, t("Your statement")) : null,
        h("span", { class: "comment-author" }, comment.author || t("Anonymous")),
      ),
      mine
        ? h("p", { class: "comment-counts" }, counts)
        : h(
            "div",
            { class: "reactions votes-3", role: "group", "aria-label": t("Your vote on this statement") },
            VOTES.map(({ kind, word }) =>
              h(
                "button",
                {
                  type: "button",
                  class: `secondary react react-${kind}`,
                  "aria-pressed": current === kind ? "true" : "false",
                  disabled: !data.open || busy.has(comment.id),
                  dataset: { comment: String(comment.id), reaction: kind },
                  onclick: () => vote(comment, current === kind ? "none" : kind),
                },
                h("span", { class: "react-word" }, word),
              ),
            ),
          ),
      errors[comment.id] ? h("p", { class: "error-text" }, errors[comment.id]) : null,
      note(comment.id),
    );
  };

  const drawList = () =>
    keepingFocus(list, () => {
      const comments = data.comments || [];
      const others = comments.filter((c) => !data.own.has(c.id));
      const voted = others.filter((c) => data.reactions[String(c.id)]).length;
      listHeading.textContent = comments.length
        ? t("Statements from the room ({n})", { n: comments.length })
        : t("Statements from the room");
      progress.textContent = others.length
        ? tn(others.length, "You have voted on {voted} of {n} statement by others.", "You have voted on {voted} of {n} statements by others.", { voted })
        : "";
      list.replaceChildren(
        ...(comments.length
          ? comments.map(statementItem)
          : [h("li", { class: "wall-empty" }, t("No statements yet. Be the first."))]),
      );
    });

  const element = h(
    "section",
    { class: "comments statements", "aria-labelledby": `${textareaId}-heading` },
    h("h2", { id: `${textareaId}-heading`, class: "visually-hidden" }, t("Statements")),
    h(
      "div",
      { class: "composer" },
      h("label", { for: textareaId }, t("Your statement")),
      h(
        "p",
        { class: "hint", id: `${textareaId}-hint` },
        t("One clear point others can agree or disagree with. It shows on your neighbours' phones."),
      ),
      box.textarea,
      h("div", { class: "composer-foot" }, box.counter, box.button),
      box.status,
    ),
    listHeading,
    h(
      "p",
      { class: "hint statements-how" },
      t("Agree, Disagree, or Pass if you are unsure. Tap again to take your vote back."),
    ),
    progress,
    list,
  );
  box.refresh(data.open);
  drawList();
  return {
    element,
    update(next) {
      data = { ...data, ...next };
      box.refresh(data.open);
      drawList();
    },
  };
}

// Results ----------------------------------------------------------------------------------

function bar(share) {
  const fill = h("span", { class: "bar-fill" });
  fill.style.width = `${Math.max(0, Math.min(100, share))}%`;
  return h("span", { class: "bar-track", "aria-hidden": "true" }, fill);
}

function pointsResults(results, mine) {
  const given = (mine && mine.points) || {};
  const top = Math.max(1, ...results.items.map((item) => item.total));
  return h(
    "ol",
    { class: "bars" },
    results.items.map((item) =>
      h(
        "li",
        { class: "bar-row" },
        h(
          "p",
          { class: "bar-head" },
          h(
            "span",
            { class: "bar-label" },
            item.label,
            given[item.key] ? h("span", { class: "yours" }, t("You: {value}", { value: given[item.key] })) : null,
          ),
          h("span", { class: "bar-count" }, tn(item.total, "{n} point", "{n} points")),
        ),
        bar((100 * item.total) / top),
        h("p", { class: "result-summary" }, tn(item.voters, "From {n} person", "From {n} people")),
      ),
    ),
  );
}

function gridResults(stage, results, mine) {
  const size = results.size;
  const axes = localAxes(results.axes);
  const placed = (mine && mine.cells) || {};
  return h(
    "div",
    { class: "grid-results" },
    results.items.map((item) => {
      const counts = {};
      for (const cell of item.cells) counts[`${cell.x},${cell.y}`] = cell.count;
      const most = Math.max(1, ...item.cells.map((c) => c.count));
      const yours = placed[item.key];
      const cells = h("div", { class: "grid-cells result-cells", "aria-hidden": "true" });
      cells.style.setProperty("--size", String(size));
      for (let y = size; y >= 1; y -= 1) {
        for (let x = 1; x <= size; x += 1) {
          const count = counts[`${x},${y}`] || 0;
          const cell = h("span", { class: "grid-cell result-cell" }, count ? String(count) : "");
          cell.style.setProperty("--share", String(count / most));
          if (count / most > 0.5) cell.classList.add("dark");
          if (yours && yours[0] === x && yours[1] === y) cell.classList.add("yours-cell");
          cells.append(cell);
        }
      }
      const average =
        item.n === 0
          ? t("Nobody placed it yet.")
          : tn(item.n, "Average: {x} {x_value}, {y} {y_value} · {n} place", "Average: {x} {x_value}, {y} {y_value} · {n} places", {
              x: axes.x.label,
              x_value: item.mean_x,
              y: axes.y.label,
              y_value: item.mean_y,
            });
      return h(
        "div",
        { class: "result-item" },
        results.items.length > 1 || stage.items.length > 1 ? h("p", { class: "result-label" }, item.label) : null,
        gridFrame(axes, cells, { className: "small" }),
        h(
          "p",
          { class: "result-summary" },
          average,
          yours ? h("span", { class: "yours" }, t("You: {x}, {y} (outlined)", { x: yours[0], y: yours[1] })) : null,
        ),
      );
    }),
  );
}

/**
 * The body of the phone's results for the new activities, or undefined for other types.
 * `extra` carries {own, reactions} for statements.
 */
export function newResultsBody(stage, results, mine, extra = {}) {
  switch (stage.type) {
    case "points":
      return pointsResults(results, mine);
    case "grid":
      return gridResults(stage, results, mine);
    case "word_cloud":
      return h(
        "div",
        { class: "phone-cloud" },
        wordCloud(results.words, { limit: 30, mine: wordsOf(mine && mine.text), smallest: 1, largest: 2.4 }),
        mine && mine.text ? h("p", { class: "results-note" }, t("Your words are underlined.")) : null,
      );
    case "statements":
      return h(
        "div",
        {},
        h("p", { class: "results-note" }, t("Ranked by the share of votes that agree.")),
        statementRanking(results.statements, { limit: 10, own: extra.own, reactions: extra.reactions }),
      );
    default:
      return undefined;
  }
}
