"""Cross-sector consensus on comments and statements: where sectors agree, and where they split.

A comment most sectors agree with is worth more to the discussion than one a single loud
group likes, so each comment's votes are counted per sector of the people who voted.

The rule
--------
For each sector, its votes on a comment are its agree + disagree + pass votes (a "pass",
possible on statements only, counts as a vote but never as agreement). A sector *agrees*
when more than half of its votes agree, and *disagrees* when more than half disagree; a sector
with an even split, or held back by passes, does neither.

- ``too_few``: people from fewer than ``MIN_SECTORS`` (2) sectors voted. One sector alone,
  however many of its members vote, can never make a consensus.
- ``consensus``: otherwise, when EVERY sector that voted agrees. "Agreed across N sectors".
- ``split``: otherwise, when at least one sector agrees and at least one other disagrees.
- ``mixed``: anything else (some sectors undecided, or all of them against it).

There is no minimum number of votes per sector: it is a workshop, not a survey, and a sector
of one person is that sector's voice in the room. The screens always show each sector's
numbers next to the badge, so "Agreed across 2 sectors" on 1 vote each reads as what it is.

Votes from people with no sector are left out of the sector counts (they still count in the
comment's own agree / disagree totals). A comment's author cannot vote on it, so the author's
sector is only in the count through its other members.

The pure functions (``classify``, ``consensus_of``, ``rank_key``) are tested with hand-made
cases; ``sector_votes`` is the one grouped query that feeds them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Comment, Participant, Reaction

MIN_SECTORS = 2

CONSENSUS, SPLIT, MIXED, TOO_FEW = "consensus", "split", "mixed", "too_few"
STATUS_ORDER = {CONSENSUS: 0, SPLIT: 1, MIXED: 2, TOO_FEW: 3}


@dataclass(frozen=True)
class SectorVotes:
    sector: str
    agree: int = 0
    disagree: int = 0
    passes: int = 0

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passes

    @property
    def agrees(self) -> bool:
        return self.votes > 0 and 2 * self.agree > self.votes

    @property
    def disagrees(self) -> bool:
        return self.votes > 0 and 2 * self.disagree > self.votes

    def as_dict(self) -> dict:
        return {
            "sector": self.sector,
            "agree": self.agree,
            "disagree": self.disagree,
            "pass": self.passes,
        }


def classify(by_sector: Iterable[SectorVotes]) -> str:
    """``consensus``, ``split``, ``mixed`` or ``too_few`` for one comment (rule above)."""
    voted = [s for s in by_sector if s.votes > 0]
    if len(voted) < MIN_SECTORS:
        return TOO_FEW
    if all(s.agrees for s in voted):
        return CONSENSUS
    if any(s.agrees for s in voted) and any(s.disagrees for s in voted):
        return SPLIT
    return MIXED


def consensus_of(by_sector: Iterable[SectorVotes], sectors: Sequence[str] = ()) -> dict:
    """The ``consensus`` field of a comment: its status and its votes per sector.

    Sectors are listed in ``sectors`` order (the plan's), then any others by name; sectors
    that did not vote are left out.
    """
    voted = [s for s in by_sector if s.votes > 0]
    order = {name: i for i, name in enumerate(sectors)}
    voted.sort(key=lambda s: (order.get(s.sector, len(order)), s.sector))
    return {
        "status": classify(voted),
        "sectors_agreeing": sum(1 for s in voted if s.agrees),
        "by_sector": [s.as_dict() for s in voted],
    }


def rank_key(consensus: dict, agree: int = 0, disagree: int = 0) -> tuple:
    """Sort key for "where sectors agree / split": consensus first, widest first, then
    split, mixed and too few; within a status the most agreed first."""
    return (
        STATUS_ORDER.get(consensus["status"], len(STATUS_ORDER)),
        -consensus.get("sectors_agreeing", 0),
        -(agree - disagree),
        -agree,
    )


def sector_votes(db: Session, session_id: int, stage_key: str) -> dict[int, list[SectorVotes]]:
    """Each comment's votes per sector of the voter: one grouped query for the stage."""
    rows = db.execute(
        select(Reaction.comment_id, Participant.sector, Reaction.value, func.count())
        .join(Comment, Comment.id == Reaction.comment_id)
        .join(Participant, Participant.id == Reaction.participant_id)
        .where(
            Comment.session_id == session_id,
            Comment.stage_key == stage_key,
            Participant.sector.is_not(None),
        )
        .group_by(Reaction.comment_id, Participant.sector, Reaction.value)
    ).all()
    tallies: dict[int, dict[str, list[int]]] = {}
    for comment_id, sector, value, count in rows:
        tally = tallies.setdefault(comment_id, {}).setdefault(sector, [0, 0, 0])
        if value == 1:
            tally[0] += count
        elif value == -1:
            tally[1] += count
        elif value == 0:
            tally[2] += count
    return {
        comment_id: [SectorVotes(sector, *tally) for sector, tally in by_sector.items()]
        for comment_id, by_sector in tallies.items()
    }


def add_consensus(
    db: Session, session_id: int, stage_key: str, comments: list[dict], sectors: Sequence[str]
) -> list[dict]:
    """Give each comment of a wall (dicts with ``id``) its ``consensus`` field, in place."""
    votes = sector_votes(db, session_id, stage_key) if comments else {}
    for comment in comments:
        comment["consensus"] = consensus_of(votes.get(comment["id"], ()), sectors)
    return comments
