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

import { registry } from "./registry.js";
import * as base from "./results/base.js";
import * as choice from "./results/choice.js";
import * as grid from "./results/grid.js";
import * as openText from "./results/open_text.js";
import * as points from "./results/points.js";
import * as profile from "./results/profile.js";
import * as ranking from "./results/ranking.js";
import * as rating from "./results/rating.js";
import * as scenario from "./results/scenario.js";
import * as sector from "./results/sector.js";
import * as statements from "./results/statements.js";
import * as trafficLight from "./results/traffic_light.js";
import * as wordCloud from "./results/word_cloud.js";

/** The result parts of activity type `type` (see results/base.js). */
export const resultFor = registry(base, {
  // In the plan format's order. An information stage is the base as it is: no results.
  info: {},
  slides: {}, // pages, no results: the projector draws them from state.slide
  scenario,
  sector,
  choice,
  rating,
  traffic_light: trafficLight,
  ranking,
  open_text: openText,
  points,
  grid,
  word_cloud: wordCloud,
  statements,
  profile,
});

/** Whether the stage has results to show: its answers, its comments' votes, or the
 * framework profile of the answers to other stages. */
export function showsResults(stage) {
  const kind = resultFor(stage.type);
  return !!stage.answerable || kind.resultsFromComments || kind.resultsFromFramework;
}
