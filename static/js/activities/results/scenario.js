// Scenario: the scenario the facilitator chooses, shown to the room (the projector's main
// view, a card on the console). It takes no answer.

export const showsScenario = true;
