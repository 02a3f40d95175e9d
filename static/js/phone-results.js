// The room's results on a phone, once the facilitator reveals them: light HTML bars
// (no Plotly on phones), labelled in words, with the person's own answer marked.
//
// resultsView(stage, results, mine) returns an element, or null for stages with nothing
// to chart. `results` is the `results` field of a results message (docs/protocol.md).

import { h } from "./live.js";
import { newResultsBody } from "./phone-new-activities.js";
import { t, tn } from "./phone-text.js";

const LIGHT_WORDS = { met: t("Met"), partly: t("Partly met"), not_met: t("Not met") };

const percent = (count, total) => (total ? Math.round((100 * count) / total) : 0);

function barFill(className, share) {
  const fill = h("span", { class: className });
  fill.style.width = `${Math.max(0, Math.min(100, share))}%`;
  return fill;
}

function yours(text = t("Your answer")) {
  return h("span", { class: "yours" }, text);
}

export function resultsView(stage, results, mine, extra = {}) {
  if (!results) return null;
  let body = null;
  switch (stage.type) {
    case "sector":
    case "choice":
      body = optionBars(stage, results, mine);
      break;
    case "rating":
      body = ratingBars(stage, results, mine);
      break;
    case "traffic_light":
      body = lightBars(results, mine);
      break;
    case "ranking":
      body = rankingBars(results, mine);
      break;
    default:
      // Points, grid, word cloud and statements (phone-new-activities.js).
      body = newResultsBody(stage, results, mine, extra);
      if (body === undefined) return null;
  }
  return h(
    "section",
    { class: "results", "aria-labelledby": "results-heading" },
    h("h2", { id: "results-heading" }, t("The room's answers")),
    h(
      "p",
      { class: "results-count" },
      stage.type === "statements"
        ? tn(results.answered || 0, "{n} person took part.", "{n} people took part.")
        : tn(results.answered || 0, "{n} person answered.", "{n} people answered."),
    ),
    body,
  );
}

function optionBars(stage, results, mine) {
  const chosen =
    stage.type === "sector"
      ? [mine && mine.sector].filter(Boolean)
      : (mine && mine.choices) || [];
  const answered = results.answered || 0;
  return h(
    "ul",
    { class: "bars" },
    (results.options || []).map((option) => {
      const share = percent(option.count, answered);
      return h(
        "li",
        { class: "bar-row" },
        h(
          "p",
          { class: "bar-head" },
          h("span", { class: "bar-label" }, option.label, chosen.includes(option.key) ? yours() : null),
          h("span", { class: "bar-count" }, `${option.count} · ${share}%`),
        ),
        h("span", { class: "bar-track", "aria-hidden": "true" }, barFill("bar-fill", share)),
      );
    }),
  );
}

function ratingBars(stage, results, mine) {
  const points = results.points || [];
  const scale = stage.scale || {};
  const ratings = (mine && mine.ratings) || {};
  const shade = (index) =>
    // Light to dark along the scale: order without implying good or bad.
    `hsl(211 60% ${Math.round(88 - (index * 60) / Math.max(1, points.length - 1))}%)`;
  return h(
    "div",
    { class: "rating-results" },
    (results.items || []).map((item) => {
      const n = item.n || 0;
      const segments = points.map((point, index) => {
        const count = (item.counts || {})[String(point)] || 0;
        const segment = barFill("stack-part", percent(count, n));
        segment.style.background = shade(index);
        if (index >= points.length / 2) segment.classList.add("dark");
        if (count) segment.textContent = String(count);
        return segment;
      });
      const summary =
        n === 0
          ? t("No ratings yet.")
          : tn(n, "Median {median} · {n} rating", "Median {median} · {n} ratings", { median: formatNumber(item.median) });
      return h(
        "div",
        { class: "result-item" },
        h("p", { class: "result-label" }, item.label),
        h("span", { class: "stack", "aria-hidden": "true" }, segments),
        h(
          "p",
          { class: "stack-legend" },
          points.map((point) =>
            h("span", {}, `${point}: ${(item.counts || {})[String(point)] || 0}`),
          ),
        ),
        h(
          "p",
          { class: "result-summary" },
          summary,
          ratings[item.key] !== undefined ? yours(t("You: {value}", { value: ratings[item.key] })) : null,
        ),
        scale.min_label || scale.max_label
          ? h(
              "p",
              { class: "visually-hidden" },
              t("{min} means {min_label}; {max} means {max_label}.", scale),
            )
          : null,
      );
    }),
  );
}

function lightBars(results, mine) {
  const lights = (mine && mine.lights) || {};
  const order = (results.lights || []).map((l) => l.key);
  const keys = order.length ? order : ["met", "partly", "not_met"];
  return h(
    "div",
    { class: "light-results" },
    (results.items || []).map((item) => {
      const n = item.n || 0;
      return h(
        "div",
        { class: "result-item" },
        h("p", { class: "result-label" }, item.label),
        h(
          "span",
          { class: "stack", "aria-hidden": "true" },
          keys.map((key) => {
            const part = barFill(`stack-part light-part light-${key}`, percent(item[key] || 0, n));
            if (item[key]) part.textContent = String(item[key]);
            return part;
          }),
        ),
        h(
          "ul",
          { class: "light-legend" },
          keys.map((key) =>
            h(
              "li",
              { class: `light-${key}` },
              h("span", { class: "swatch", "aria-hidden": "true" }),
              `${LIGHT_WORDS[key]}: ${item[key] || 0}`,
              lights[item.key] === key ? yours(t("You")) : null,
            ),
          ),
        ),
      );
    }),
  );
}

function rankingBars(results, mine) {
  const order = (mine && mine.order) || [];
  const items = results.items || [];
  const top = Math.max(1, ...items.map((item) => item.borda || 0));
  return h(
    "div",
    {},
    h("p", { class: "results-note" }, t("Ordered by Borda score: the higher an item was ranked, the more points it gets.")),
    h(
      "ol",
      { class: "bars ranking-results" },
      items.map((item, index) => {
        const position = order.indexOf(item.key);
        return h(
          "li",
          { class: "bar-row" },
          h(
            "p",
            { class: "bar-head" },
            h(
              "span",
              { class: "bar-label" },
              h("span", { class: "rank-position" }, `${index + 1}. `),
              item.label,
            ),
            h("span", { class: "bar-count" }, t("Borda {score}", { score: item.borda })),
          ),
          h("span", { class: "bar-track", "aria-hidden": "true" }, barFill("bar-fill", (100 * (item.borda || 0)) / top)),
          h(
            "p",
            { class: "result-summary" },
            item.mean_rank === null || item.mean_rank === undefined
              ? t("No rankings yet.")
              : t("Average position {position}", { position: formatNumber(item.mean_rank) }),
            position >= 0 ? yours(t("You: {value}", { value: position + 1 })) : null,
          ),
        );
      }),
    ),
  );
}

function formatNumber(value) {
  if (value === null || value === undefined) return "–";
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
