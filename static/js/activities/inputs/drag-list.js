// Reordering a list by dragging, with a finger or a mouse (Pointer Events, no library).
//
// The row follows the pointer; when its middle passes a neighbour's middle the two swap
// places in the DOM, so what is on screen is always the order that a drop keeps. Near the
// top or bottom of the screen (inside the phone's bars) the page scrolls along. A touch
// starts a drag only on a row's handle, whose `touch-action: none` keeps the rest of the
// list scrolling the page as usual; a mouse may grab anywhere on the row but its buttons.

const EDGE = 56; // px from a screen edge (inside the bars) where the page scrolls along
const STEP = 10; // px scrolled a frame there
const THRESHOLD = 4; // px a mouse moves before a press becomes a drag

const barHeight = (name) =>
  parseFloat(getComputedStyle(document.documentElement).getPropertyValue(name)) || 0;

/**
 * Let `list`'s rows (children with data-key) be dragged into a new order.
 * `options.handle`: selector of the part of a row a touch drags by; `options.enabled()`:
 * whether dragging is allowed now; `options.dropped(order, key)`: called with the new
 * order of keys (and the key dragged) when a drag that moved a row ends;
 * `options.shuffled()`: called whenever the rows on screen change places mid-drag.
 * Returns {dragging()}: whether a drag is under way (a redraw must wait for its end).
 */
export function draggableRows(list, { handle, enabled, dropped, shuffled = () => {} }) {
  let drag = null; // {row, key, pointerId, grab, y, startY, moved, before, frame}

  const keys = () => [...list.children].map((row) => row.dataset.key);

  function start(event) {
    if (drag || !enabled() || (event.pointerType === "mouse" && event.button !== 0)) return;
    const row = event.target.closest("[data-key]");
    if (!row || row.parentElement !== list) return;
    const onHandle = Boolean(event.target.closest(handle));
    const mouseOnRow = event.pointerType === "mouse" && !event.target.closest("button, a, input");
    if (!onHandle && !mouseOnRow) return;
    event.preventDefault(); // no text selection, no scrolling, no focus moving away
    const top = row.getBoundingClientRect().top;
    drag = {
      row,
      key: row.dataset.key,
      pointerId: event.pointerId,
      grab: event.clientY - top,
      y: event.clientY,
      startY: event.clientY,
      moved: onHandle && event.pointerType !== "mouse",
      before: keys(),
      frame: null,
    };
    row.setPointerCapture(event.pointerId);
    if (drag.moved) begin();
  }

  function begin() {
    drag.moved = true;
    drag.row.classList.add("dragging");
    list.classList.add("is-dragging");
    drag.frame = requestAnimationFrame(scrollAlong);
  }

  function move(event) {
    if (!drag || event.pointerId !== drag.pointerId) return;
    drag.y = event.clientY;
    if (!drag.moved) {
      if (Math.abs(drag.y - drag.startY) < THRESHOLD) return;
      begin();
    }
    follow();
  }

  // Put the row under the pointer, swapping it past every neighbour whose middle it passed.
  function follow() {
    const { row } = drag;
    const shown = keys().join();
    row.style.transform = "";
    const bounds = list.getBoundingClientRect();
    const height = row.offsetHeight;
    // Swaps follow the pointer; only the drawn row stays inside the list (a row held past
    // the list's top must still pass the first row's middle).
    const middle = drag.y - drag.grab + height / 2;
    const top = Math.max(bounds.top, Math.min(drag.y - drag.grab, bounds.bottom - height));
    const centre = (element) => {
      const box = element.getBoundingClientRect();
      return box.top + box.height / 2;
    };
    // The neighbours move, never the row: taking it out of the list would end the capture.
    while (row.previousElementSibling && middle < centre(row.previousElementSibling)) {
      list.insertBefore(row.previousElementSibling, row.nextElementSibling);
    }
    while (row.nextElementSibling && middle > centre(row.nextElementSibling)) {
      list.insertBefore(row.nextElementSibling, row);
    }
    row.style.transform = `translateY(${top - row.getBoundingClientRect().top}px)`;
    if (keys().join() !== shown) shuffled();
  }

  function scrollAlong() {
    if (!drag) return;
    const high = barHeight("--top-bars") + EDGE;
    const low = window.innerHeight - barHeight("--bottom-bar") - EDGE;
    const step = drag.y < high ? -STEP : drag.y > low ? STEP : 0;
    if (step) {
      const before = window.scrollY;
      window.scrollBy(0, step);
      if (window.scrollY !== before) follow();
    }
    drag.frame = requestAnimationFrame(scrollAlong);
  }

  function end(event, keep) {
    if (!drag || event.pointerId !== drag.pointerId) return;
    const { row, key, before, moved, frame } = drag;
    drag = null;
    cancelAnimationFrame(frame);
    row.style.transform = "";
    row.classList.remove("dragging");
    list.classList.remove("is-dragging");
    if (row.hasPointerCapture(event.pointerId)) row.releasePointerCapture(event.pointerId);
    const after = keys();
    if (!moved) return;
    if (!keep) {
      for (const k of before) list.append(list.querySelector(`:scope > [data-key="${CSS.escape(k)}"]`));
      shuffled();
      return;
    }
    if (after.some((k, index) => k !== before[index])) dropped(after, key);
  }

  list.addEventListener("pointerdown", start);
  list.addEventListener("pointermove", move);
  list.addEventListener("pointerup", (event) => end(event, true));
  list.addEventListener("pointercancel", (event) => end(event, false));
  list.addEventListener("lostpointercapture", (event) => end(event, true));
  return { dragging: () => drag !== null };
}
