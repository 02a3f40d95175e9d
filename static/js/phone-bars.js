// The phone's bars that stay on screen: the top bar and the countdown (sticky) and the
// answer status bar (fixed at the bottom). Their heights go into CSS variables on <html>
// (--top-bars, --bottom-bar), which phone.css uses for scroll-padding and the room kept
// under the page, so a focused control or the last button is never hidden behind a bar
// (WCAG 2.4.11). Measured again whenever a bar changes size: a countdown appears, a
// status wraps to two lines, the text is enlarged.

const root = document.documentElement;
const topBar = document.querySelector(".phone-bar");
const controls = document.getElementById("phone-controls");
const bottomBar = document.getElementById("answer-status");
const paceBar = document.getElementById("pace-bar"); // a self-paced run's Back / Next, above it

// A bar covers the page only while it stays put; at 200% zoom the top bar scrolls away.
const stays = (element) => {
  if (!element || element.getClientRects().length === 0) return false; // not displayed
  const position = getComputedStyle(element).position;
  return position === "sticky" || position === "fixed";
};

const height = (element) => (stays(element) ? element.getBoundingClientRect().height : 0);

function measure() {
  const top = height(topBar);
  // The countdown sticks just under the top bar, overlapping it rather than leaving a gap.
  root.style.setProperty("--phone-bar", `${Math.floor(top)}px`);
  root.style.setProperty("--top-bars", `${Math.ceil(top + height(controls))}px`);
  // The Back / Next bar sits on the status bar (--answer-bar); both cover the page.
  const answer = height(bottomBar);
  root.style.setProperty("--answer-bar", `${Math.ceil(answer)}px`);
  root.style.setProperty("--bottom-bar", `${Math.ceil(answer + height(paceBar))}px`);
}

// Chromium's own scroll on Tab ignores scroll-padding: a control just above the bottom bar
// (or under the top bars, tabbing back) counts as in view. So a control taking the focus is
// scrolled clear of the bars at once (the browser's scroll, after this event, then finds it
// in view), and again after the next frame in case the browser scrolled it anyway.
const MARGIN = 8; // px between a focused control and a bar

function keepClear(element) {
  if (!element || !element.getBoundingClientRect || element.closest(".phone-bar, #answer-status, #pace-bar, dialog")) return;
  const box = element.getBoundingClientRect();
  const styles = getComputedStyle(root);
  const top = parseFloat(styles.getPropertyValue("--top-bars")) || 0;
  const bottom = window.innerHeight - (parseFloat(styles.getPropertyValue("--bottom-bar")) || 0);
  if (box.top < top || box.height > bottom - top) window.scrollBy(0, box.top - top - MARGIN);
  else if (box.bottom > bottom) window.scrollBy(0, box.bottom - bottom + MARGIN);
}

document.addEventListener("focusin", (event) => {
  keepClear(event.target);
  requestAnimationFrame(() => {
    if (document.activeElement === event.target) keepClear(event.target);
  });
});

if (typeof ResizeObserver === "function") {
  const observer = new ResizeObserver(measure);
  for (const element of [topBar, controls, bottomBar, paceBar]) if (element) observer.observe(element);
}
window.addEventListener("resize", measure);
measure();
