// The live connection every page kind shares (phone, projector, console), and small DOM
// helpers. Socket.IO's browser client is loaded before this module as a classic script
// (static/vendor/socket.io.min.js, from npm) and is the global `io`.
//
// Protocol: docs/protocol.md. Every message from the server carries `seq`; a message
// older than one already shown is dropped, so a late push never undoes a newer one.

const ACK_TIMEOUT_MS = 8000;
// Under engine.io's max_http_buffer_size (64 KB, app.py), with room for the packet framing.
const MAX_MESSAGE_CHARS = 60 * 1024;
// How long to wait before asking again when the server says it can't save right now
// (its database is away: an ack or a refusal with `retry`).
export const RETRY_MS = 3000;

/** A promise resolved after `ms` milliseconds. */
export function later(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A random id for one submission, kept across retries so the server stores it once. */
export function clientId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * h("p", {class: "muted"}, "text", child): an element. Strings become text nodes, never
 * HTML, so participant text is always escaped. Attributes starting with "on" take
 * listeners; `null`, `false` and `undefined` attributes and children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "dataset") {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Replace everything inside `element` with `children`. */
export function fill(element, ...children) {
  element.replaceChildren();
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A count of people in words: "1 person", "3 people" (the projector's and console's English). */
export function people(n) {
  return n === 1 ? "1 person" : `${n} people`;
}

/** Paragraphs from plain text with blank lines between them (plan bodies, summaries). */
export function paragraphs(text) {
  return String(text || "")
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => h("p", {}, part));
}

/**
 * Draw a server-built Plotly figure ({data, layout}) into `element`. Returns Plotly's
 * promise (resolved once drawn), or undefined when there is nothing to draw.
 */
export function drawFigure(element, figure) {
  if (!figure || !window.Plotly) return undefined;
  return window.Plotly.react(element, figure.data, figure.layout, {
    displayModeBar: false,
    responsive: true,
    staticPlot: false,
  });
}

/**
 * connectLive({code, role, key, on: {sync, state, results, comments, status}, syncPayload})
 *
 * Connects, and on every (re)connect hands the `sync` reply to `on.sync`: the server sends
 * it with the connection (`synced`, asked for by `auth.sync`), or it is asked for.
 * `on.status(status, message)` hears "connecting", "connected", "reconnecting" and
 * "refused" (the server said no: `message` says why). Returns {socket, send}.
 */
export function connectLive({ code, role, key = null, on = {}, syncPayload = {} }) {
  // sync: the first sync comes with the connection, a round trip sooner (live/events.py).
  const auth = { code, role, sync: syncPayload };
  if (key) auth.key = key;
  // timeout: a connection attempt that stalls before the handshake (a dead network, a
  // server killed mid-connect) is abandoned and retried after 10 s instead of Socket.IO's 20.
  const socket = window.io({ auth, transports: ["websocket", "polling"], timeout: 10000 });
  const latest = { state: 0, results: 0, comments: 0 };
  const status = (value, message) => on.status && on.status(value, message);

  const fresh = (kind, message) => {
    if (!message || typeof message.seq !== "number") return true;
    if (message.seq < latest[kind]) return false;
    latest[kind] = message.seq;
    return true;
  };

  // The server sends it before Socket.IO says `connect`; a server that did not (an older
  // one, mid-upgrade) is asked. Dropped with the connection, so it is never a stale one.
  let pushed = null;
  socket.on("synced", (reply) => {
    pushed = reply;
  });

  status("connecting");
  socket.on("connect", async () => {
    status("connected");
    let reply = pushed;
    pushed = null;
    if (!reply) reply = await send("sync", syncPayload); // e.g. {stage} for a pinned projector
    // The database is away for a moment: keep asking, as a reconnect would.
    while (!reply.ok && reply.retry && socket.connected) {
      status("reconnecting");
      await later(RETRY_MS);
      reply = await send("sync", syncPayload);
      if (reply.ok) status("connected");
    }
    if (!reply.ok) {
      if (!reply.retry) status("refused", reply.error); // else a reconnect syncs again
      return;
    }
    // A sync is the whole truth as of its seq: it resets what counts as newer.
    latest.state = latest.results = latest.comments = reply.seq || 0;
    if (on.sync) on.sync(reply);
  });
  socket.on("disconnect", (reason) => {
    pushed = null;
    status("reconnecting");
    // The server ended this connection on purpose (the link it came in by was revoked, the
    // login it relied on ended), and Socket.IO will not reconnect by itself: connect once
    // more, so the page is either let in again (say, by the login) or refused and says why.
    if (reason === "io server disconnect") socket.connect();
  });
  socket.on("connect_error", (error) => {
    if (error && error.data && error.data.retry && !socket.active) {
      // Refused only because the server can't reach its database: try again ourselves,
      // since Socket.IO stops reconnecting after a refusal.
      status("reconnecting");
      setTimeout(() => socket.connect(), RETRY_MS);
    } else if (error && error.message && !socket.active) {
      // The server refused us (not a network blip): say why and stop retrying.
      status("refused", error.message);
    } else {
      status("reconnecting");
    }
  });
  for (const kind of ["state", "results", "comments"]) {
    socket.on(kind, (message) => {
      if (fresh(kind, message) && on[kind]) on[kind](message);
    });
  }

  /**
   * Emit `event` and resolve with the server's ack. A timed-out attempt is repeated with
   * the same payload (and so the same client_id) once connected again, so a submission
   * made on a flaky connection is stored exactly once. After `attempts` timeouts the
   * result is an error with `retry: true`, as the server may not have had it at all.
   */
  async function send(event, payload, { attempts = 5 } = {}) {
    // Over engine.io's 64 KB (app.py) the server drops the connection without an ack, and
    // each resend would drop it again: say so instead. Smaller messages over the app's own
    // limit (payloads.MAX_PAYLOAD_CHARS) get the server's ack error.
    if (JSON.stringify(payload ?? null).length > MAX_MESSAGE_CHARS) {
      return { ok: false, error: "That message is too large to send; please shorten it." };
    }
    for (let attempt = 1; ; attempt += 1) {
      if (!socket.connected) await once(socket, "connect");
      try {
        return await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
      } catch (timeout) {
        if (attempt >= attempts) {
          return {
            ok: false,
            retry: true,
            error: "No answer from the server; please check your connection.",
          };
        }
      }
    }
  }

  return { socket, send };
}

function once(socket, event) {
  return new Promise((resolve) => socket.once(event, resolve));
}

/** Show the connection status in `element` (a `.connection` pill); `translate` puts the
 * words in the page's language (the phone passes phone-text.js's `t`). */
export function showStatus(element, value, message, translate = (text) => text) {
  const words = {
    connecting: translate("Connecting…"),
    connected: connectedWords(element, translate),
    reconnecting: translate("Reconnecting…"),
    refused: message || "Not connected",
  };
  element.dataset.status = value === "refused" ? "offline" : value;
  element.textContent = words[value] || value;
}

// Once the session has ended, "Live" beside "Session ended" reads as the session's status:
// the pill then only says the page is still connected.
function connectedWords(element, translate) {
  return element.dataset.sessionEnded === "true" ? translate("Connected") : translate("Live");
}

/** Tell the connection pill whether the session has ended (see connectedWords). */
export function showSessionEnded(element, ended, translate = (text) => text) {
  element.dataset.sessionEnded = String(Boolean(ended));
  if (element.dataset.status === "connected") element.textContent = connectedWords(element, translate);
}
