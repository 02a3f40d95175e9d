// A slides stage on a phone: the page the projector shows, small, under "Look at the
// screen", with its text as the text alternative (slide-page.js). A tap opens it full
// screen, where it can be pinched to zoom; one tap on Close, or Back, shuts it. In a
// self-paced run there is no projector: the phone shows every page of the stage, one
// after another (state.stage.slides). It takes no answer; comments are the default panel.

import { fill, h } from "../../live.js";
import { t } from "../../phone-text.js";
import { pageImage, pageWords } from "../../slide-page.js";

function words() {
  return {
    page: t("Page {n} of {of}"),
    noText: t("a slide with no text"),
    textBelow: t("{page}; its text follows"),
  };
}

// The full-screen viewer: one per page of the phone, opened over whatever it shows.
let viewer = null;

function zoomViewer() {
  if (viewer) return viewer;
  const image = h("img", { class: "slide-zoom-image", alt: "" });
  const close = h("button", { type: "button", class: "slide-zoom-close" }, t("Close"));
  const dialog = h("dialog", { class: "slide-zoom" }, close, image);
  // Closing goes back in history, as the Back button does: one way out, either way.
  close.addEventListener("click", () => history.back());
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    history.back();
  });
  window.addEventListener("popstate", () => {
    if (dialog.open) dialog.close();
  });
  document.body.append(dialog);
  viewer = { dialog, image, close };
  return viewer;
}

function openZoom(slide, alt) {
  const { dialog, image, close } = zoomViewer();
  // The projector's image: the most detail to zoom into (this phone may see it too).
  image.src = slide.image.replace(/phone\.webp$/, "projector.webp");
  image.alt = alt;
  history.pushState({ slideZoom: true }, "");
  dialog.showModal();
  close.focus();
}

/** One page: its image (its text as the alt), where it is, and Zoom in. A tap on the
 * image zooms too; the button is the way for a keyboard or a screen reader, whose name
 * the image's text would otherwise drown. */
function pageFigure(slide) {
  const [image, text] = pageImage(slide, { className: "slide-image", words: words() });
  const zoom = () => openZoom(slide, image.alt);
  return h(
    "figure",
    { class: "slide-page" },
    h("div", { class: "slide-frame", onclick: zoom }, image),
    text,
    h(
      "figcaption",
      { class: "slide-caption" },
      h("span", { class: "slide-where" }, pageWords(slide, words())),
      h(
        "button",
        { type: "button", class: "secondary slide-zoom-open", onclick: zoom },
        t("Zoom in"),
      ),
    ),
  );
}

function missing(slide) {
  return h("p", { class: "slide-missing", role: "status" }, t(slide.error));
}

/** `text` to compare as a reader would: case, spaces and end punctuation aside. */
function plain(text) {
  return (text || "").trim().replace(/[\s.!…]+$/u, "").replace(/\s+/gu, " ").toLowerCase();
}

/** The page slot: redrawn only when the facilitator turns the page. */
export function card(stage) {
  const element = h("div", { class: "card slides-card" });
  if (stage.slides) {
    // A run: every page, one after another, to scroll through.
    fill(
      element,
      stage.slides.map((slide) => (slide.error ? missing(slide) : pageFigure(slide))),
    );
    return { element, update() {} };
  }
  let shown; // the image shown (or the error): undefined until the first update
  return {
    element,
    update({ slide }) {
      const now = slide ? slide.image || slide.error : null;
      if (now === shown) return;
      shown = now;
      if (!slide) fill(element);
      else if (slide.error) fill(element, missing(slide));
      else {
        // Not twice: a plan's prompt is often "Look at the screen" itself.
        const saysIt = plain(stage.prompt) === plain(t("Look at the screen"));
        const look = saysIt ? null : h("p", { class: "slide-look" }, t("Look at the screen"));
        fill(element, look, pageFigure(slide));
      }
    },
  };
}
