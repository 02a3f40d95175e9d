"""The vote matrix of a statements stage: participants x statements, +1 / -1 / 0.

Every later step (the map, the groups, the per-statement figures) works on whole arrays, so
the votes are turned into dense numpy arrays once here. ``seen`` is kept apart from the
values because a pass is a vote (it counts towards being placed on the map and in a
statement's figures) but weighs 0 like a statement not seen. ``authored`` marks the cells
where a statement's author is counted as agreeing with it (votes.py): they place the
author on the map, but they are not votes, so no figure shown to people counts them
(``voted``): the wall's own counts leave the author out, and a group's count one higher
than the wall's would tell which group the author is in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

VOTE_VALUES = (1, -1, 0)


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Rows are participants (ascending ids), columns statements (ascending comment ids).

    The arrays are made read-only so that a matrix shared between a computation running
    off the event loop and its readers cannot change under them.
    """

    participants: tuple[int, ...]
    statements: tuple[int, ...]
    values: np.ndarray
    seen: np.ndarray
    authored: np.ndarray | None = None  # None: no author's agreement among the cells

    def __post_init__(self) -> None:
        shape = (len(self.participants), len(self.statements))
        if self.authored is None:
            object.__setattr__(self, "authored", np.zeros(shape, dtype=bool))
        if self.values.shape != shape or self.seen.shape != shape or self.authored.shape != shape:
            raise ValueError(f"values, seen and authored must all have shape {shape}")
        self.values.setflags(write=False)
        self.seen.setflags(write=False)
        self.authored.setflags(write=False)

    @property
    def voted(self) -> np.ndarray:
        """The cells a person voted on (``seen`` without the authors' own statements)."""
        return self.seen & ~self.authored

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[tuple[int, int, int]],
        statements: Iterable[int] | None = None,
        authored: Iterable[tuple[int, int]] = (),
    ) -> VoteMatrix:
        """Build the matrix from (participant_id, comment_id, value) rows.

        ``statements`` lists every visible statement, so one nobody has voted on yet is
        still a (zero) column; votes on a statement not in it (hidden since) are dropped,
        and a participant whose only votes were those is not a row. Without it, the
        columns are the statements voted on. A later row for the same cell wins (a changed
        vote read in order). ``authored``: (participant_id, comment_id) of each statement's
        author, counted as agreeing with it (before ``rows``: an author cannot vote on
        their own statement).
        """
        written = np.array(list(authored), dtype=np.int64).reshape(-1, 2)
        implied = np.column_stack([written, np.ones(len(written), dtype=np.int64)])
        data = np.array(list(rows), dtype=np.int64).reshape(-1, 3)
        data = np.concatenate([implied, data])
        from_author = np.zeros(len(data), dtype=bool)
        from_author[: len(written)] = True
        if data.size and not np.isin(data[:, 2], VOTE_VALUES).all():
            raise ValueError("a vote value must be 1 (agree), -1 (disagree) or 0 (pass)")
        if statements is None:
            columns = np.unique(data[:, 1])
        else:
            columns = np.unique(np.fromiter(statements, dtype=np.int64))
            kept = np.isin(data[:, 1], columns)
            data, from_author = data[kept], from_author[kept]
        people = np.unique(data[:, 0])
        row = np.searchsorted(people, data[:, 0])
        column = np.searchsorted(columns, data[:, 1])
        # numpy does not promise which of repeated indices an assignment keeps, so keep
        # each cell's last row explicitly (a changed vote read in order wins).
        cell = row * len(columns) + column
        _, from_end = np.unique(cell[::-1], return_index=True)
        last = len(cell) - 1 - from_end
        row, column = row[last], column[last]
        values = np.zeros((len(people), len(columns)), dtype=np.float64)
        seen = np.zeros((len(people), len(columns)), dtype=bool)
        authored_cells = np.zeros((len(people), len(columns)), dtype=bool)
        values[row, column] = data[last, 2]
        seen[row, column] = True
        authored_cells[row, column] = from_author[last]
        return cls(
            participants=tuple(int(p) for p in people),
            statements=tuple(int(s) for s in columns),
            values=values,
            seen=seen,
            authored=authored_cells,
        )

    def votes_per_person(self) -> np.ndarray:
        """How many statements each row voted on (a pass counts)."""
        return self.seen.sum(axis=1)
