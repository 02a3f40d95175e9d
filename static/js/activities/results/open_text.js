// Open text: short comments that the room agrees or disagrees with. It has no results of its
// own: its comments are its answers, shown on the projector's wall, most agreed first.

/** The projector shows the comment wall as the stage's main view. */
export function projectorView() {
  return "wall";
}

export const commentsAreAnswers = true;
export const countWord = "commented";
export const noChart = "This stage collects comments: they appear on the right, most agreed first.";

export function howToAnswer() {
  return "Participants write short comments and agree or disagree with each other's.";
}
