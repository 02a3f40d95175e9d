// A points stage on a phone: a budget of points spread over the items with − and +, then
// submitted together; the person need not spend them all.

import { h } from "../../live.js";
import { t, tn } from "../../phone-text.js";
import { itemBlock } from "./shared.js";

const sameAllocation = (a, b) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => (a[key] || 0) === (b[key] || 0));
};

export function view(stage, ctx) {
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
    const stepButton = (step, className, label, mark) =>
      h(
        "button",
        {
          type: "button",
          class: className,
          "aria-label": label,
          dataset: { step: String(step), item: item.key },
          onclick: () => change(step),
        },
        h("span", { "aria-hidden": "true" }, mark),
      );
    const minus = stepButton(-1, "secondary points-step", t("One point fewer for {label}", { label: item.label }), "−");
    const plus = stepButton(1, "points-step", t("One point more for {label}", { label: item.label }), "+");
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

  draw();
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
