(width) => {
  const out = [];
  const controls = document.querySelectorAll("main button, main input, main select, main textarea");
  for (const el of controls) {
    if (el.type === "hidden" || el.closest("[hidden], dialog:not([open])")) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    el.scrollIntoView({block: "center", inline: "nearest"});
    const box = el.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) continue;  // visually hidden helpers
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const hit = document.elementFromPoint(x, y);
    const holder = el.closest("label") || el;
    const reachable = box.left >= -0.5 && box.right <= width + 0.5 && hit &&
      (el.contains(hit) || holder.contains(hit) || hit.contains(el));
    if (!reachable) out.push(`${el.outerHTML.slice(0, 100)} at ${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  window.scrollTo(0, 0);
  return out;
}
