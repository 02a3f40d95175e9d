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

Small sectors are never singled out (``small_groups`` states the rule, the plan's
``min_group_size`` the size, default 3): a sector with fewer voters on a comment is folded
with the other small ones into "Other groups", which counts as ONE voice in the rule above
(it always holds voters of at least one sector not shown on its own, so "Agreed across N
sectors" never overstates) and is left out altogether while it is smaller than the size. So a lone
Housing voter who disagrees can neither show as "Housing 0–1" nor turn the badge into
"Splits sectors". Votes from people with no sector are folded the same way (their own
group is no sector, so it never counts in the rule), because the comment's own agree /
disagree totals are on every screen and the totals minus the sectors shown would
otherwise be their votes.

A comment's author cannot vote on it, so the author's sector is only in the count through
its other members.

The pure functions (``classify``, ``consensus_of``, ``rank_key``) are tested with hand-made
cases; ``sector_votes`` is the one grouped query that feeds them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Comment, Participant, Reaction
from ..plans.model import DEFAULT_MIN_GROUP_SIZE
from .small_groups import OTHER_GROUPS, fold_small_groups

MIN_SECTORS = 2

CONSENSUS, SPLIT, MIXED, TOO_FEW = "consensus", "split", "mixed", "too_few"
STATUS_ORDER = {CONSENSUS: 0, SPLIT: 1, MIXED: 2, TOO_FEW: 3}


@dataclass(frozen=True)
class SectorVotes:
    sector: str | None  # None: people who gave no sector
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


def consensus_of(
    by_sector: Iterable[SectorVotes],
    sectors: Sequence[str] = (),
    min_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> dict:
    """The ``consensus`` field of a comment: its status and its votes per sector.

    Sectors are listed in ``sectors`` order (the plan's), then any others by name, then
    "Other groups" (small sectors folded, marked ``"other": true``); sectors that did not
    vote are left out, and so are sectors with fewer than ``min_size`` voters unless
    folded into an Other groups that reaches the size.
    """
    voted = [s for s in by_sector if s.votes > 0]
    order = {name: i for i, name in enumerate(sectors)}
    # No sector (None) sorts last: it is a group to fold, never a sector of the rule.
    voted.sort(key=lambda s: (s.sector is None, order.get(s.sector, len(order)), s.sector or ""))
    fold = fold_small_groups(voted, lambda s: s.votes, min_size)
    shown = [s for s in fold.shown if s.sector is not None]
    rows = [s.as_dict() for s in shown]
    if fold.other_shown:
        other = SectorVotes(
            OTHER_GROUPS,
            sum(s.agree for s in fold.folded),
            sum(s.disagree for s in fold.folded),
            sum(s.passes for s in fold.folded),
        )
        shown.append(other)
        rows.append({**other.as_dict(), "other": True})
    return {
        "status": classify(shown),
        "sectors_agreeing": sum(1 for s in shown if s.agrees),
        "by_sector": rows,
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


def sector_votes(
    db: Session, session_id: int, stage_key: str | None = None
) -> dict[int, list[SectorVotes]]:
    """Each comment's votes per sector of the voter (None: no sector given), for one stage
    or (``stage_key`` None) the whole session: one grouped query."""
    query = (
        select(Reaction.comment_id, Participant.sector, Reaction.value, func.count())
        .join(Comment, Comment.id == Reaction.comment_id)
        .join(Participant, Participant.id == Reaction.participant_id)
        .where(Comment.session_id == session_id)
        .group_by(Reaction.comment_id, Participant.sector, Reaction.value)
    )
    if stage_key is not None:
        query = query.where(Comment.stage_key == stage_key)
    tallies: dict[int, dict[str | None, list[int]]] = {}
    for comment_id, sector, value, count in db.execute(query).all():
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
    db: Session,
    session_id: int,
    stage_key: str,
    comments: list[dict],
    sectors: Sequence[str],
    min_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> list[dict]:
    """Give each comment of a wall (dicts with ``id``) its ``consensus`` field, in place."""
    votes = sector_votes(db, session_id, stage_key) if comments else {}
    for comment in comments:
        comment["consensus"] = consensus_of(votes.get(comment["id"], ()), sectors, min_size)
    return comments
