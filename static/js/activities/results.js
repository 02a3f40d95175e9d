// The result views' registry: each activity type's name mapped to the module that shows its
// results (the browser's side of facilitation/activities/__init__.py, as inputs.js is for
// the phone's inputs).
//
// A type's module (results/<type>.js) exports only the parts where it differs from
// results/base.js, which says what each part is; resultFor(type) lays them over the base
// (registry.js).
//
// The projector, the console and the phone ask resultFor(stage.type) and never switch on a
// type's name; they draw the same parts at their own size. The results table is the
// server's, drawn by results/table.js for every type.
//
// Each type's module is imported when first needed: the phone awaits loadResults([type])
// before it draws a stage; the projector and the console, which may show any stage at any
// moment, load every type before they start (loadResults(resultTypes)).

import * as base from "./results/base.js";
import { lazyRegistry } from "./registry.js";
// The bars most types' results draw come with the page: a stage's own module is then one
// round trip away, not two.
import "./results/bars.js";

const results = lazyRegistry(base, {
  // In the plan format's order. An information stage is the base as it is: no results.
  info: null,
  slides: null, // pages, no results: the projector draws them from state.slide
  scenario: () => import("./results/scenario.js"),
  sector: () => import("./results/sector.js"),
  choice: () => import("./results/choice.js"),
  rating: () => import("./results/rating.js"),
  traffic_light: () => import("./results/traffic_light.js"),
  ranking: () => import("./results/ranking.js"),
  open_text: () => import("./results/open_text.js"),
  points: () => import("./results/points.js"),
  grid: () => import("./results/grid.js"),
  word_cloud: () => import("./results/word_cloud.js"),
  statements: () => import("./results/statements.js"),
  profile: () => import("./results/profile.js"),
});

/** The result parts of activity type `type` (see results/base.js), once loaded; the
 * base's before, and for a type this page does not know. */
export const resultFor = results.lookup;

/** Import the result modules of `types` (a promise); resultsLoaded(types): already done. */
export const loadResults = results.load;
export const resultsLoaded = results.loaded;
/** Every type's name: what a page that may show any stage loads. */
export const resultTypes = results.names;

/** Whether the stage has results to show: its answers, its comments' votes, or the
 * framework profile of the answers to other stages. */
export function showsResults(stage) {
  const kind = resultFor(stage.type);
  return !!stage.answerable || kind.resultsFromComments || kind.resultsFromFramework;
}
