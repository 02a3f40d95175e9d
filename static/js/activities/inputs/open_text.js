// An open text stage on a phone: the answers are the stage's comments, so the comments
// panel is the input, its box labelled as an answer.

import { commentsPanel } from "../../phone-comments.js";
import { t } from "../../phone-text.js";

export function comments(stage, ctx) {
  return commentsPanel(stage, ctx, { label: t("Your answer") });
}
