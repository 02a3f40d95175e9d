// A word cloud stage on a phone: a few words typed and sent; they join the room's cloud.

import { h } from "../../live.js";
import { t, tn } from "../../phone-text.js";
import { nextId } from "./shared.js";

export function view(stage, ctx) {
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
