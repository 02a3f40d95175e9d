// The phone's words in the page's language, and the plan's text in it.
//
// The server renders both into JSON blocks on the phone page (participant/phone.html):
// #interface-text maps each English phrase to its translation (the list of phrases is
// facilitation/participant/phone_text.py), #plan-text holds the plan's own text in that
// language by stage and scenario key. A phrase not found is shown in English, so a missing
// translation is never a blank.

function readBlock(id) {
  const block = document.getElementById(id);
  if (!block) return {};
  try {
    return JSON.parse(block.textContent) || {};
  } catch {
    return {};
  }
}

const words = readBlock("interface-text");
const planText = readBlock("plan-text");

/** The language the page is in ("en", "cy"), for number and plural rules. */
export const language = document.documentElement.lang || "en";

/** `text` in the page's language, with {name} replaced by values[name]. */
export function t(text, values = {}) {
  const shown = words[text] || text;
  return shown.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** "{n} point" or "{n} points", translated (in Welsh a noun after a number stays singular). */
export function tn(n, one, many, values = {}) {
  return t(n === 1 ? one : many, { n, ...values });
}

/** The stage from a `state` message with its text in the page's language. */
export function localStage(stage) {
  const text = stage && (planText.stages || {})[stage.key];
  return text ? { ...stage, ...text } : stage;
}

/** The chosen scenario with its text in the page's language. */
export function localScenario(scenario) {
  const text = scenario && (planText.scenarios || {})[scenario.key];
  return text ? { ...scenario, ...text } : scenario;
}

/** A sector's name as shown on this phone (the value sent stays the plan's name). */
export function sectorLabel(sector) {
  return (planText.sectors || {})[sector] || sector;
}

/** The sectors this page has names for, each with its name as shown here. */
export function sectorLabels() {
  return Object.fromEntries(Object.keys(planText.sectors || {}).map((sector) => [sector, sectorLabel(sector)]));
}

/** Results labelled in the page's language: item labels by key, from the local stage, and
 * `labels` for entries that are not items (a sector stage's sectors, say). */
export function localResults(stage, results, labels = {}) {
  if (!results || !stage) return results;
  const shown = Object.fromEntries((stage.items || []).map((item) => [item.key, item.label]));
  Object.assign(shown, labels);
  const relabel = (list) =>
    Array.isArray(list) ? list.map((entry) => (shown[entry.key] ? { ...entry, label: shown[entry.key] } : entry)) : list;
  const local = { ...results, options: relabel(results.options), items: relabel(results.items) };
  if (results.axes && stage.axes) local.axes = stage.axes; // a grid's axis words
  return local;
}
