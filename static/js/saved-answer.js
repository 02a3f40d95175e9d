// How the phone's status bar describes a saved answer: whether it changed one saved
// before ("Changed ✓") or only added to it ("Saved ✓"), and the time it was saved.
// No DOM here, so tests/js/ can run it under Node.

const isPlainObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

function sameValue(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && sameValue(a[key], b[key]));
  }
  return a === b;
}

// Whether `after` keeps everything `before` said: rating a second statement adds to an
// answer, re-rating the first one changes it.
function keepsAll(before, after) {
  if (isPlainObject(before) && isPlainObject(after)) {
    return Object.keys(before).every((key) => key in after && keepsAll(before[key], after[key]));
  }
  return sameValue(before, after);
}

/** Whether sending `after` changes the answer `before` the server already had (undefined
 * or null: nothing saved yet, so nothing to change). */
export function isChange(before, after) {
  if (before === undefined || before === null) return false;
  return !keepsAll(before, after);
}

const two = (n) => String(n).padStart(2, "0");

/** `date` as the phone's local clock shows it: "14:02:31". */
export function clockTime(date) {
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
