() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const seen = (node) => {
    for (let n = node; n && n !== document.body; n = n.parentElement) {
      const style = getComputedStyle(n);
      if (style.visibility === "hidden" || style.display === "none" || Number(style.opacity) === 0) return false;
    }
    return true;
  };
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    if (!text.data.trim()) continue;
    const parent = text.parentElement;
    if (!parent || ["SCRIPT", "STYLE", "NOSCRIPT", "TITLE"].includes(parent.tagName)) continue;
    range.selectNodeContents(text);
    const box = range.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // visually hidden
    if (box.right <= 0 || box.bottom <= 0 || box.left >= innerWidth || box.top >= innerHeight) continue;
    if (!seen(parent)) continue;
    const size = parseFloat(getComputedStyle(parent).fontSize);
    found.push({size, text: text.data.trim().slice(0, 60), in: parent.className && parent.className.baseVal !== undefined ? parent.className.baseVal : parent.className || parent.tagName});
  }
  return found.sort((a, b) => a.size - b.size);
}
