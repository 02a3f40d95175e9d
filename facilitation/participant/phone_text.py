"""The words the phone's JavaScript shows, sent to it in the participant's language.

``static/js/phone*.js`` write every phrase in English inside ``t("...")`` (or ``tn`` for a
count), and ``{name}`` marks a value put in by the script. This list is what the phone
page renders into its ``#interface-text`` block, each phrase translated; ``N_`` marks them
for ``pybabel extract`` without translating here. tests/i18n/test_phone_text.py checks
that this list and the scripts name the same phrases.
"""

from __future__ import annotations

from flask_babel import gettext

from ..i18n import current_language
from ..plans import Plan
from ..plans.translations import sector_labels, translated
from ..workshop.state import scenario_view, stage_view


def N_(text: str) -> str:  # noqa: N802  (the gettext convention for "mark, do not translate")
    return text


PHONE_TEXT = (
    N_("Met"),
    N_("Partly met"),
    N_("Not met"),
    N_("Tap another sector to change it."),
    N_("When you joined you chose {sector}. Tap your sector to be counted here."),
    N_("Tap your sector."),
    N_("Tap one."),
    N_("Submit"),
    N_("Tick at least one, then press Submit."),
    N_("Not submitted yet: press Submit to save your choice."),
    N_("Tick all that apply, then press Submit."),
    N_("Tap a number for each statement."),
    N_("Tap a number."),
    N_("Is this test met? Tap one."),
    N_("position {n}"),
    N_("Submit ranking"),
    N_("{label}: now {position} of {count}."),
    N_("Move up: {label}"),
    N_("Up"),
    N_("Move down: {label}"),
    N_("Down"),
    N_("Put them in order, most important first, then press Submit ranking."),
    N_("You have changed the order: press Submit ranking to save it."),
    N_("Most important at the top: drag an item, tap them in order, or use Up and Down."),
    N_("Tap in order"),
    N_("Start again"),
    N_("Tap the items from most to least important."),
    N_("All in order: check it, then press Submit ranking."),
    N_("Data"),
    N_("Who shares with whom"),
    N_("Anonymisation"),
    N_("Scenario"),
    N_("Post"),
    N_("Posting…"),
    N_("Posted ✓"),
    N_("Your comment was not saved."),
    N_("That was not saved."),
    N_("{agree} agree · {disagree} disagree"),
    N_("Highlighted by the facilitator"),
    N_("Your comment"),
    N_("Anonymous"),
    N_("Your view of this comment ({counts})"),
    N_("Agree"),
    N_("Disagree"),
    N_("Comments from the room ({n})"),
    N_("Comments from the room"),
    N_("No comments yet."),
    N_("Comments"),
    N_("Your answer"),
    N_("Add a comment"),
    N_("Keep it short. Others can agree or disagree with it; it shows on the screen at the front."),
    N_("Keep it short. Once approved, others taking part can agree or disagree with it."),
    N_("Keep it short. Others taking part can agree or disagree with it."),
    N_("Comments from people taking part ({n})"),
    N_("Comments from people taking part"),
    N_("The facilitator has paused the workshop."),
    N_("Your answers are kept; you can carry on when it resumes."),
    N_("Time left"),
    N_("Time's up"),
    N_("Timer paused"),
    N_("Submit points"),
    N_("One point fewer for {label}"),
    N_("One point more for {label}"),
    N_("Give points with +, then press Submit points."),
    N_("Not submitted yet: press Submit points to save them."),
    N_("Benefit"),
    N_("Low"),
    N_("High"),
    N_("Risk"),
    N_("The scenario"),
    N_("{axis} {n} of {size}"),
    N_("Grid for {label}"),
    N_("Tap the square that fits: further right is more {x}, higher up is more {y}."),
    N_("Your place: {x} {x_value}, {y} {y_value} (of {size})."),
    N_("Tap a square to place it."),
    N_("Not placed."),
    N_("Send"),
    N_("{n} words: use at most {most}"),
    N_("You sent:"),
    N_("Your word"),
    N_("Your words"),
    N_("Type one word. It joins the room's word cloud on the screen."),
    N_("Type up to {n} words. They join the room's word cloud on the screen."),
    N_("Pass"),
    N_("Submitting…"),
    N_("Submitted ✓ Others can now vote on it."),
    N_("Your statement was not saved."),
    N_("Your vote was not saved."),
    N_("{agree} agree · {disagree} disagree · {passes} pass"),
    N_("Your statement"),
    N_("Your vote on this statement"),
    N_("Statements from the room ({n})"),
    N_("Statements from the room"),
    N_("Statements from people taking part ({n})"),
    N_("Statements from people taking part"),
    N_("One clear point others taking part can agree or disagree with."),
    N_("No statements yet. Be the first."),
    N_("Statements"),
    N_("One clear point others can agree or disagree with. It shows on your neighbours' phones."),
    N_("Agree, Disagree, or Pass if you are unsure. Tap again to take your vote back."),
    N_("You: {value}"),
    N_("Nobody placed it yet."),
    N_("You: {x}, {y} (outlined)"),
    N_("Your words are underlined."),
    N_("Ranked by the share of votes that agree."),
    N_("point left of {budget}"),
    N_("points left of {budget}"),
    N_("You have {n} point. Give more to what matters more; you need not spend them all."),
    N_("You have {n} points. Give more to what matters more; you need not spend them all."),
    N_("{count} of {n} word"),
    N_("{count} of {n} words"),
    N_("You have voted on {voted} of {n} statement by others."),
    N_("You have voted on {voted} of {n} statements by others."),
    # One statement at a time (activities/inputs/statements.js)
    N_("Next statement"),
    N_("Agree, Disagree, or Pass if you are unsure. You can change a vote under All statements."),
    N_("Saved ✓ You agreed."),
    N_("Saved ✓ You disagreed."),
    N_("Saved ✓ You passed."),
    N_("Skip for now"),
    N_("Show the statements you skipped"),
    N_("You skipped {n} statement."),
    N_("You skipped {n} statements."),
    N_("Statements by others appear here as people write them."),
    N_("You have voted on every statement. New ones appear here as people write them."),
    N_("All statements ({n})"),
    N_("Back to the next statement"),
    N_("No statements to vote on yet."),
    # The person's opinion group above a statements stage's ranking (results/statements.js)
    N_("You are in group {label} ({n} person) of {groups} groups"),
    N_("You are in group {label} ({n} people) of {groups} groups"),
    N_("Groups are formed from how people voted, not from their sectors."),
    N_("Group {label} mostly agrees with:"),
    N_("Group {label} mostly disagrees with:"),
    N_("{n} point"),
    N_("{n} points"),
    N_("From {n} person"),
    N_("From {n} people"),
    N_("Average: {x} {x_value}, {y} {y_value} · {n} place"),
    N_("Average: {x} {x_value}, {y} {y_value} · {n} places"),
    N_("The room's answers"),
    N_("Everyone's answers so far"),
    N_("No ratings yet."),
    N_("{min} means {min_label}; {max} means {max_label}."),
    N_("You"),
    N_("Ordered by Borda score: the higher an item was ranked, the more points it gets."),
    N_("Borda {score}"),
    N_("No rankings yet."),
    N_("Average position {position}"),
    N_("{n} person took part."),
    N_("{n} people took part."),
    N_("{n} person answered."),
    N_("{n} people answered."),
    N_("Median {median} · {n} rating"),
    N_("Median {median} · {n} ratings"),
    N_("Not connected"),
    N_("Connected"),  # the connection pill once the workshop has ended (live.js)
    N_("The workshop would not let this phone in."),
    N_("New: {title}"),
    N_("Results are shown"),
    N_("You have withdrawn. Thank you."),
    N_("Your answers, comments and agreements have been removed from the results and exports."),
    N_("You can close this page."),
    N_("The workshop has ended. Thank you for taking part."),
    N_("You can still withdraw from the menu: your answers and comments would be removed."),
    N_("This phone is not connected to the workshop"),
    N_("Go to the join page"),
    N_("Stage {number} of {count}"),
    N_("Input is closed"),
    N_("Your answer is kept."),
    N_("The facilitator will open it when it is time to answer."),
    N_("The facilitator has closed it for this stage."),
    N_("The facilitator will choose a scenario."),
    N_("The results are on their way…"),
    N_("Your answer was not saved."),
    N_("Saving…"),
    N_("Try again"),
    N_("Not saved: {reason}"),
    N_("Saved ✓"),
    N_("Changed ✓"),
    # Answers, comments and reactions kept on the phone until the server has them
    # (phone.js, phone-pending.js, phone-comments.js).
    N_("Not sent yet: will send when you're back online"),
    N_("Not sent yet: {reason}"),
    N_("Your answer to “{title}” is not sent yet: sending now…"),
    N_("Your answer to “{title}” is not sent yet: it will be sent when you're back online"),
    N_("Not saved: your answer to “{title}”: {reason}"),
    N_("Your comment on “{title}” is not sent yet: sending now…"),
    N_("Your comment on “{title}” is not sent yet: it will be sent when you're back online"),
    N_("Not saved: your comment on “{title}”: {reason}"),
    N_("Your vote on a comment in “{title}” is not sent yet: sending now…"),
    N_(
        "Your vote on a comment in “{title}” is not sent yet: "
        "it will be sent when you're back online"
    ),
    N_("Not saved: your vote on a comment in “{title}”: {reason}"),
    N_("That did not work; please try again."),
    N_("OK"),
    N_("No words yet."),
    N_("Words, most used first"),
    N_("No votes yet"),
    N_("{percent}% agree"),
    N_("No statements yet."),
    N_("You agreed"),
    N_("You disagreed"),
    N_("You passed"),
    N_("{agree} agree · {passes} pass · {disagree} disagree"),
    # The framework profile (activities/results/profile.js)
    N_("Acceptability"),
    N_("Tests"),
    N_("Features"),
    N_("{score} / 100"),
    N_("You: {score}"),
    N_("No answers yet"),
    N_("Withheld: too few people"),
    N_("Interval, 95%: {low_high}"),
    N_("{n} person"),
    N_("{n} people"),
    N_("Scores out of 100. The line marked “You” is your own score."),
    N_("From {n} person's answers."),
    N_("From {n} people's answers."),
    N_("Connecting…"),
    N_("Live"),
    N_("Reconnecting…"),
    # A self-paced run (phone-pace.js)
    N_("Back"),
    N_("Next"),
    N_("Skip"),
    N_("Finish"),
    N_("Finished"),
    N_("{number} of {count}"),
    N_("Thank you: your answers are saved."),
    N_("You can go back to change an answer until the consultation closes."),
    N_("Continue on another device"),
    N_("Withdraw"),
    N_("Copied ✓"),
    N_("Selected: copy it with your phone's menu."),
    N_("You can continue on another device"),
    N_(
        "Your menu has a personal link to carry on elsewhere. Keep it to yourself: anyone "
        "with it can see and change your answers."
    ),
    N_("Show my link"),
    N_("Waiting for approval"),
    N_("Look at the screen"),
    N_("Page {n} of {of}"),
    N_("a slide with no text"),
    N_("{page}; its text follows"),
    N_("Zoom in"),
    N_("Close"),
)

# Refusals the server sends a participant (acks, the join form), in its own English words.
# The phone and the join page show them in the participant's language when listed here;
# any other message is shown as sent. The test checks each is still worded so in the code.
SERVER_MESSAGES = (
    N_("This stage's slides are missing. Go on to the next stage."),
    N_("This workshop has not started yet."),
    N_("The facilitator has paused the workshop."),
    N_("This session has ended."),
    N_("This session does not exist."),
    N_("Input is closed for this stage."),
    N_("The facilitator has moved on: this stage is no longer open."),
    N_("You are not part of this session."),
    N_("You have withdrawn from this session."),
    N_("This stage does not take comments."),
    N_("A comment cannot be empty."),
    N_("You cannot agree or disagree with your own comment."),
    N_("Please choose one of the sectors listed."),
    N_("Please choose one of the tables listed."),
    N_("No answer from the server; please check your connection."),
    N_("The server can't save right now; your answer will be sent again"),  # db.UNAVAILABLE
    N_("You're sending answers too fast; wait a moment."),  # limits.TOO_FAST
    N_("You're asking for updates too fast; wait a moment."),  # limits.TOO_FAST_SYNC
    N_("You're sending too fast; wait a moment."),  # limits.TOO_FAST_EVENTS
    N_("That message is too large to send; please shorten it."),  # payloads.TOO_LARGE
    # moderation.STRONG_LANGUAGE: comments, word-cloud answers, display names
    N_("Please rephrase without strong language."),
    # text.py: text that cannot be stored (comments, answers, display names)
    N_("This text has a broken character that cannot be saved; please type it again."),
    N_("This text has a hidden control character; please type it again."),
    N_("This text has a hidden character that reverses its direction; please type it again."),
    N_("This text has only invisible characters; please type something people can read."),
    # Self-paced runs (workshop/runs.py, run_operations.py, operations.join)
    N_("This consultation has not opened yet."),
    N_("This consultation has closed. Thank you for your interest."),
    N_("Please answer the questions in order."),
    N_("That question is not part of this consultation."),
    N_("This consultation does not take comments."),
    N_("There is no such question."),
    N_("That invitation code is not valid for this consultation."),
    N_("That invitation code has already been used."),
    # Why a participant is not told an opinion group yet (opinion/own.py)
    N_("Opinion groups have not formed yet."),
    N_("You are not in a group yet: vote on a few more statements."),
    # ... once they can no longer vote ({n}: the stage's min_votes, the ack's why_values)
    N_("You were not placed in a group: you voted on fewer than {n} statements."),
)


_interface_text: dict[str, dict[str, str]] = {}


def interface_text() -> dict[str, str]:
    """Each phrase of the phone's script in the current language: {English: shown}.

    Made once per language: every phone that joins loads this page, and translating
    some hundred phrases each time was a measurable share of a 5,000-phone join.
    """
    language = current_language()
    if language not in _interface_text:
        _interface_text[language] = {
            text: gettext(text) for text in (*PHONE_TEXT, *SERVER_MESSAGES)
        }
    return _interface_text[language]


# The parts of ``state.stage`` that are the plan's words (the rest are keys and numbers).
STAGE_TEXT_FIELDS = ("title", "prompt", "body", "items", "scale", "axes")


def plan_text(plan: Plan, language: str) -> dict:
    """The plan's own text in ``language``, for a phone to lay over the room's `state`.

    Shaped like the `state` message (docs/protocol.md) so the phone merges it field by
    field: {stages: {key: {title, prompt, ...}}, scenarios: {key: {...}}, sectors: {...}}.
    Empty when the plan has no text in that language: the phone shows the plan as written.
    """
    if language not in plan.translations:
        return {}
    local = translated(plan, language)
    stages = {}
    for stage in local.stages:
        view = stage_view(stage)
        stages[stage.key] = {name: view[name] for name in STAGE_TEXT_FIELDS if name in view}
    return {
        "stages": stages,
        "scenarios": {s.key: scenario_view(s) for s in local.scenarios},
        "sectors": sector_labels(plan, language),
    }
