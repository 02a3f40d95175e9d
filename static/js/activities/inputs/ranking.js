// A ranking stage on a phone: the items in a list, moved with Up and Down buttons (no
// dragging, so a keyboard and a screen reader can do it), then submitted as an order.

import { h } from "../../live.js";
import { language, t } from "../../phone-text.js";
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
