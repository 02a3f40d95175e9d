// The console's Notes panel: the note-takers' notes (every stage, newest first) with
// "Show on projector" / "Remove from projector", and the link that invites a note-taker.
// Note text goes in as text nodes only.
//
// Hooks in console.js: `notes.sync(reply)` on every sync; `setupNotes(...)` listens to the
// `notes` pushes itself.

import { fill, h } from "./live.js";

const $ = (id) => document.getElementById(id);

function timeOf(iso) {
  if (!iso) return "";
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "";
  return at.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

/** Copy `text`; falls back to selecting `input` and the old copy command on plain http. */
async function copyText(text, input) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  input.focus();
  input.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}

/**
 * The panel in #notes-pane. `live` is connectLive's {socket, send}. Returns {sync(reply)}.
 */
export function setupNotes(live) {
  const el = {
    list: $("notes-list"),
    count: $("notes-count"),
    inviteUrl: $("notes-invite-url"),
    inviteOpen: $("notes-invite-open"),
    copy: $("notes-invite-copy"),
    copyStatus: $("notes-invite-status"),
    alert: $("notes-alert"),
    details: $("notes-details"),
  };
  const view = { notes: [], seq: 0, connected: false, busy: null, unfolded: false };
  let copiedTimer = null;

  function render() {
    const shown = view.notes.filter((note) => note.shown).length;
    el.count.textContent = view.notes.length
      ? shown
        ? `(${view.notes.length}, ${shown} on the projector)`
        : `(${view.notes.length})`
      : "";
    if (!view.notes.length) {
      fill(
        el.list,
        h(
          "p",
          { class: "muted empty-notes" },
          "No notes yet. Invite a note-taker: what they write appears here, " +
            "tagged with the stage and table.",
        ),
      );
      return;
    }
    const focused = document.activeElement?.closest?.("[data-note-id]")?.dataset.noteId;
    fill(
      el.list,
      h(
        "ol",
        { class: "note-list" },
        view.notes.map((note) =>
          h(
            "li",
            {
              class: note.shown ? "console-note is-shown" : "console-note",
              dataset: { noteId: String(note.id) },
            },
            h(
              "p",
              { class: "note-tags" },
              h("span", { class: "note-table" }, note.table || "Whole room"),
              h("span", { class: "note-stage" }, note.stage_title || note.stage || ""),
            ),
            note.shown ? h("p", { class: "shown-label" }, "On the projector") : null,
            h("p", { class: "note-text" }, note.text),
            h(
              "div",
              { class: "note-foot" },
              h(
                "p",
                { class: "note-meta" },
                h("span", { class: "note-author" }, note.author || ""),
                h("time", { datetime: note.created_at || "" }, timeOf(note.created_at)),
              ),
              h(
                "button",
                {
                  type: "button",
                  class: note.shown ? "secondary small note-toggle" : "small note-toggle",
                  disabled: !view.connected || view.busy !== null,
                  onclick: () => toggle(note),
                },
                note.shown ? "Remove from projector" : "Show on projector",
                h("span", { class: "visually-hidden" }, `: ${note.text.slice(0, 60)}`),
              ),
            ),
          ),
        ),
      ),
    );
    if (focused) {
      const again = el.list.querySelector(`[data-note-id="${CSS.escape(focused)}"] button`);
      if (again) again.focus();
    }
  }

  function renderButtons() {
    for (const button of el.list.querySelectorAll("button.note-toggle")) {
      button.disabled = !view.connected || view.busy !== null;
    }
  }

  async function toggle(note) {
    if (view.busy !== null) return;
    view.busy = note.id;
    el.alert.textContent = "";
    renderButtons();
    try {
      const ack = await live.send(note.shown ? "hide_note" : "show_note", { note_id: note.id });
      if (!ack || !ack.ok) {
        el.alert.textContent = (ack && ack.error) || "That did not work; please try again.";
      }
    } finally {
      view.busy = null;
      renderButtons();
    }
  }

  function onNotes(message) {
    if (!message || !Array.isArray(message.notes)) return;
    if (typeof message.seq === "number") {
      if (message.seq < view.seq) return; // an older push arriving late
      view.seq = message.seq;
    }
    view.notes = message.notes;
    // The panel is folded until used: the first note unfolds it, once; folding it again stays.
    if (view.notes.length && !view.unfolded) {
      view.unfolded = true;
      el.details.open = true;
    }
    render();
  }

  el.copy.addEventListener("click", async () => {
    const url = el.inviteUrl.value;
    if (!url) return;
    const copied = await copyText(url, el.inviteUrl);
    el.copyStatus.textContent = copied
      ? "Copied ✓ Send it to the note-taker's laptop or tablet."
      : "Select the link and copy it.";
    clearTimeout(copiedTimer);
    copiedTimer = setTimeout(() => {
      el.copyStatus.textContent = "";
    }, 6000);
  });
  el.inviteUrl.addEventListener("focus", () => el.inviteUrl.select());
  el.inviteOpen.addEventListener("click", (event) => {
    if (el.inviteOpen.getAttribute("aria-disabled") === "true") event.preventDefault();
  });
  live.socket.on("notes", onNotes);
  live.socket.on("connect", () => {
    view.connected = true;
    renderButtons();
  });
  live.socket.on("disconnect", () => {
    view.connected = false;
    renderButtons();
  });

  function showInvite(url) {
    if (!url) return;
    el.inviteUrl.value = url;
    el.inviteOpen.href = url;
    el.inviteOpen.removeAttribute("aria-disabled");
    el.copy.disabled = false;
  }

  render();
  return {
    sync(reply) {
      view.connected = true;
      showInvite(reply.notes_url);
      view.seq = 0; // a sync is the whole truth as of its seq
      onNotes(reply.notes);
    },
    invite: showInvite, // a new link, after the old one was revoked (console-links.js)
  };
}
