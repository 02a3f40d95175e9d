// The stage countdown as every page shows it (console, phone, projector).
//
// The server sends the timer in each `state` as {running, ends_at, remaining_ms,
// auto_close} with the server's clock (`server_time`); a device whose clock is off still
// counts down to the same moment as everyone else.

/** mm:ss of a number of milliseconds (rounded up, so 0:01 shows until the very end). */
export function clockText(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

/**
 * A countdown kept in step with the server's clock: `update(timer, serverTime)` on every
 * state; `remaining()` in milliseconds (null without a timer); `timer` the last one.
 */
export function countdown() {
  let timer = null;
  let offset = 0; // the server's clock minus ours
  return {
    update(next, serverTime) {
      timer = next || null;
      const server = Date.parse(serverTime || "");
      if (Number.isFinite(server)) offset = server - Date.now();
    },
    remaining() {
      if (!timer) return null;
      if (!timer.running) return timer.remaining_ms;
      return Math.max(0, Date.parse(timer.ends_at) - (Date.now() + offset));
    },
    get timer() {
      return timer;
    },
  };
}

/**
 * What a countdown badge shows for `remaining` ms of `timer`: "running", "paused", "up"
 * (time's up) or null (nothing). Once the results are revealed, a red "Time's up" is old
 * news that reads as a warning over them, so it goes.
 */
export function countdownShows(remaining, timer, revealed = false) {
  if (remaining === null || !timer) return null;
  if (remaining === 0) return revealed ? null : "up";
  return timer.running ? "running" : "paused";
}
