(minimum) => {
  // Every text a person can see on the projector, HTML and SVG (Plotly's labels), with its
  // size in CSS px as drawn and its box; then what is too small, what overlaps another
  // text and what runs off the screen. A text's own parts (the lines of one text node, the
  // <tspan>s of one <text>) may touch each other.
  const texts = [];
  const seen = (element) => {
    for (let n = element; n && n !== document.documentElement; n = n.parentElement) {
      const style = getComputedStyle(n);
      if (style.display === "none" || style.visibility === "hidden" || Number(style.opacity) === 0) return false;
    }
    return true;
  };
  // The part of `box` left inside `element` and its ancestors where they clip (overflow
  // other than visible): a comment cut at six lines has no seventh line on screen, and
  // a visually hidden text (1px, clipped) none at all.
  const clipped = (element, box) => {
    let { left, top, right, bottom } = box;
    for (let n = element; n && n !== document.body; n = n.parentElement) {
      const style = getComputedStyle(n);
      if (n instanceof SVGElement || (style.overflowX === "visible" && style.overflowY === "visible")) continue;
      const clip = n.getBoundingClientRect();
      left = Math.max(left, clip.left);
      top = Math.max(top, clip.top);
      right = Math.min(right, clip.right);
      bottom = Math.min(bottom, clip.bottom);
    }
    return right - left > 1 && bottom - top > 1 ? { left, top, right, bottom } : null;
  };
  const onScreen = (b) => b.right > 0 && b.bottom > 0 && b.left < innerWidth && b.top < innerHeight;
  const label = (s) => s.replace(/\s+/g, " ").trim().slice(0, 50);

  // HTML text: one entry per text node, its boxes one per line.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.data.trim() || !parent || parent.closest("svg")) continue;
    if (["SCRIPT", "STYLE", "NOSCRIPT", "TITLE"].includes(parent.tagName) || !seen(parent)) continue;
    range.selectNodeContents(node);
    const boxes = Array.from(range.getClientRects())
      .filter((b) => b.width > 1 && b.height > 1)
      .map((b) => clipped(parent, b))
      .filter(Boolean);
    // Wholly off the screen is not on the projector (the skip link until it has focus).
    if (!boxes.some(onScreen)) continue;
    texts.push({ text: label(node.data), size: parseFloat(getComputedStyle(parent).fontSize), boxes });
  }
  // SVG text: one entry per <text>, its size scaled by the transform it is drawn with.
  for (const text of document.querySelectorAll("svg text")) {
    if (!text.textContent.trim() || !seen(text)) continue;
    const box = text.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    const matrix = text.getScreenCTM();
    const scale = matrix ? Math.hypot(matrix.a, matrix.b) : 1;
    const size = parseFloat(getComputedStyle(text).fontSize) * scale;
    const boxes = [clipped(text.closest("svg"), box)].filter(Boolean);
    if (boxes.some(onScreen)) texts.push({ text: label(text.textContent), size, boxes, svg: true });
  }

  const problems = [];
  for (const t of texts) {
    if (t.size < minimum - 0.1) problems.push(`${t.size.toFixed(1)}px: ${JSON.stringify(t.text)}`);
    for (const b of t.boxes) {
      if (b.left < -1 || b.top < -1 || b.right > innerWidth + 1 || b.bottom > innerHeight + 1) {
        problems.push(`off the screen: ${JSON.stringify(t.text)}`);
        break;
      }
    }
  }
  const overlap = (a, b) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  for (let i = 0; i < texts.length; i += 1) {
    for (let j = i + 1; j < texts.length; j += 1) {
      const hit = texts[i].boxes.some((a) => texts[j].boxes.some((b) => overlap(a, b)));
      if (hit) problems.push(`overlap: ${JSON.stringify(texts[i].text)} and ${JSON.stringify(texts[j].text)}`);
    }
  }
  return { count: texts.length, smallest: Math.min(...texts.map((t) => t.size)), problems };
}
