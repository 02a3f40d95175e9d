"""Synthetic rooms with planted opinion groups, for the tests and bench/opinion_groups.py.

Each planted group has a preference per statement (+1 agree, -1 disagree); every person
votes their group's preference on the statements they see, except that a share ``noise``
of their votes is replaced by a vote drawn at random (agree, disagree or pass).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from facilitation.opinion.matrix import VoteMatrix

# Three groups, 22 statements: 0-3 everyone agrees (planted consensus), 4-19 the groups
# oppose each other (planted divisive), 20-21 everyone disagrees (neither).
THREE_GROUPS = np.array(
    [
        [1] * 4 + [1] * 4 + [-1] * 4 + [-1] * 4 + [1] * 4 + [-1] * 2,
        [1] * 4 + [-1] * 4 + [1] * 4 + [-1] * 4 + [1] * 4 + [-1] * 2,
        [1] * 4 + [-1] * 4 + [-1] * 4 + [1] * 4 + [-1] * 4 + [-1] * 2,
    ]
)


@dataclass
class Room:
    matrix: VoteMatrix
    group: dict[int, int]  # participant id -> planted group index
    statement_ids: list[int]  # column j of ``preferences`` is statement_ids[j]
    preferences: np.ndarray  # planted group x statement, +1 / -1

    def planted(self, kind: str) -> set[int]:
        """Statement ids every group agrees with ("consensus") or that split them."""
        columns = {
            "consensus": (self.preferences == 1).all(axis=0),
            "divisive": (self.preferences.min(0) == -1) & (self.preferences.max(0) == 1),
        }[kind]
        return {self.statement_ids[j] for j in np.flatnonzero(columns)}

    def truth(self, participants) -> list[int]:
        return [self.group[p] for p in participants]


def planted_room(
    seed: int,
    preferences: np.ndarray = THREE_GROUPS,
    size: int | list[int] = 15,
    noise: float = 0.2,
    seen: float | tuple[int, int] = 0.75,
    first_participant: int = 1000,
) -> Room:
    """``size`` people per group; ``seen`` is the share of statements each person votes on,
    or a (low, high) range for the number of statements they vote on."""
    rng = np.random.default_rng(seed)
    groups, n_statements = preferences.shape
    sizes = [size] * groups if isinstance(size, int) else list(size)
    statement_ids = [100 + 7 * j for j in range(n_statements)]
    people = sum(sizes)
    # Ids shuffled against the groups, so matrix order says nothing about the groups.
    ids = first_participant + rng.permutation(people) * 3
    membership = np.repeat(np.arange(groups), sizes)
    rows = []
    for pid, g in zip(ids, membership, strict=True):
        if isinstance(seen, tuple):
            count = rng.integers(seen[0], seen[1] + 1)
            columns = rng.choice(n_statements, size=count, replace=False)
        else:
            columns = np.flatnonzero(rng.random(n_statements) < seen)
        votes = preferences[g, columns].copy()
        noisy = rng.random(len(columns)) < noise
        votes[noisy] = rng.choice([1, -1, 0], size=int(noisy.sum()))
        rows.extend(
            (int(pid), statement_ids[c], int(v)) for c, v in zip(columns, votes, strict=True)
        )
    return Room(
        matrix=VoteMatrix.from_rows(rows, statements=statement_ids),
        group={int(p): int(g) for p, g in zip(ids, membership, strict=True)},
        statement_ids=statement_ids,
        preferences=preferences,
    )


def random_preferences(seed: int, groups: int, statements: int, consensus: float = 0.1):
    """Random +1/-1 preferences, with a share of statements every group agrees with."""
    rng = np.random.default_rng(seed)
    preferences = rng.choice([1, -1], size=(groups, statements))
    preferences[:, : int(statements * consensus)] = 1
    return preferences


def rows_of(matrix: VoteMatrix) -> list[tuple[int, int, int]]:
    """The (participant, statement, value) rows a matrix was built from."""
    people, columns = np.nonzero(matrix.seen)
    return [
        (matrix.participants[i], matrix.statements[j], int(matrix.values[i, j]))
        for i, j in zip(people, columns, strict=True)
    ]
