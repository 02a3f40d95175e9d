// Sector: how many are in each sector. The projector and the console draw the server's bar
// chart; the phone draws the counts as bars, with the person's own sector marked.

import { optionBars } from "./choice.js";

export function render(message, { size, mine }) {
  if (size !== "phone") return null;
  return optionBars(message.results, [mine && mine.sector].filter(Boolean));
}

export function howToAnswer() {
  return "Participants pick their sector; results can be broken down by it.";
}
