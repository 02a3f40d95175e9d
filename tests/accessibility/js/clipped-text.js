() => {
  // Text a person cannot read in full: cut by a box that hides its overflow (a fixed
  // height, a line clamp, an ellipsis) or drawn over other text. Boxes that scroll
  // (overflow auto or scroll) are not cuts: what they hold can be reached.
  const problems = [];
  const shown = (node) => {
    for (let n = node; n && n !== document.body; n = n.parentElement) {
      const style = getComputedStyle(n);
      if (style.display === "none" || style.visibility === "hidden" || Number(style.opacity) === 0) return false;
      if (n.tagName === "DIALOG" && !n.open) return false;
      // Visually hidden on purpose (for screen readers): clipped to a pixel.
      if (style.clip !== "auto" || style.clipPath !== "none") return false;
      if (n.tagName === "DETAILS" && !n.open && n.firstElementChild && !n.firstElementChild.contains(node)) return false;
    }
    return true;
  };
  const label = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : ""}`;
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    if (!text.data.trim()) continue;
    const parent = text.parentElement;
    if (!parent || ["SCRIPT", "STYLE", "NOSCRIPT", "TITLE", "OPTION"].includes(parent.tagName)) continue;
    range.selectNodeContents(text);
    const box = range.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    if (!shown(parent)) continue;
    texts.push({ text, parent, rects: [...range.getClientRects()].filter((r) => r.width > 1 && r.height > 1) });
  }
  // Cuts: an ancestor that hides its overflow and is smaller than its content.
  const cut = new Set();
  for (const { text, parent } of texts) {
    for (let n = parent; n && n !== document.body; n = n.parentElement) {
      const style = getComputedStyle(n);
      const hides = (v) => v === "hidden" || v === "clip";
      const tall = hides(style.overflowY) && n.scrollHeight > n.clientHeight + 1;
      const wide = hides(style.overflowX) && n.scrollWidth > n.clientWidth + 1;
      if ((tall || wide) && !cut.has(n)) {
        cut.add(n);
        problems.push(`cut: ${label(n)} (${n.clientWidth}x${n.clientHeight} shows ${n.scrollWidth}x${n.scrollHeight}) "${text.data.trim().slice(0, 50)}"`);
      }
    }
  }
  // Overlaps: lines of text of two different elements drawn over each other. Text in a
  // bar pinned to the screen is left out: the page scrolls under it by design.
  const pinned = (el) => {
    for (let n = el; n && n !== document.body; n = n.parentElement) {
      if (["fixed", "sticky"].includes(getComputedStyle(n).position)) return true;
    }
    return false;
  };
  const free = texts.filter(({ parent }) => !pinned(parent));
  const SLACK = 2; // px: glyph boxes of neighbouring lines may touch
  for (let i = 0; i < free.length; i += 1) {
    for (let j = i + 1; j < free.length; j += 1) {
      const a = free[i];
      const b = free[j];
      if (a.parent === b.parent) continue;
      const hit = a.rects.some((r) =>
        b.rects.some(
          (s) =>
            Math.min(r.right, s.right) - Math.max(r.left, s.left) > SLACK &&
            Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top) > SLACK,
        ),
      );
      if (hit) {
        problems.push(`overlap: "${a.text.data.trim().slice(0, 40)}" (${label(a.parent)}) and "${b.text.data.trim().slice(0, 40)}" (${label(b.parent)})`);
      }
    }
  }
  return problems;
}
