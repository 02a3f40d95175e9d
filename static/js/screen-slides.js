// The projector's view of a slides stage: the page full screen (the whole page in view,
// bars of black around it), with the join badge and the countdown in a thin strip below
// it, so nothing covers the slide. The page's text is its text alternative (slide-page.js).

import { h } from "./live.js";
import { pageImage, pageWords } from "./slide-page.js";

/** The slide view of `state.slide`; `key` is the projector link's key (the image needs it
 * when no facilitator is logged in on this laptop), `badge` the join badge, `timer` the
 * countdown's element. */
export function slideView(state, { key, badge, timer }) {
  const slide = state.slide;
  if (slide.error) {
    return h(
      "section",
      { class: "slide-view slide-missing", role: "alert" },
      h("p", { class: "slide-missing-text" }, slide.error),
      h("div", { class: "slide-strip" }, badge),
    );
  }
  const src = key ? `${slide.image}?key=${encodeURIComponent(key)}` : slide.image;
  const [image, text] = pageImage(slide, { src });
  return h(
    "section",
    { class: "slide-view", "aria-label": `${state.stage.title}: ${pageWords(slide)}` },
    h("div", { class: "slide-frame" }, image, text),
    h(
      "div",
      { class: "slide-strip" },
      h("p", { class: "slide-where" }, pageWords(slide)),
      timer,
      badge,
    ),
  );
}
