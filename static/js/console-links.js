// Revoking the console's two links: the projector link (under "Projector links", shared by
// the link that follows and the pinned ones) and the note-taker invitation. Each gets a
// "Revoke and make a new link" button; after a confirmation it sends `reissue_screen_link`
// or `reissue_notes_link`. The old link then opens nothing, projectors and note-takers on
// it are disconnected, and the new link comes back in the ack (and to every console of the
// session as a `links` push), which `applyLinks` shows.

import { h } from "./live.js";

const LINKS = {
  screen: {
    event: "reissue_screen_link",
    name: "projector link",
    question: "Revoke the projector links?",
    explain:
      "Every projector link shown now stops working at once, and projectors open on one " +
      "are disconnected. A projector you opened while logged in keeps working. Open the new " +
      "link on each projector's laptop.",
    done: "New projector links made ✓ The old ones no longer work.",
  },
  notes: {
    event: "reissue_notes_link",
    name: "note-taker link",
    question: "Revoke the note-taker link?",
    explain:
      "The invitation link stops working at once, and everyone who joined through it is " +
      "disconnected and cannot add notes. Their notes so far are kept. Send the new link to " +
      "the note-takers you still want.",
    done: "New note-taker link made ✓ The old one no longer works.",
  },
};

/**
 * `act(event)` sends a control (console.js, resolves with the ack); `applyLinks(reply)`
 * shows `screen_url`, `screen_links` and `notes_url`. `places` maps "screen" and "notes"
 * to the element after which each control goes. Returns {controls(off)}.
 */
export function linkRevocation({ act, applyLinks, places }) {
  const heading = h("h2", { id: "revoke-dialog-title" });
  const explanation = h("p", { id: "revoke-dialog-text" });
  const keep = h("button", { type: "button", class: "secondary", id: "revoke-cancel" }, "Keep it");
  const revoke = h(
    "button",
    { type: "button", class: "danger", id: "revoke-confirm" },
    "Revoke and make a new link",
  );
  const dialog = h(
    "dialog",
    {
      class: "end-dialog revoke-dialog",
      id: "revoke-dialog",
      "aria-labelledby": "revoke-dialog-title",
      "aria-describedby": "revoke-dialog-text",
    },
    heading,
    explanation,
    h("div", { class: "dialog-actions" }, keep, revoke),
  );
  document.body.append(dialog);

  let asked = null; // the link the open dialog is about
  const controls = {};

  for (const [link, words] of Object.entries(LINKS)) {
    const button = h(
      "button",
      { type: "button", class: "secondary small revoke-link", id: `revoke-${link}-link` },
      "Revoke and make a new link",
      h("span", { class: "visually-hidden" }, ` (${words.name})`),
    );
    const status = h("p", { class: "invite-status revoke-status", role: "status" });
    button.addEventListener("click", () => {
      if (button.getAttribute("aria-disabled") === "true") return;
      asked = link;
      heading.textContent = words.question;
      explanation.textContent = words.explain;
      status.textContent = "";
      dialog.showModal(); // focus goes to "Keep it", the first button: nothing by accident
    });
    places[link].after(h("div", { class: "revoke-row" }, button), status);
    controls[link] = { button, status };
  }

  keep.addEventListener("click", () => dialog.close());
  revoke.addEventListener("click", async () => {
    const link = asked;
    dialog.close(); // focus goes back to the button that opened it
    if (!link) return;
    const ack = await act(LINKS[link].event);
    if (ack && ack.ok) {
      applyLinks(ack);
      const { status } = controls[link];
      status.textContent = LINKS[link].done;
      status.scrollIntoView({ block: "nearest" }); // the pane may have it just out of sight
    }
  });

  return {
    controls(off) {
      revoke.disabled = off;
      for (const { button } of Object.values(controls)) {
        // As console.js's setOff: the focused one is only marked, so focus stays on it.
        const keepFocus = off && button === document.activeElement;
        button.disabled = off && !keepFocus;
        if (keepFocus) button.setAttribute("aria-disabled", "true");
        else button.removeAttribute("aria-disabled");
      }
    },
  };
}
