// What this phone has sent but the server has not yet acknowledged: answers, comments and
// reactions (agree / disagree / pass on a comment), kept in the browser's localStorage (one
// list per session code) so that neither a dropped connection nor a page reload loses them.
// Each entry is {client_id, event, stage, title, payload}: the payload is resent as it
// was, with the same client_id, so the server stores it once. `stage` is the stage the
// entry belongs to (a reaction's is its comment's), `title` that stage's title as shown.
//
// An entry is removed when the server acknowledges it, or when it refuses it for a reason
// that sending again cannot fix (the stage is no longer open, say). If the storage is not
// available (private browsing, full), the phone still works; it only forgets on reload.

import { RETRY_MS, later } from "./live.js";

const PREFIX = "facilitation.pending.";

// What each kind of entry must carry in its payload to be sent again.
const PAYLOADS = {
  answer: (payload) => payload.value !== undefined,
  comment: (payload) => typeof payload.text === "string",
  react: (payload) => Number.isInteger(payload.comment_id) && typeof payload.reaction === "string",
};

function valid(entry) {
  return (
    entry &&
    typeof entry.client_id === "string" &&
    typeof entry.stage === "string" &&
    Object.hasOwn(PAYLOADS, entry.event) &&
    entry.payload &&
    typeof entry.payload === "object" &&
    PAYLOADS[entry.event](entry.payload)
  );
}

// Whether `newer` makes `older` pointless to send: the last answer to a stage and the last
// reaction to a comment are the ones that count; every comment is a comment of its own.
function replaces(newer, older) {
  if (newer.client_id === older.client_id) return true;
  if (newer.event !== older.event) return false;
  if (newer.event === "answer") return newer.stage === older.stage;
  if (newer.event === "react") return newer.payload.comment_id === older.payload.comment_id;
  return false;
}

/** The pending sends of session `code`: {all(), put(entry), remove(clientId), clear()}. */
export function pendingStore(code) {
  const key = PREFIX + code;

  function all() {
    try {
      const list = JSON.parse(window.localStorage.getItem(key) || "[]");
      return Array.isArray(list) ? list.filter(valid) : [];
    } catch {
      return [];
    }
  }

  function write(list) {
    try {
      if (list.length) window.localStorage.setItem(key, JSON.stringify(list));
      else window.localStorage.removeItem(key);
    } catch {
      // No storage: the entry is still sent from memory, it only won't survive a reload.
    }
  }

  return {
    all,
    /** Keep `entry`, in place of an older one it replaces (see `replaces`). */
    put(entry) {
      write([...all().filter((older) => !replaces(entry, older)), entry]);
    },
    remove(clientId) {
      write(all().filter((e) => e.client_id !== clientId));
    },
    clear() {
      write([]);
    },
  };
}

/**
 * Sends comments and reactions kept in `store` until the server acknowledges them.
 * `send(event, payload)` is live.send; `stopped()` says to give up (the person withdrew);
 * `changed()` hears when an entry starts or stops waiting for the server.
 *
 * deliver(entry, afterAck) keeps the entry, sends it, and while the server says "not now"
 * (an ack with `retry`) sends it again every RETRY_MS. It resolves with the last ack.
 * Asking again for an entry already on its way (a stage drawn again, the resend after a
 * reload) gets the same promise, so it is sent once at a time and `afterAck` runs once.
 * waiting(clientId) is the server's reason while it waits, else null.
 */
export function courier(store, send, { stopped = () => false, changed = () => {} } = {}) {
  const onTheirWay = new Map(); // client_id -> promise of the last ack
  const reasons = new Map(); // client_id -> why the server could not take it just now

  async function run(entry) {
    const id = entry.client_id;
    let ack = await send(entry.event, entry.payload);
    while (!ack.ok && ack.retry && !stopped()) {
      reasons.set(id, ack.error || "");
      changed();
      await later(RETRY_MS);
      if (stopped()) break;
      reasons.delete(id);
      changed();
      ack = await send(entry.event, entry.payload);
    }
    reasons.delete(id);
    if (ack.ok || !ack.retry) store.remove(id);
    return ack;
  }

  return {
    deliver(entry, afterAck = () => {}) {
      const id = entry.client_id;
      if (!onTheirWay.has(id)) {
        store.put(entry);
        const delivery = run(entry).then((ack) => {
          onTheirWay.delete(id);
          afterAck(ack);
          return ack;
        });
        onTheirWay.set(id, delivery);
      }
      return onTheirWay.get(id);
    },
    sending: (clientId) => onTheirWay.has(clientId),
    waiting: (clientId) => (reasons.has(clientId) ? reasons.get(clientId) : null),
  };
}
