// What keeps a page from reflowing (WCAG 2.2 1.4.10), as a list of sentences:
// - a box that scrolls sideways other than a data table's or a chart's own region
//   (tabindex 0, role region, a name), or such a region that is not focusable and named;
// - a chart's label drawn past the edge of the chart (which cuts it off);
// - a box that clips its content sideways (overflow hidden or clip, or an ellipsis);
// - a text field or menu squeezed under 96 px (a field scrolls its own text);
// - anything drawn past the window's right edge (or partly past its left), or out of the
//   box drawn around it (a card, a panel), outside a table's scrolling region;
// - two boxes of the site header (name, links, who is signed in, buttons) on top of
//   each other, or the header over the page below it.
// The page-level scroll itself is measured by measure.py's sideways_overflow.
() => {
  const out = [];
  const width = window.innerWidth;
  const TOLERANCE = 1;
  const FIELDS = ["INPUT", "SELECT"];
  const NARROWEST_FIELD = 96;  // px: about eight characters
  // Fields a person types or reads a value in (a colour swatch or a box may be small).
  const TYPED = ["text", "email", "password", "number", "search", "url", "tel", "date"];

  const describe = (el) => {
    const id = el.id ? `#${el.id}` : "";
    const classes = typeof el.className === "string" && el.className.trim()
      ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
    const text = (el.innerText || el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `<${el.tagName.toLowerCase()}${id}${classes}> "${text}"`;
  };

  const shown = (el) => {
    if (el.closest("[hidden], dialog:not([open]), .visually-hidden, details:not([open]) > :not(summary)")) {
      return false;
    }
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") return false;
    const box = el.getBoundingClientRect();
    return box.width >= 1 && box.height >= 1;
  };

  // What may scroll in a box of its own: a data table, or a chart (an image of numbers).
  const tableRegion = (el) => el.querySelector("table, [role='img']") !== null;
  const scrollers = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!shown(el)) continue;
    const style = getComputedStyle(el);
    const sideways = el.scrollWidth > el.clientWidth + TOLERANCE;
    if (["auto", "scroll"].includes(style.overflowX)) {
      scrollers.push(el);
      // A text box scrolls inside itself (the plan's YAML): it is a control, not layout.
      if (!sideways || el.tagName === "TEXTAREA") continue;
      if (!tableRegion(el)) {
        out.push(`scrolls sideways, and is not a table or a chart: ${describe(el)}`);
      } else if (
        el.getAttribute("tabindex") !== "0" || el.getAttribute("role") !== "region" ||
        !(el.getAttribute("aria-label") || el.getAttribute("aria-labelledby"))
      ) {
        out.push(`a table's or chart's scrolling box is not a focusable, named region: ${describe(el)}`);
      }
    } else if (FIELDS.includes(el.tagName)) {
      // A field scrolls its own text; it only has to stay wide enough to read.
      const typed = el.tagName === "SELECT" || TYPED.includes(el.type);
      if (typed && el.getBoundingClientRect().width < NARROWEST_FIELD) {
        out.push(`a field only ${Math.round(el.getBoundingClientRect().width)}px wide: ${describe(el)}`);
      }
    } else if (["hidden", "clip"].includes(style.overflowX) && sideways) {
      out.push(`cuts off its content (${el.scrollWidth}px in ${el.clientWidth}px): ${describe(el)}`);
    }
  }

  // The nearest box drawn around an element (a card, a panel): a background or a border.
  const boxAround = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (up.tagName === "MAIN") return null;
      const style = getComputedStyle(up);
      const painted = style.backgroundColor !== "rgba(0, 0, 0, 0)" ||
        ["Left", "Right"].some((side) => parseFloat(style[`border${side}Width`]) > 0);
      if (painted) return up;
    }
    return null;
  };
  const inScroller = (el) => scrollers.some((s) => s !== el && s.contains(el));
  for (const el of document.body.querySelectorAll("*")) {
    if (el instanceof SVGElement && el.ownerSVGElement) continue;  // a chart's parts: below
    if (!shown(el) || inScroller(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.right <= 0) continue;  // parked off screen on purpose (the skip link)
    if (box.right > width + TOLERANCE || box.left < -TOLERANCE) {
      out.push(`drawn at ${Math.round(box.left)}..${Math.round(box.right)}px of ${width}px: ${describe(el)}`);
      continue;
    }
    const holder = boxAround(el);
    if (holder && box.right > holder.getBoundingClientRect().right + TOLERANCE) {
      out.push(`sticks out of the box around it: ${describe(el)} out of ${describe(holder)}`);
    }
  }

  // A chart's labels past the edge of its drawing are cut off by it.
  for (const text of document.querySelectorAll("svg text")) {
    if (!text.textContent.trim() || !shown(text)) continue;
    let svg = text.ownerSVGElement;
    while (svg.ownerSVGElement) svg = svg.ownerSVGElement;
    const box = text.getBoundingClientRect(), frame = svg.getBoundingClientRect();
    if (box.left < frame.left - TOLERANCE || box.right > frame.right + TOLERANCE) {
      out.push(`a chart's label is cut off at its edge: ${describe(text)}`);
    }
  }

  const header = document.querySelector(".site-header");
  if (header && shown(header)) {
    const parts = [...header.querySelectorAll(
      ".brand, .header-context:not([aria-hidden]), nav a, nav button, .signed-in, .connection"
    )].filter(shown);
    const overlap = (a, b) =>
      a.left < b.right - TOLERANCE && b.left < a.right - TOLERANCE &&
      a.top < b.bottom - TOLERANCE && b.top < a.bottom - TOLERANCE;
    for (let i = 0; i < parts.length; i += 1) {
      for (let j = i + 1; j < parts.length; j += 1) {
        if (parts[i].contains(parts[j]) || parts[j].contains(parts[i])) continue;
        if (overlap(parts[i].getBoundingClientRect(), parts[j].getBoundingClientRect())) {
          out.push(`in the header, ${describe(parts[i])} overlaps ${describe(parts[j])}`);
        }
      }
    }
    const main = document.querySelector("main");
    if (main && main.getBoundingClientRect().top < header.getBoundingClientRect().bottom - TOLERANCE) {
      out.push("the header covers the top of the page");
    }
  }
  return out;
}
