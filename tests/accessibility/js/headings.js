// The headings a screen reader lists, in document order, as [level, text]: h1-h6 and
// role="heading" with its aria-level, leaving out those not rendered (hidden, closed
// dialogs, display none). A visually hidden heading counts: it is read.
() => {
  const out = [];
  for (const el of document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role='heading']")) {
    if (el.closest("[hidden], dialog:not([open])")) continue;
    if (el.getClientRects().length === 0 || getComputedStyle(el).visibility === "hidden") continue;
    const level = el.getAttribute("role") === "heading"
      ? Number(el.getAttribute("aria-level") || 2)
      : Number(el.tagName.slice(1));
    out.push([level, el.textContent.trim().replace(/\s+/g, " ").slice(0, 60)]);
  }
  return out;
}
