"""Words for the word cloud: split short answers into words and count them.

A word is a run of letters or digits, with apostrophes and hyphens kept inside it
("don't", "well-being"). Words are lower-cased; English stop-words ("the", "and", "of"...)
and single letters are dropped, because they say nothing about what the room thinks.
Each answer counts a word once, so typing "data data data" does not outvote three people.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

TOP_WORDS = 60

# Letters or digits, optionally joined by an apostrophe or hyphen ("don't", "co-op").
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")

# A common English stop-word list (the words that carry no topic of their own).
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't cannot could couldn't did didn't
    do does doesn't doing don't down during each etc even ever every few for from further
    get gets got had hadn't has hasn't have haven't having he he'd he'll he's her here
    here's hers herself him himself his how how's however i i'd i'll i'm i've if in into is
    isn't it it's its itself just let's like may me might more most much must mustn't my
    myself need no nor not now of off on once one only or other ought our ours ourselves
    out over own quite rather really same shall shan't she she'd she'll she's should
    shouldn't so some such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've this those though through thus to too
    under until up upon us very via was wasn't we we'd we'll we're we've were weren't what
    what's when when's where where's whether which while who who's whom whose why why's will
    with within without won't would wouldn't yes yet you you'd you'll you're you've your
    yours yourself yourselves
    """.split()
)


def split_words(text: str) -> list[str]:
    """The words of ``text`` as typed, for counting how many were given."""
    return text.split()


def normalise(word: str) -> str:
    return word.lower().replace("’", "'")


def content_words(text: str) -> list[str]:
    """The distinct words of one answer that count, lower-cased, in the order given."""
    seen: list[str] = []
    for match in _WORD.finditer(text):
        word = normalise(match.group())
        if len(word) < 2 and not word.isdigit():
            continue
        if word in STOP_WORDS or word in seen:
            continue
        seen.append(word)
    return seen


def count_words(answers: Iterable[tuple[str, int]], top: int = TOP_WORDS) -> list[dict]:
    """``[{word, count}]`` for the ``top`` most used words of ``(text, how many)`` pairs.

    Most used first; equal counts in alphabetical order, so the list is the same every time.
    """
    tally: Counter[str] = Counter()
    for text, n in answers:
        for word in content_words(text):
            tally[word] += n
    ranked = sorted(tally.items(), key=lambda pair: (-pair[1], pair[0]))
    return [{"word": word, "count": count} for word, count in ranked[:top]]
