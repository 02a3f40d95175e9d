// The phone's activity registry: each activity type's name mapped to the module that
// draws its input (the browser's side of facilitation/activities/__init__.py).
//
// A type's module (inputs/<type>.js) exports only the parts where its stage differs from
// inputs/base.js, which says what each part is; inputFor(type) lays them over the base.
// phone.js and the plan editor's preview ask inputFor(stage.type) and never switch on a
// type's name. The room's results are drawn by the result views' registry (results.js).
//
// Each type's module is imported when a stage of the type is first shown: a page awaits
// loadInputs([type]) before it draws the stage (registry.js).

import * as base from "./inputs/base.js";
import { lazyRegistry } from "./registry.js";
// The helpers most types' inputs share come with the page: a stage's own module is then
// one round trip away, not two.
import "./inputs/shared.js";

const inputs = lazyRegistry(base, {
  // In the plan format's order. An information stage is the base as it is: its body as a
  // card, no answer, the default comments.
  info: null,
  slides: () => import("./inputs/slides.js"),
  scenario: () => import("./inputs/scenario.js"),
  sector: () => import("./inputs/sector.js"),
  choice: () => import("./inputs/choice.js"),
  rating: () => import("./inputs/rating.js"),
  traffic_light: () => import("./inputs/traffic_light.js"),
  ranking: () => import("./inputs/ranking.js"),
  open_text: () => import("./inputs/open_text.js"),
  points: () => import("./inputs/points.js"),
  grid: () => import("./inputs/grid.js"),
  word_cloud: () => import("./inputs/word_cloud.js"),
  statements: () => import("./inputs/statements.js"),
  // The framework profile: its body as a card; the room's profile comes as its results.
  profile: null,
});

/** The input parts of activity type `type` (see inputs/base.js), once loaded; the base's
 * before, and for a type this page does not know, so a newer server's stage still shows
 * its prompt and body. */
export const inputFor = inputs.lookup;

/** Import the input modules of `types` (a promise); inputsLoaded(types): already done. */
export const loadInputs = inputs.load;
export const inputsLoaded = inputs.loaded;
