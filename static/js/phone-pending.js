// Answers this phone has sent but the server has not yet acknowledged, kept in the
// browser's localStorage (one list per session code) so that neither a dropped connection
// nor a page reload loses them. Each entry is {client_id, event, stage, title, payload}:
// the payload is resent as it was, with the same client_id, so the server stores it once.
//
// An entry is removed when the server acknowledges it, or when it refuses it for a reason
// that sending again cannot fix (the stage is no longer open, say). If the storage is not
// available (private browsing, full), the phone still works; it only forgets on reload.

const PREFIX = "facilitation.pending.";

function valid(entry) {
  return (
    entry &&
    typeof entry.client_id === "string" &&
    typeof entry.event === "string" &&
    typeof entry.stage === "string" &&
    entry.payload &&
    typeof entry.payload === "object"
  );
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
      // No storage: the answer is still sent from memory, it only won't survive a reload.
    }
  }

  return {
    all,
    /** Keep `entry`; it replaces an older one of the same event and stage (the last
     * answer to a stage is the one that counts). */
    put(entry) {
      const others = all().filter((e) => !(e.event === entry.event && e.stage === entry.stage));
      write([...others, entry]);
    },
    remove(clientId) {
      write(all().filter((e) => e.client_id !== clientId));
    },
    clear() {
      write([]);
    },
  };
}
