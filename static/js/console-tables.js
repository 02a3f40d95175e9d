// The console's "People and tables" panel: who takes part (pseudonym, name if given,
// sector, table; never what they answered), a select to move each person to a table, and
// an editor for the session's table list.
//
// The list comes in the facilitator's `sync` reply (`people`) and in `people` pushes, which
// only facilitators get, after a join, a move, a withdrawal or a change of the table list.

import { fill, h } from "./live.js";

const NO_TABLE = "";

/**
 * peopleAndTables({root, socket, act}) -> {sync(reply), state(state), controls(off)}
 * `act(event, payload)` sends a control and resolves to its ack (console.js).
 */
export function peopleAndTables({ root, socket, act }) {
  const model = { seq: -1, people: [], tables: [], planTables: null, off: true, editing: false };

  const count = h("span", { class: "muted people-count" });
  const summary = h("p", { class: "table-summary" });
  const list = h("div", { class: "people-list" });
  const editor = tableEditor();
  fill(
    root,
    h(
      "div",
      { class: "people-head" },
      h("h3", { id: "people-heading" }, "People and tables ", count),
      h(
        "p",
        { class: "muted people-note" },
        "Who is taking part and where they sit. Their answers are never shown here.",
      ),
    ),
    summary,
    list,
    editor.element,
  );

  socket.on("people", (message) => {
    if (!message || message.seq < model.seq) return;
    take(message);
  });

  function take(message) {
    model.seq = message.seq;
    model.people = message.people || [];
    model.tables = message.tables || [];
    render();
  }

  function tableName(table) {
    return table === null || table === undefined ? "No table yet" : table;
  }

  function render() {
    const people = model.people;
    count.textContent = people.length === 1 ? "(1 taking part)" : `(${people.length} taking part)`;
    const seated = new Map(model.tables.map((t) => [t, 0]));
    let unseated = 0;
    for (const person of people) {
      if (person.table && seated.has(person.table)) seated.set(person.table, seated.get(person.table) + 1);
      else unseated += 1;
    }
    fill(
      summary,
      model.tables.length
        ? [
            ...Array.from(seated, ([table, n]) =>
              h("span", { class: "table-chip" }, h("strong", {}, table), ` ${n}`),
            ),
            unseated ? h("span", { class: "table-chip unseated" }, h("strong", {}, "No table yet"), ` ${unseated}`) : null,
          ]
        : h("span", { class: "muted" }, "This session has no tables. Add some below to break results down by table."),
    );

    const focused = document.activeElement;
    const keep = focused && focused.dataset ? focused.dataset.pseudonym : null;
    if (!people.length) {
      fill(list, h("p", { class: "muted" }, "Nobody has joined yet. People appear here as they join."));
    } else {
      fill(
        list,
        h(
          "table",
          { class: "people-table" },
          h("caption", { class: "visually-hidden" }, "People taking part, their sector and table"),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, "Person"),
              h("th", { scope: "col" }, "Sector"),
              h("th", { scope: "col" }, "Table"),
            ),
          ),
          h("tbody", {}, people.map(personRow)),
        ),
      );
    }
    if (keep) {
      const again = list.querySelector(`select[data-pseudonym="${CSS.escape(keep)}"]`);
      if (again) again.focus();
    }
    editor.render();
    controls(model.off);
  }

  function personRow(person) {
    const id = `table-of-${person.pseudonym}`;
    const who = person.display_name || person.pseudonym;
    const select = h(
      "select",
      { id, class: "move-select", dataset: { pseudonym: person.pseudonym } },
      h("option", { value: NO_TABLE }, "No table yet"),
      model.tables.map((table) => h("option", { value: table }, table)),
    );
    // A table no longer listed (should not happen: the server unseats them) still shows.
    if (person.table && !model.tables.includes(person.table)) {
      select.append(h("option", { value: person.table }, person.table));
    }
    select.value = person.table || NO_TABLE;
    select.addEventListener("change", async () => {
      const table = select.value || null;
      const ack = await act("move_participant", { pseudonym: person.pseudonym, table });
      if (!ack || !ack.ok) select.value = person.table || NO_TABLE;
    });
    return h(
      "tr",
      {},
      h(
        "th",
        { scope: "row" },
        h("span", { class: "person-name" }, who),
        person.display_name ? h("span", { class: "person-pseudonym muted" }, person.pseudonym) : null,
      ),
      h("td", {}, person.sector || h("span", { class: "muted" }, "Not given")),
      h(
        "td",
        {},
        h("label", { for: id, class: "visually-hidden" }, `Table of ${who}`),
        model.tables.length ? select : h("span", { class: "muted" }, tableName(person.table)),
      ),
    );
  }

  // The table list editor: one name per line ------------------------------------------

  function tableEditor() {
    const textarea = h("textarea", {
      id: "tables-text",
      rows: "4",
      "aria-describedby": "tables-hint tables-error",
      spellcheck: "false",
    });
    const error = h("p", { class: "error", id: "tables-error", role: "alert" });
    const save = h("button", { type: "submit", class: "small" }, "Save tables");
    const reset = h(
      "button",
      { type: "button", class: "secondary small", id: "tables-plan" },
      "Use the plan’s tables",
    );
    const form = h(
      "form",
      { class: "tables-form", novalidate: true },
      h("label", { for: "tables-text" }, "Tables in this session"),
      h(
        "p",
        { class: "hint", id: "tables-hint" },
        "One table per line, up to 50, each at most 80 characters. People at a table you remove are left without a table until you move them.",
      ),
      error,
      textarea,
      h("div", { class: "tables-actions" }, save, reset),
    );
    const element = h(
      "details",
      { class: "tables-editor" },
      h("summary", {}, "Edit the list of tables"),
      form,
    );
    textarea.addEventListener("input", () => {
      model.editing = true;
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const names = textarea.value
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean);
      await send({ tables: names });
    });
    reset.addEventListener("click", () => send({ tables: null }));

    async function send(payload) {
      error.textContent = "";
      const ack = await act("set_tables", payload);
      if (ack && ack.ok) {
        model.editing = false; // the people push that follows fills the box
        textarea.removeAttribute("aria-invalid");
      } else if (ack) {
        // What was typed stays in the box, with the reason next to it.
        error.textContent = ack.error || "The tables were not saved; please try again.";
        textarea.setAttribute("aria-invalid", "true");
        textarea.focus();
      }
    }

    return {
      element,
      render() {
        if (!model.editing) textarea.value = model.tables.join("\n");
      },
      controls(off) {
        textarea.disabled = off;
        save.disabled = off;
        reset.disabled = off;
      },
    };
  }

  function controls(off) {
    model.off = off;
    for (const select of list.querySelectorAll("select")) select.disabled = off;
    editor.controls(off);
  }

  return {
    sync(reply) {
      if (reply.people) take(reply.people);
    },
    state(state) {
      // The table list is also in every state (set_tables): keep the selects in step.
      if (state && Array.isArray(state.tables) && state.seq >= model.seq) {
        const changed = state.tables.join("\n") !== model.tables.join("\n");
        model.tables = state.tables;
        if (changed) render();
      }
    },
    controls,
  };
}
