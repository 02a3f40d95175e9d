// The live connection every page kind shares (phone, projector, console), and small DOM
// helpers. Socket.IO's browser client is loaded before this module as a classic script
// (static/vendor/socket.io.min.js, from npm) and is the global `io`.
//
// Protocol: docs/protocol.md. Every message from the server carries `seq`; a message
// older than one already shown is dropped, so a late push never undoes a newer one.

const ACK_TIMEOUT_MS = 8000;

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
 * Connects, and on every (re)connect asks for `sync` and hands the reply to `on.sync`.
 * `on.status(status, message)` hears "connecting", "connected", "reconnecting" and
 * "refused" (the server said no: `message` says why). Returns {socket, send}.
 */
export function connectLive({ code, role, key = null, on = {}, syncPayload = {} }) {
  const auth = { code, role };
  if (key) auth.key = key;
  const socket = window.io({ auth, transports: ["websocket", "polling"] });
  const latest = { state: 0, results: 0, comments: 0 };
  const status = (value, message) => on.status && on.status(value, message);

  const fresh = (kind, message) => {
    if (!message || typeof message.seq !== "number") return true;
    if (message.seq < latest[kind]) return false;
    latest[kind] = message.seq;
    return true;
  };

  status("connecting");
  socket.on("connect", async () => {
    status("connected");
    const reply = await send("sync", syncPayload); // e.g. {stage} for a pinned projector
    if (!reply.ok) {
      status("refused", reply.error);
      return;
    }
    // A sync is the whole truth as of its seq: it resets what counts as newer.
    latest.state = latest.results = latest.comments = reply.seq || 0;
    if (on.sync) on.sync(reply);
  });
  socket.on("disconnect", () => status("reconnecting"));
  socket.on("connect_error", (error) => {
    // The server refused us (not a network blip): say why and stop retrying.
    if (error && error.message && !socket.active) status("refused", error.message);
    else status("reconnecting");
  });
  for (const kind of ["state", "results", "comments"]) {
    socket.on(kind, (message) => {
      if (fresh(kind, message) && on[kind]) on[kind](message);
    });
  }

  /**
   * Emit `event` and resolve with the server's ack. A timed-out attempt is repeated with
   * the same payload (and so the same client_id) once connected again, so a submission
   * made on a flaky connection is stored exactly once.
   */
  async function send(event, payload, { attempts = 5 } = {}) {
    for (let attempt = 1; ; attempt += 1) {
      if (!socket.connected) await once(socket, "connect");
      try {
        return await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
      } catch (timeout) {
        if (attempt >= attempts) {
          return { ok: false, error: "No answer from the server; please check your connection." };
        }
      }
    }
  }

  return { socket, send };
}

function once(socket, event) {
  return new Promise((resolve) => socket.once(event, resolve));
}

/** Show the connection status in `element` (a `.connection` pill). */
export function showStatus(element, value, message) {
  const words = {
    connecting: "Connecting…",
    connected: "Live",
    reconnecting: "Reconnecting…",
    refused: message || "Not connected",
  };
  element.dataset.status = value === "refused" ? "offline" : value;
  element.textContent = words[value] || value;
}
