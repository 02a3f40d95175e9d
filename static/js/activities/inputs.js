// The phone's activity registry: each activity type's name mapped to the module that
// draws its input (the browser's side of facilitation/activities/__init__.py).
//
// A type's module (inputs/<type>.js) exports only the parts where its stage differs from
// inputs/base.js, which says what each part is; inputFor(type) lays them over the base.
// phone.js and the plan editor's preview ask inputFor(stage.type) and never switch on a
// type's name. The room's results are drawn by the result views' registry (results.js).

import * as base from "./inputs/base.js";
import * as choice from "./inputs/choice.js";
import * as grid from "./inputs/grid.js";
import * as openText from "./inputs/open_text.js";
import * as points from "./inputs/points.js";
import * as ranking from "./inputs/ranking.js";
import * as rating from "./inputs/rating.js";
import * as scenario from "./inputs/scenario.js";
import * as sector from "./inputs/sector.js";
import * as slides from "./inputs/slides.js";
import * as statements from "./inputs/statements.js";
import * as trafficLight from "./inputs/traffic_light.js";
import * as wordCloud from "./inputs/word_cloud.js";

const complete = (module) => Object.freeze({ ...base, ...module });

// An information stage is the base as it is: its body as a card, no answer, the default
// comments.
const BASE = complete({});

// In the plan format's order.
const INPUTS = {
  info: BASE,
  slides: complete(slides),
  scenario: complete(scenario),
  sector: complete(sector),
  choice: complete(choice),
  rating: complete(rating),
  traffic_light: complete(trafficLight),
  ranking: complete(ranking),
  open_text: complete(openText),
  points: complete(points),
  grid: complete(grid),
  word_cloud: complete(wordCloud),
  statements: complete(statements),
  // The framework profile: its body as a card; the room's profile comes as its results.
  profile: BASE,
};

/** The input parts of activity type `type` (see inputs/base.js); the base's for a type
 * this page does not know, so a newer server's stage still shows its prompt and body. */
export function inputFor(type) {
  return Object.hasOwn(INPUTS, type) ? INPUTS[type] : BASE;
}
