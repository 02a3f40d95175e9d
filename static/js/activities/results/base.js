// How a stage's results (and its question, on the projector and the console) are shown
// unless its type's module says otherwise: the browser's side of
// facilitation/activities/base.py. A type's module in this folder exports only the parts
// where it differs; the registry (../results.js) lays them over these.
//
// The projector (screen.js), the console (console-results.js, console.js) and the phone
// (phone-results.js) draw the same parts, each at its own size: "projector" (a 1920x1080
// wall read from the back of a room), "console" (a laptop's preview) or "phone".
//
// - render(message, options): the results as HTML at options.size, or null where the page
//   draws the server's Plotly figure instead (the projector's and the console's charts).
//   `message` is a `results` message ({results, answered, groups, breakdown, figure,
//   table}); the phone passes {results}, relabelled in its language. options: size; on the
//   projector state and chart (the element the figure is drawn in) and comments (the
//   stage's wall); on the phone stage, mine (the person's answer), own, reactions and
//   ownProfile. On the console, a figure's type may return what goes above its chart.
// - withoutFigure: its results are HTML at every size (it has no Plotly figure), so the
//   projector shows them once revealed and the console previews them as HTML.
// - previewEmpty: with withoutFigure, the console's words while there is nothing to show.
// - resultsFromComments: its results count the stage's comments and the votes on them, so
//   they are shown although the stage takes no answer.
// - resultsFromFramework: its results are the framework profile of the answers to the
//   plan's tests and features (the profile), so they are shown although the stage takes no
//   answer; the phone asks for the person's own profile (`own_profile`) and passes it to
//   render as options.ownProfile.
// - opinionGroups: its results may place the person in an opinion group (statements): the
//   phone asks for it (`own_opinion_group`) and passes render options.ownGroup, {group, why}
//   or null.
// - fitFigure(figure, {size, width, height, rem}): the server's figure laid out for the
//   size, or null for the page's usual layout of bars.
// - legendName(stage, name): a legend entry of its figure, as the projector names it.
// - groupShares: its figure by group is one bar of shares per group (rather than a panel
//   of bars per group), laid out as the server made it.
// - projectorView(state, message): the projector's own view of the stage ("wall": the
//   comment wall as its main view, "ranked": its results without a chart), or null for
//   the usual one (the question while the room answers, then the chart).
// - questionHeading(stage), questionKey(stage): above and below the items on the
//   projector while the room answers (an element, or null).
// - orderedItems: its items are an order to put things in (a numbered list on the console).
// - howToAnswer(stage): the console's line on what participants do.
// - commentsAreAnswers: its comments are its answers, so the console does not add "They can
//   also comment".
// - showsScenario: the stage shows the scenario the facilitator chooses (the projector's
//   main view, a card on the console).
// - countWord: what the console counts for a stage that takes no answer, or null.
// - noChart: the console's words in place of a chart for a stage that takes no answer.
// - wall: the words of the projector's comment wall for this type's comments.
// - votesPass: its comments are voted pass as well as agree or disagree.
// - phoneCount(n): the phone's line on how many took part.

import { tn } from "../../phone-text.js";

export function render() {
  return null;
}

export const withoutFigure = false;
export const previewEmpty = "";
export const resultsFromComments = false;
export const resultsFromFramework = false;
export const opinionGroups = false;

export function fitFigure() {
  return null;
}

export function legendName(stage, name) {
  return name;
}

export const groupShares = false;

export function projectorView() {
  return null;
}

export function questionHeading() {
  return null;
}

export function questionKey() {
  return null;
}

export const orderedItems = false;

export function howToAnswer() {
  return null;
}

export const commentsAreAnswers = false;
export const showsScenario = false;
export const countWord = null;
export const noChart = "This stage has nothing to answer, so there is no chart.";

export const votesPass = false;

export const wall = {
  one: "comment",
  many: "comments",
  empty: "No comments yet. Write yours on your phone and it appears here.",
};

export function phoneCount(n) {
  return tn(n, "{n} person answered.", "{n} people answered.");
}
