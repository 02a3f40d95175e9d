// The console's view of a slides stage: the page the room sees and the one the next press
// shows, side by side, with where the room is ("Page 3 of 6"). The next page is the
// console's alone (state.next_slide): projectors and phones are never sent it.

import { h } from "./live.js";
import { pageImage, pageWords } from "./slide-page.js";

/** The two thumbnails for `state`, or null off a slides stage. `back`, if given, is what
 * the "Previous page" button does: the back key's page back, for a mouse or a touch screen
 * (the console's Previous goes a whole stage back). */
export function slidePreview(state, { back } = {}) {
  const slide = state && state.slide;
  if (!slide) return null;
  if (slide.error) return h("p", { class: "slide-missing", role: "status" }, slide.error);
  const [image, text] = pageImage(slide, { className: "slide-thumb" });
  const following = state.next_slide;
  // On the plan's last stage no press goes further: say so, not "the next stage".
  const lastStage = state.stage_index >= state.stage_count - 1;
  return h(
    "div",
    { class: "slide-preview" },
    h(
      "figure",
      { class: "slide-now" },
      image,
      text,
      h(
        "figcaption",
        {},
        h("strong", { class: "slide-position" }, pageWords(slide)),
        " · on the projector",
        back && slide.index > 0
          ? h("button", { type: "button", class: "secondary small slide-back", onclick: back }, "← Previous page")
          : null,
      ),
    ),
    h(
      "figure",
      { class: "slide-next" },
      following
        ? h("img", {
            class: "slide-thumb",
            src: following.image,
            alt: `Page ${slide.index + 2}, shown by the next press`,
            width: slide.width,
            height: slide.height,
          })
        : h("div", { class: "slide-thumb slide-end" }, lastStage ? "Last page of the plan" : "Last page of this stage"),
      h(
        "figcaption",
        {},
        following ? "Next page" : lastStage ? "The plan ends here" : "The next press goes on to the next stage",
      ),
    ),
  );
}

/** Whether the back key has somewhere to go: a page back on slides, or a stage back. */
export function canGoBack(state) {
  if (!state) return false;
  return state.stage_index > 0 || Boolean(state.slide && state.slide.index > 0);
}
