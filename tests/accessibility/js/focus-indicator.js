() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {ok: false, why: "nothing focused"};
  const rgb = (text) => (text.match(/[\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(rgb(a)), luminance(rgb(b))].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const background = (node) => {
    for (let n = node; n; n = n.parentElement) {
      const colour = getComputedStyle(n).backgroundColor;
      const parts = rgb(colour);
      if (parts.length === 3 || (parts.length === 4 && parts[3] > 0)) return colour;
    }
    return "rgb(255, 255, 255)";
  };
  const shown = (node) => {
    const box = node.getBoundingClientRect();
    const style = getComputedStyle(node);
    return box.width > 2 && box.height > 2 && style.visibility !== "hidden" && Number(style.opacity) > 0;
  };
  const describe = (node) => node.outerHTML.slice(0, 140);
  const ring = shown(el) ? el : [el.closest("label"), el.parentElement].find((n) => n && shown(n));
  if (!ring) return {ok: false, why: "the focused element is not visible", what: describe(el)};
  // WCAG 2.2 2.4.11: the focused control is not entirely hidden (say, under a sticky bar).
  const box = ring.getBoundingClientRect();
  const inside = [[0.5, 0.5], [0.1, 0.1], [0.9, 0.1], [0.1, 0.9], [0.9, 0.9]].some(([fx, fy]) => {
    const hit = document.elementFromPoint(box.left + fx * box.width, box.top + fy * box.height);
    return hit && (ring.contains(hit) || el.contains(hit));
  });
  if (!inside) return {ok: false, why: "the focused element is hidden under another", what: describe(el)};
  const style = getComputedStyle(ring);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow !== "none" ? style.boxShadow.match(/rgba?\([^)]*\)/)[0] : null;
  if (!outline && !shadow) return {ok: false, why: "no outline or box-shadow", what: describe(ring)};
  const ratio = outline && shadow ? contrast(style.outlineColor, shadow)
    : contrast(outline ? style.outlineColor : shadow, background(ring.parentElement || ring));
  return {ok: ratio >= 3, why: `ring contrast ${ratio.toFixed(2)}:1`, what: describe(el),
          outline: outline ? `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}` : null,
          shadow};
}
