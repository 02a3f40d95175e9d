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
 * Sends the entries kept in `store` until the server acknowledges them: one resend loop
 * for answers, comments and reactions. `send(event, payload)` is live.send; `stopped()`
 * says to give up (the person withdrew); `changed(entry)` hears when an entry starts or
 * stops waiting for the server.
 *
 * deliver(entry, afterAck) keeps the entry, sends it, and while the server says "not now"
 * (an ack with `retry`) sends it again every RETRY_MS. It resolves with the last ack.
 * Asking again for an entry already on its way (a stage drawn again, the resend after a
 * reload) gets the same promise, so it is sent once at a time and `afterAck` runs once.
 *
 * An entry that replaces one still on its way (a newer answer to the same stage, see
 * `replaces`) supersedes it: the older is not sent again (nor at all, if it has not gone
 * yet), and the newer is sent only once the older's current send is over, so the server
 * gets them in order and the last one counts. The older's promise then resolves with its
 * own last ack marked `superseded: true` (`{ok: false, superseded: true}` if it never
 * went), so whoever shows it can leave the word to the newer one.
 *
 * sending(clientId) says whether it is on its way; waiting(clientId) is the server's
 * reason while it waits, else null.
 */
export function courier(store, send, { stopped = () => false, changed = () => {} } = {}) {
  const onTheirWay = new Map(); // client_id -> {entry, superseded, overtaken, overtake(), promise}
  const reasons = new Map(); // client_id -> why the server could not take it just now

  async function run(delivery, before) {
    const { entry } = delivery;
    const id = entry.client_id;
    await Promise.all(before); // the entries it replaces finish their current send first
    if (delivery.superseded) return { ok: false, superseded: true };
    let ack = await send(entry.event, entry.payload);
    while (!ack.ok && ack.retry && !stopped() && !delivery.superseded) {
      reasons.set(id, ack.error || "");
      changed(entry);
      // Cut short if a newer entry supersedes this one: no resend is coming.
      await Promise.race([later(RETRY_MS), delivery.overtaken]);
      if (stopped() || delivery.superseded) break;
      reasons.delete(id);
      changed(entry);
      ack = await send(entry.event, entry.payload);
    }
    reasons.delete(id);
    if (delivery.superseded) return { ...ack, superseded: true };
    if (ack.ok || !ack.retry) store.remove(id);
    return ack;
  }

  /** Mark the deliveries `entry` replaces as superseded; their promises, to wait for. */
  function supersede(entry) {
    const older = [...onTheirWay.values()].filter((d) => replaces(entry, d.entry));
    for (const delivery of older) {
      delivery.superseded = true;
      delivery.overtake();
    }
    return older.map((delivery) => delivery.promise);
  }

  return {
    deliver(entry, afterAck = () => {}) {
      const id = entry.client_id;
      if (!onTheirWay.has(id)) {
        const before = supersede(entry);
        store.put(entry);
        const delivery = { entry, superseded: false };
        delivery.overtaken = new Promise((resolve) => {
          delivery.overtake = resolve;
        });
        delivery.promise = run(delivery, before).then((ack) => {
          onTheirWay.delete(id);
          afterAck(ack);
          return ack;
        });
        onTheirWay.set(id, delivery);
      }
      return onTheirWay.get(id).promise;
    },
    sending: (clientId) => onTheirWay.has(clientId),
    waiting: (clientId) => (reasons.has(clientId) ? reasons.get(clientId) : null),
  };
}
