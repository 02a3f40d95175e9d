// The plan editor's Slide decks panel: uploads and removes decks without leaving the page,
// so nothing typed in the plan, saved or not, is lost. The server answers with the panel's
// list redrawn (templates/plans/_decks.html) and the decks for the stage form's select.
// Without this script the panel's forms post and come back to the editor.

const panel = document.getElementById("slide-decks");
const uploadForm = document.getElementById("deck-upload");
const uploadButton = document.getElementById("deck-upload-button");
const status = document.getElementById("deck-status");
const listeners = [];
let decks = JSON.parse(document.body.dataset.decks || "[]");

/** The plan's decks: [{name, pages}], as last heard from the server. */
export function deckList() {
  return decks;
}

/** Call `listener(decks)` whenever the plan's decks change. */
export function onDecksChanged(listener) {
  listeners.push(listener);
}

/** Show the panel's list as the server drew it (after an upload, a removal or a save). */
export function replacePanel(html) {
  const list = document.getElementById("deck-list");
  if (!list || !html) return;
  const drawn = new DOMParser().parseFromString(html, "text/html").getElementById("deck-list");
  if (!drawn) return;
  list.replaceWith(document.importNode(drawn, true));
  decks = JSON.parse(drawn.dataset.decks || "[]");
  for (const listener of listeners) listener(decks);
}

function say(text, state) {
  if (!status) return;
  status.textContent = text;
  status.dataset.state = state;
}

/** What a reply that is not the server's JSON means (a proxy's page, a lost connection). */
function failure(response) {
  if (response && response.status === 413) return "The file is too large to send.";
  if (response) return `The server refused it (${response.status}). Try again.`;
  return "The server could not be reached. Try again.";
}

async function send(form, doing) {
  say(doing, "saving");
  let response = null;
  let reply;
  try {
    response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    reply = await response.json();
  } catch {
    reply = { ok: false, error: failure(response) };
  }
  if (reply.decks_panel) replacePanel(reply.decks_panel);
  say(reply.ok ? reply.message : `Not done. ${reply.error}`, reply.ok ? "saved" : "error");
  return reply.ok;
}

if (uploadForm) {
  uploadForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = uploadForm.querySelector("input[type=file]");
    if (!file.files.length) {
      say("Choose a deck to upload.", "error");
      file.focus();
      return;
    }
    uploadButton.disabled = true;
    // Rendering a long deck takes a while: say so, so nobody uploads it twice.
    const ok = await send(uploadForm, `Uploading ${file.files[0].name} and rendering its pages…`);
    uploadButton.disabled = false;
    if (ok) uploadForm.reset();
  });
}

if (panel) {
  // The remove buttons are redrawn with the list: one listener for all of them.
  panel.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.classList.contains("deck-remove")) return;
    event.preventDefault();
    send(form, "Removing…");
  });
}
