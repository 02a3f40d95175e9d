"""The played session for the privacy tests: the shared scenario (``tests/support/scenario.py``:
a plan with every activity type, three people who answer, comment, agree and disagree, notes,
and one participant who withdraws), with the privacy tests' own choices.

Where they differ from the export tests' (kept as they were, so these counts do not move):
the one who withdraws also writes a statement, which gets a vote, and votes on another; there
is no fourth participant; the first participant's sector is Health; and no answer or note
starts with a spreadsheet formula character.
"""

from __future__ import annotations

from tests.factories import Workshop
from tests.support.scenario import ANSWERS as EXPORT_ANSWERS
from tests.support.scenario import GONE_NAME, GONE_TEXT, PLAN, Played
from tests.support.scenario import play as play_scenario

__all__ = ["ANSWERS", "GONE_NAME", "GONE_TEXT", "PLAN", "Played", "play"]

ANSWERS = {
    **EXPORT_ANSWERS,
    "where": {"sector": "Health"},
    "words": {"text": "fair share"},
}


def play(workshop: Workshop) -> Played:
    return play_scenario(
        workshop, ANSWERS, with_extra=False, gone_states=True, note_text="They want a say"
    )
