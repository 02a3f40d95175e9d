// A slides stage's page as the projector, the phones and the console draw it: the image
// the server rendered (state.slide, docs/protocol.md) with the page's text layer as its
// text alternative (docs/accessibility.md). Short text is the image's alt; long text (a
// page of bullet points) is a visually hidden block after the image, which a screen
// reader reads as text, with the alt saying where it is.

import { h } from "./live.js";

// Longer than this, an alt is hard to listen to and cannot be paused or re-read.
const ALT_MAX = 200;

/** The words that name a page: "Page 3 of 6" (`words.page` for a phone's language). */
export function pageWords(slide, words = {}) {
  const template = words.page || "Page {n} of {of}";
  return template.replace("{n}", slide.index + 1).replace("{of}", slide.of);
}

/**
 * `[img, textBlock|null]` for page `slide`: `src` is its image's address (the projector
 * adds its key), `className` the image's class. `words` may hold `noText` ("Slide with
 * no text") and `textBelow` ("{page}; its text follows") in the reader's language.
 */
export function pageImage(slide, { src, className = "slide-image", words = {} } = {}) {
  const text = (slide.text || "").trim();
  const where = pageWords(slide, words);
  const long = text.length > ALT_MAX;
  let alt = text || `${where}: ${words.noText || "a slide with no text"}`;
  if (long) alt = (words.textBelow || "{page}; its text follows").replace("{page}", where);
  const image = h("img", {
    class: className,
    src: src || slide.image,
    alt,
    width: slide.width,
    height: slide.height,
    decoding: "async",
  });
  const block = long ? h("div", { class: "visually-hidden slide-text" }, text) : null;
  return [image, block];
}
