// The room's results on a phone, once the facilitator reveals them: light HTML (no Plotly
// on phones), labelled in words, with the person's own answer marked. Each type's results
// are drawn by its module (activities/results/<type>.js) at the phone's size.
//
// resultsView(stage, results, mine, extra) returns an element, or null for stages with
// nothing to show. `results` is the `results` field of a results message (docs/protocol.md)
// in the phone's language; `extra` carries {own, reactions, ownGroup} for statements, and the
// section's `heading` (a run's says "Everyone's answers so far").

import { h } from "./live.js";
import { resultFor } from "./activities/results.js";
import { t } from "./phone-text.js";

export function resultsView(stage, results, mine, extra = {}) {
  if (!results) return null;
  const kind = resultFor(stage.type);
  const body = kind.render({ results }, { size: "phone", stage, mine, ...extra });
  if (!body) return null;
  return h(
    "section",
    { class: "results", "aria-labelledby": "results-heading" },
    h("h2", { id: "results-heading" }, extra.heading || t("The room's answers")),
    h("p", { class: "results-count" }, kind.phoneCount(results.answered || 0)),
    body,
  );
}
