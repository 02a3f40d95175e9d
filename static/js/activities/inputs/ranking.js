// A ranking stage on a phone: the items in a list, put in order three ways, then submitted.
//
// - Drag a row by its handle (a finger or a mouse; drag-list.js).
// - "Tap in order": tap the items from most to least important; each tap puts the item
//   next in line, and the last one falls into place by itself.
// - Up and Down buttons on every row, which a keyboard and a screen reader can use.
//
// After Submit ranking the button keeps the focus (aria-disabled until the order changes
// again, not disabled, which would drop the focus to the page) and the status bar at the
// bottom of the screen says "Saving…", then "Saved ✓".

import { h } from "../../live.js";
import { language, t } from "../../phone-text.js";
import { draggableRows } from "./drag-list.js";
import { sameSet } from "./shared.js";

const sameOrder = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

function ordinal(n) {
  // English says "2nd"; Welsh (and the fallback) says "position 2", which needs no suffixes.
  if (language !== "en") return t("position {n}", { n });
  const rules = new Intl.PluralRules("en-GB", { type: "ordinal" });
  const suffix = { one: "st", two: "nd", few: "rd", other: "th" }[rules.select(n)];
  return `${n}${suffix}`;
}

export function view(stage, ctx) {
  const labels = Object.fromEntries(stage.items.map((item) => [item.key, item.label]));
  const planOrder = stage.items.map((item) => item.key);
  let saved = null;
  let order = [...planOrder];
  let open = false;
  let placed = null; // tapping in order: how many items are in place so far; else null
  let deferred = null; // an update() that arrived mid-drag, applied at the drop
  const list = h("ol", { class: "ranking-list" });
  const announce = h("p", { class: "visually-hidden", "aria-live": "assertive" });
  const note = h("p", { class: "draft-note", "aria-live": "polite" });
  const button = h("button", { type: "button", class: "wide submit" }, t("Submit ranking"));
  const tapMode = h(
    "button",
    { type: "button", class: "secondary tap-mode", "aria-pressed": "false" },
    t("Tap in order"),
  );
  const restart = h("button", { type: "button", class: "secondary tap-restart", hidden: true }, t("Start again"));
  const tapHint = h("p", { class: "tap-hint", hidden: true }, t("Tap the items from most to least important."));

  const rowOf = (key) => list.querySelector(`[data-key="${CSS.escape(key)}"]`);
  const changed = () => !saved || !sameOrder(order, saved);

  const said = (key) => {
    announce.textContent = t("{label}: now {position} of {count}.", {
      label: labels[key],
      position: ordinal(order.indexOf(key) + 1),
      count: order.length,
    });
  };

  const move = (key, step, focusDirection) => {
    const from = order.indexOf(key);
    const to = from + step;
    if (to < 0 || to >= order.length) return;
    order.splice(from, 1);
    order.splice(to, 0, key);
    draw();
    said(key);
    // Keep the focus on the item that moved, so it can be moved again straight away.
    const row = rowOf(key);
    const again = row && row.querySelector(`[data-direction="${focusDirection}"]`);
    const other = row && row.querySelector(`[data-direction="${focusDirection === "up" ? "down" : "up"}"]`);
    if (again && !again.disabled) again.focus();
    else if (other) other.focus();
  };

  // Tapping in order: the tapped item goes next in line; the last one needs no tap.
  const pick = (key) => {
    order.splice(order.indexOf(key), 1);
    order.splice(placed, 0, key);
    placed += 1;
    if (placed >= order.length - 1) {
      setTapping(false);
      announce.textContent = t("All in order: check it, then press Submit ranking.");
      button.focus();
      return;
    }
    draw();
    said(key);
    const next = list.querySelector(".rank-pick");
    if (next) next.focus();
  };

  const setTapping = (on) => {
    placed = on ? 0 : null;
    draw();
  };

  const moveButton = (key, index, direction) => {
    const up = direction === "up";
    return h(
      "button",
      {
        type: "button",
        class: "secondary move",
        dataset: { direction },
        "aria-label": up ? t("Move up: {label}", { label: labels[key] }) : t("Move down: {label}", { label: labels[key] }),
        disabled: !open || index === (up ? 0 : order.length - 1),
        onclick: () => move(key, up ? -1 : 1, direction),
      },
      h("span", { "aria-hidden": "true" }, up ? "▲" : "▼"),
      h("span", { class: "move-word" }, up ? t("Up") : t("Down")),
    );
  };

  const row = (key, index) => {
    const tapping = placed !== null;
    const waiting = tapping && index >= placed; // not yet tapped
    const number = h("span", { class: "rank-number", "aria-hidden": "true" }, waiting ? "" : String(index + 1));
    const grip = h("span", { class: "rank-grip", "aria-hidden": "true" }, "⠿");
    if (waiting) {
      return h(
        "li",
        { class: "ranking-item waiting", dataset: { key } },
        h("button", { type: "button", class: "rank-pick", onclick: () => pick(key) }, number, labels[key]),
      );
    }
    return h(
      "li",
      { class: `ranking-item${tapping ? " placed" : ""}`, dataset: { key } },
      h("span", { class: "rank-handle" }, tapping ? null : grip, number),
      h("span", { class: "rank-label" }, labels[key]),
      tapping
        ? null
        : h("span", { class: "rank-moves" }, moveButton(key, index, "up"), moveButton(key, index, "down")),
    );
  };

  const draw = () => {
    if (!open) placed = null;
    const tapping = placed !== null;
    list.replaceChildren(...order.map(row));
    list.classList.toggle("tapping", tapping);
    tapMode.setAttribute("aria-pressed", String(tapping));
    tapMode.disabled = !open;
    restart.hidden = !tapping || placed === 0;
    tapHint.hidden = !tapping;
    // aria-disabled, not disabled: a just-pressed Submit keeps the focus.
    button.setAttribute("aria-disabled", String(!open || !changed() || tapping));
    button.disabled = !open;
    if (!open) note.textContent = "";
    else if (tapping) note.textContent = "";
    else if (!saved) note.textContent = t("Put them in order, most important first, then press Submit ranking.");
    else if (changed()) note.textContent = t("You have changed the order: press Submit ranking to save it.");
    else note.textContent = "";
  };

  const drag = draggableRows(list, {
    handle: ".rank-handle",
    enabled: () => open && placed === null,
    dropped(newOrder, key) {
      order = newOrder;
      if (deferred) apply(deferred);
      else draw();
      said(key);
    },
    // The numbers say the order as it stands while a row is held.
    shuffled() {
      [...list.children].forEach((child, index) => {
        const number = child.querySelector(".rank-number");
        if (number) number.textContent = String(index + 1);
      });
    },
  });

  button.addEventListener("click", () => {
    if (button.getAttribute("aria-disabled") === "true") return;
    ctx.submit({ order: [...order] });
  });
  tapMode.addEventListener("click", () => {
    setTapping(placed === null);
    const first = list.querySelector(".rank-pick");
    if (first) first.focus();
  });
  restart.addEventListener("click", () => {
    setTapping(true);
    const first = list.querySelector(".rank-pick");
    if (first) first.focus();
  });

  const element = h(
    "div",
    { class: "activity ranking" },
    h("p", { class: "activity-hint" }, t("Most important at the top: drag an item, tap them in order, or use Up and Down.")),
    h("div", { class: "ranking-tools" }, tapMode, restart),
    tapHint,
    list,
    announce,
    note,
    button,
  );

  function apply({ value, open: isOpen }) {
    deferred = null;
    const dirty = saved ? !sameOrder(order, saved) : !sameOrder(order, planOrder);
    const stored = value && Array.isArray(value.order) ? value.order : null;
    saved = stored && sameSet(stored, planOrder) ? [...stored] : null;
    // Keep an order still being arranged (or tapped); otherwise show what is stored.
    if (!((dirty || placed !== null) && isOpen)) order = saved ? [...saved] : [...planOrder];
    open = isOpen;
    const focused = document.activeElement;
    const focusKey = focused && list.contains(focused) ? focused.closest("li").dataset.key : null;
    const focusDirection = focusKey ? focused.dataset.direction : null;
    draw();
    if (focusKey) {
      const again = focusDirection
        ? list.querySelector(`[data-key="${CSS.escape(focusKey)}"] [data-direction="${focusDirection}"]`)
        : list.querySelector(`[data-key="${CSS.escape(focusKey)}"] .rank-pick`);
      if (again && !again.disabled) again.focus();
    }
  }

  draw();
  return {
    element,
    update(next) {
      // A redraw mid-drag would pull the row from under the finger: it waits for the drop.
      if (drag.dragging()) deferred = next;
      else apply(next);
    },
  };
}
