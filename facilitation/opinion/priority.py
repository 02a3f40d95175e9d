"""Which statement a phone is offered next: the ones that most need votes.

priority = (1 - p_pass) x (1 + 4 x separation) x (1 + 8 x 2^(-S / 5)), with S the votes so
far and p_pass = passes / (S + 1), the share of passes damped while votes are few (0 for a
statement nobody has voted on yet, so nothing holds a new statement back):

- statements people keep passing on are probably unclear, so they are offered less;
- statements that separate the groups (``separation``, the gap between the most and least
  agreeing groups, 0..1) tell the map the most, so they are offered up to 5 times as much;
- a new statement (S = 0) is offered 9 times as much, halving its boost every 5 votes, so
  late statements still catch up with the early ones.
"""

from __future__ import annotations


def priority(agree: int, disagree: int, passes: int, separation: float = 0.0) -> float:
    """Higher first."""
    # Counts come from the database and are never negative; a separation is a difference of
    # two shares. Clamped all the same, so no odd input can give NaN or a negative boost.
    agree, disagree, passes = max(agree, 0), max(disagree, 0), max(passes, 0)
    separation = min(max(separation, 0.0), 1.0) if separation == separation else 0.0
    votes = agree + disagree + passes
    p_pass = passes / (votes + 1)
    return (1 - p_pass) * (1 + 4 * separation) * (1 + 8 * 2 ** (-votes / 5))


def priorities(
    counts: dict[int, tuple[int, int, int]], separation: dict[int, float]
) -> dict[int, float]:
    """Statement id -> priority, from (agree, disagree, passes) and the latest separation
    (a statement missing from it, e.g. before groups formed, counts as 0)."""
    return {
        sid: priority(agree, disagree, passes, separation.get(sid, 0.0))
        for sid, (agree, disagree, passes) in counts.items()
    }
