"""Comments that recur across the sessions of a series.

The rule, per stage (a comment made under the Purposeful test is compared with other
comments made under the Purposeful test):

1. A comment's **words** are its content words as the word cloud counts them
   (``workshop/words.py``: lower-cased, stop-words and one-letter words dropped, each word
   once), with a plural "s" folded ("councils" = "council"; not "ss", "us" or "is"
   endings).
2. Two comments are **alike** when their word sets overlap strongly: the Jaccard index
   (shared words / all words of the two) is at least 0.5 and they share at least two
   words, or both are the same single word.
3. Comments linked by a chain of alike pairs form a **theme** (single linkage).
4. A theme **recurs** when its comments come from two or more sessions. Only those are
   listed: most sessions first, then most agreement, then most comments.

Comments the facilitator hid are left out (and so are a self-paced run's comments still
waiting for a moderator's approval: they are hidden until approved); a withdrawn
participant's comments are already gone. A run is a session like any other here, so its
comments recur with the workshops' when they say the same. A theme is shown by its most
agreed comment (the earliest on a tie), with the sessions it came up in, how many comments
it holds, how many agreements and disagreements they drew in all, and the words the
sessions shared.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Comment
from ..workshop.words import content_words

JACCARD_AT_LEAST = 0.5
SHARED_AT_LEAST = 2
THEMES_SHOWN = 12  # per stage


@dataclass(frozen=True)
class SeriesComment:
    id: int
    session_id: int
    stage_key: str
    text: str
    agree: int = 0
    disagree: int = 0
    seq: int = 0


@dataclass
class Theme:
    comments: list[SeriesComment]
    session_ids: list[int]  # the sessions it came up in, in the series' order
    words: list[str]  # words that came up in at least two of its sessions
    agree: int = 0
    disagree: int = 0
    lead: SeriesComment = field(init=False)

    def __post_init__(self):
        self.lead = max(self.comments, key=lambda c: (c.agree, -c.seq, -c.id))

    @property
    def others(self) -> list[SeriesComment]:
        return [c for c in self.comments if c is not self.lead]


def fold(word: str) -> str:
    """A plural "s" dropped: "councils" -> "council"; "process", "status", "this" kept."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def word_set(text: str) -> frozenset[str]:
    return frozenset(fold(word) for word in content_words(text))


def alike(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    shared = len(a & b)
    if len(a) == len(b) == 1:
        return shared == 1
    return shared >= SHARED_AT_LEAST and shared / len(a | b) >= JACCARD_AT_LEAST


def group(comments: list[SeriesComment], session_order: list[int]) -> list[Theme]:
    """The recurring themes among ``comments`` (one stage's, from several sessions)."""
    words = [word_set(c.text) for c in comments]
    parent = list(range(len(comments)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only pairs sharing a word can be alike: look them up by word, not all pairs.
    by_word: dict[str, list[int]] = defaultdict(list)
    for index, word_list in enumerate(words):
        for word in word_list:
            by_word[word].append(index)
    checked: set[tuple[int, int]] = set()
    for indexes in by_word.values():
        for i, j in combinations(indexes, 2):
            if (i, j) in checked:
                continue
            checked.add((i, j))
            if alike(words[i], words[j]):
                parent[root(j)] = root(i)

    members: dict[int, list[int]] = defaultdict(list)
    for index in range(len(comments)):
        members[root(index)].append(index)
    position = {session_id: n for n, session_id in enumerate(session_order)}
    themes = []
    for indexes in members.values():
        sessions = {comments[i].session_id for i in indexes}
        if len(sessions) < 2:
            continue
        word_sessions: dict[str, set[int]] = defaultdict(set)
        for i in indexes:
            for word in words[i]:
                word_sessions[word].add(comments[i].session_id)
        shared = sorted(
            (w for w, s in word_sessions.items() if len(s) >= 2),
            key=lambda w: (-len(word_sessions[w]), w),
        )
        chosen = sorted(
            (comments[i] for i in indexes), key=lambda c: (position.get(c.session_id, 0), c.seq)
        )
        themes.append(
            Theme(
                comments=chosen,
                session_ids=sorted(sessions, key=lambda s: position.get(s, 0)),
                words=shared,
                agree=sum(c.agree for c in chosen),
                disagree=sum(c.disagree for c in chosen),
            )
        )
    themes.sort(key=lambda t: (-len(t.session_ids), -t.agree, -len(t.comments), t.lead.seq))
    return themes


def series_comments(db: Session, session_ids: list[int]) -> dict[str, list[SeriesComment]]:
    """The visible comments of the sessions, per stage."""
    by_stage: dict[str, list[SeriesComment]] = defaultdict(list)
    if not session_ids:
        return by_stage
    rows = db.execute(
        select(
            Comment.id,
            Comment.session_id,
            Comment.stage_key,
            Comment.text,
            Comment.agree,
            Comment.disagree,
            Comment.seq,
        )
        .where(Comment.session_id.in_(session_ids), Comment.hidden.is_(False))
        .order_by(Comment.session_id, Comment.seq)
    ).all()
    for row in rows:
        by_stage[row.stage_key].append(SeriesComment(*row))
    return by_stage


def recurring_themes(db: Session, session_ids: list[int]) -> dict[str, list[Theme]]:
    """Per stage key, the themes that recur across the sessions (in ``session_ids`` order)."""
    return {
        stage_key: themes
        for stage_key, comments in series_comments(db, session_ids).items()
        if (themes := group(comments, session_ids))
    }
