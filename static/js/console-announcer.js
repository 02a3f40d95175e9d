// What the console tells a screen reader without moving the focus (WCAG 4.1.3), through
// one polite live region: the room's counts as they change, and the results being shown to
// or hidden from the room.
//
// Counts are said at most once every ten seconds: in a room voting, a count read out at
// every vote would talk over everything else. A change inside the ten seconds waits, and
// the counts as they stand then are said once. A new stage (and the first sync) sets what
// the counts are compared with, silently: "0 answered" on a new stage is not news.
//
// consoleAnnouncer(say, {every, now, later, cancel}) returns {counts(stageKey, pairs),
// results(stageKey, revealed)}; `pairs` are countsOf()'s [number, label] (console-results.js).

export const COUNTS_EVERY_MS = 10_000;

// What is said of the counts: people who joined and what was answered, not "connected",
// which goes up and down with every phone's screen lock.
const SAID = (label) => label !== "connected";

export function countsWords(pairs) {
  return pairs
    .filter(([, label]) => SAID(label))
    .map(([number, label]) => `${number} ${label}`)
    .join(", ");
}

export function consoleAnnouncer(
  say,
  { every = COUNTS_EVERY_MS, now = () => Date.now(), later = setTimeout, cancel = clearTimeout } = {},
) {
  let stage = null; // the stage the counts are of
  let heard = null; // the counts last said (or the stage's first), in words
  let latest = null; // the counts now, in words
  let saidAt = -Infinity;
  let waiting = null; // the timer of counts held back
  let shown = null; // {stage, revealed}: the results as last seen

  const sayCounts = () => {
    waiting = null;
    if (latest === heard) return;
    heard = latest;
    saidAt = now();
    say(latest);
  };

  return {
    counts(stageKey, pairs) {
      const words = countsWords(pairs);
      if (!words) return; // no counts yet (the stage's results are on their way)
      latest = words;
      if (stageKey !== stage) {
        stage = stageKey;
        heard = words;
        if (waiting !== null) cancel(waiting);
        waiting = null;
        return;
      }
      if (words === heard || waiting !== null) return;
      const wait = saidAt + every - now();
      if (wait <= 0) sayCounts();
      else waiting = later(sayCounts, wait);
    },
    results(stageKey, revealed) {
      const before = shown;
      shown = { stage: stageKey, revealed };
      if (!before || before.stage !== stageKey || before.revealed === revealed) return;
      say(revealed ? "Results shown to the room" : "Results hidden from the room");
    },
  };
}
