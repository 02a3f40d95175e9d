"""What participants may write: the plan's word limit and its strong-language filter.

A plan's ``moderation`` (docs/plan-format.md) sets both; by default the filter is on and
there is no word limit. Text that breaks a rule is refused with a polite message saying
what to change, and nothing is stored, so the person can edit and send it again.

The filter is a short built-in list of strong English swear words and slurs, matched as
whole words, in any case, also when written with common look-alike characters
(``sh1t``, ``@ss``, ``$hit``), with stretched letters (``fuuuck``) or with the usual
endings (``-ing``, ``-er``, ``-s`` ...). Words are matched on the text as a reader sees it
(``text.fold``): fullwidth, circled, mathematical and small-capital letters, Cyrillic and
Greek look-alikes, accents and invisible characters inside a word do not hide it. The text
is stored as typed; only the comparison is folded. Mild words ("damn", "hell", "crap") and words
that only contain a listed one ("Scunthorpe", "assessment", "cocktail") pass: the
filter is for a public wall, not for policing tone; the facilitator can still hide any
comment by hand.
"""

from __future__ import annotations

import re

from ..errors import Refused
from ..plans.model import Moderation, Plan
from ..text import fold

STRONG_LANGUAGE = "Please rephrase without strong language."

# Strong swear words and slurs, in their base form (endings are handled below).
_LISTED = frozenset(
    """
    arsehole arseholes asshole assholes bastard bastards bellend bitch bitches bollocks
    bullshit cocksucker cunt cunts dickhead dickheads dipshit fag faggot faggots fags
    fuck fucked fucker fuckers fuckhead fucking fuckwit motherfucker motherfuckers
    motherfucking nigga niggas nigger niggers paki pakis retard retarded retards shit
    shite shithead shits shitty slut sluts spastic spaz twat twats wank wanker wankers
    whore whores kike kikes chink chinks spic spics wetback wetbacks tranny trannies
    gook gooks raghead ragheads
    """.split()
)

# Look-alike characters people use to slip a word past a filter.
_LEET = str.maketrans(
    {"0": "o", "1": "i", "!": "i", "3": "e", "4": "a", "@": "a", "5": "s", "$": "s", "7": "t"}
)
_ENDINGS = ("ing", "in", "ers", "er", "ed", "es", "s", "y", "head", "heads")
_TOKEN = re.compile(r"[a-z0-9@$!]+")


def _squeeze(word: str) -> str:
    """Runs of one letter as a single letter: "fuuuck" and "fuck" look alike."""
    return re.sub(r"(.)\1+", r"\1", word)


_SQUEEZED = frozenset(_squeeze(word) for word in _LISTED)


def _is_listed(word: str) -> bool:
    return word in _LISTED or _squeeze(word) in _SQUEEZED


def _forms(token: str) -> list[str]:
    """The token as typed, with look-alikes replaced, and without its usual endings."""
    token = token.strip("!")  # "shit!" is "shit", but "sh!t" is too
    plain = token.translate(_LEET)
    forms = [plain]
    for ending in _ENDINGS:
        if plain.endswith(ending) and len(plain) - len(ending) >= 3:
            forms.append(plain[: -len(ending)])
    return forms


def has_strong_language(text: str) -> bool:
    for token in _TOKEN.findall(fold(text)):
        if any(_is_listed(form) for form in _forms(token)):
            return True
    return False


def word_count(text: str) -> int:
    return len(text.split())


def check_text(moderation: Moderation | None, text: str) -> None:
    """Refuse ``text`` if it breaks the plan's moderation rules; otherwise do nothing."""
    moderation = moderation or Moderation()
    limit = moderation.word_limit
    if limit is not None:
        words = word_count(text)
        if words > limit:
            unit = "word" if limit == 1 else "words"
            raise Refused(f"Please keep it to {limit} {unit} (you wrote {words}).")
    if moderation.profanity_filter and has_strong_language(text):
        raise Refused(STRONG_LANGUAGE)


def check_for_plan(plan: Plan, text: str) -> None:
    check_text(getattr(plan, "moderation", None), text)


def check_display_name(plan: Plan, name: str | None) -> None:
    """Refuse a display name the plan's filter catches: it goes up on the projector as a
    comment's author. The word limit is for what people write, not for names."""
    moderation = getattr(plan, "moderation", None) or Moderation()
    if name and moderation.profanity_filter and has_strong_language(name):
        raise Refused(STRONG_LANGUAGE)
