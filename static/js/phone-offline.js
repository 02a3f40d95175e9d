// A phone page that keeps working through a dropped Wi-Fi (docs/privacy.md says what is
// kept on the phone and when it goes):
// - the service worker (phone-sw.js) keeps this page and its files, so a reload without
//   the network still opens it; browsers run one only in a secure context (HTTPS, or
//   localhost on the laptop itself), so on plain HTTP over the LAN there is none;
// - the last stage the server sent is kept for this tab (sessionStorage, one per session
//   code) so that reload shows it, with phone-pending.js's answers still waiting, until the
//   server answers again.

const STAGE_PREFIX = "facilitation.stage.";

// What phone.js needs to draw a remembered stage; anything else is not a stage view.
function looksLikeState(state) {
  return (
    state &&
    typeof state === "object" &&
    state.stage &&
    typeof state.stage === "object" &&
    typeof state.stage.key === "string" &&
    typeof state.stage.type === "string" &&
    Number.isInteger(state.stage_index) &&
    Number.isInteger(state.stage_count) &&
    typeof state.status === "string"
  );
}

/** What this phone keeps of session `code` for a reload offline:
 * {lastStage(), rememberStage(state), forget()}. */
export function offlineMemory(code) {
  const key = STAGE_PREFIX + code;
  return {
    /** The last `state` message remembered, or null. */
    lastStage() {
      try {
        const state = JSON.parse(window.sessionStorage.getItem(key) || "null");
        return looksLikeState(state) ? state : null;
      } catch {
        return null;
      }
    },
    /** Remember `state` (the room's stage view: no one's answers) in place of the last. */
    rememberStage(state) {
      if (!looksLikeState(state)) return;
      try {
        window.sessionStorage.setItem(key, JSON.stringify(state));
      } catch {
        // No storage: a reload offline shows "Connecting…" and the waiting answers only.
      }
    },
    /** Drop the remembered stage and the kept copy of this page (the person withdrew). */
    forget() {
      try {
        window.sessionStorage.removeItem(key);
      } catch {
        // Nothing could be stored either.
      }
      return forgetPage();
    },
  };
}

/** Delete this page from every cache of the site (the worker's, whatever its version). */
async function forgetPage() {
  if (!window.caches) return;
  const page = window.location.origin + window.location.pathname;
  try {
    const names = await window.caches.keys();
    await Promise.all(names.map(async (name) => (await window.caches.open(name)).delete(page)));
  } catch {
    // Storage refused (private browsing): nothing was kept.
  }
}

/** Register the service worker at `workerUrl` for the phone pages' folder, and have it keep
 * this page if this load did not come through it. Silent where browsers have none. */
export async function keepWorkingOffline(workerUrl) {
  if (!workerUrl || !("serviceWorker" in navigator) || !window.isSecureContext) return;
  const container = navigator.serviceWorker;
  const handled = Boolean(container.controller);
  try {
    const scope = new URL("./", window.location.href).pathname;
    const registration = await container.register(workerUrl, { scope });
    if (handled) return;
    // Not `container.ready`: it waits for a worker of the address the page was made at, and
    // a page that answered the join form was made at the form's (phone-address.js).
    const worker = await activated(registration);
    if (worker) worker.postMessage({ keep: window.location.pathname });
  } catch {
    // No worker (storage refused, an old browser): the page works; a reload needs the network.
  }
}

/** The registration's active worker once it has one, or null if its install failed. */
function activated(registration) {
  if (registration.active) return Promise.resolve(registration.active);
  const worker = registration.installing || registration.waiting;
  if (!worker) return Promise.resolve(null);
  return new Promise((resolve) => {
    worker.addEventListener("statechange", () => {
      if (worker.state === "activated") resolve(worker);
      else if (worker.state === "redundant") resolve(registration.active);
    });
  });
}
