"""Opinion groups: a 2-D map of the placed participants and k-means groups on it.

Pol.is's method, kept small enough to recompute on every burst of votes:

1. **Placed**: only people with at least ``min_votes`` votes (a pass counts) are on the
   map; two or three votes say too little about where someone stands.
2. **Centre** each statement's column by the mean of the votes placed people gave it; a
   cell not voted on becomes 0, i.e. "like the average voter", so it pulls nobody anywhere.
3. **PCA** to two components (eigenvectors of the centred matrix's scatter matrix), then
   each person's coordinates are multiplied by sqrt(n_statements / n_seen): someone who
   voted on few statements would otherwise sit near the middle only because most of their
   row is 0.
4. **k-means** for k = 2 .. min(max_groups, placed // min_group_size); a k with a group
   smaller than ``min_group_size`` is not admissible (small groups could single people
   out, and are not a "group" worth showing). The first time, the admissible k with the
   best silhouette wins. After that the previous k is kept until another k is clearly
   better: it beats the kept k by ``SWITCH_AT_ONCE``, or it has beaten it by more than
   ``HYSTERESIS`` in ``SWITCH_AFTER`` computations in a row (the Grouping carries the
   challenger and its run of wins), or the kept k is no longer admissible. Computations
   follow each burst of votes, often several a second, and two k whose silhouettes are
   close trade places from burst to burst: the number of groups on the projector must
   not follow them.
5. **Letters**: the first time by size (A the largest); afterwards each new group takes
   the letter of the old group it shares most members with (Hungarian matching), so a
   group does not change its name on the projector when a few votes arrive. The letters
   are always the first k (A, B, C with three groups): when the number of groups changes,
   the groups that go on keep their letters where those are among the first k, and the
   others take the letters left, so the room never sees groups B, C and D with no A.

The map's axes are also turned to agree with the previous map (a principal component's
sign is arbitrary), so the dots do not jump to the mirror side between two updates.
"""

from __future__ import annotations

import string
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import NamedTuple

import numpy as np
from scipy.linalg import eigh
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist
from threadpoolctl import ThreadpoolController

from .kmeans import kmeans, silhouette
from .matrix import VoteMatrix

LETTERS = string.ascii_uppercase
# A k whose silhouette beats the kept k's by no more than this does not count as winning.
HYSTERESIS = 0.03
# A k that wins this many computations in a row replaces the kept k...
SWITCH_AFTER = 2
# ...or at once when its silhouette beats the kept k's by at least this much.
SWITCH_AT_ONCE = 0.1
# Silhouette is quadratic in the people placed; above this many it is estimated on a
# sample of this size (seeded, so the same votes give the same choice).
SILHOUETTE_SAMPLE = 1000
# Positions are rounded so identical voters get identical points whatever order the
# linear algebra summed them in (k-means would otherwise split them by rounding noise).
DECIMALS = 9


@dataclass(frozen=True)
class Settings:
    """The method's parameters; the defaults are the plan's (``opinion_groups: true``).

    What each one does and why: docs/opinion-groups.md.
    """

    min_votes: int = 3
    min_people: int = 7
    max_groups: int = 5
    min_group_size: int = 3
    seed: int = 0

    def __post_init__(self) -> None:
        if self.min_votes < 1 or self.min_people < 2 or self.min_group_size < 1:
            raise ValueError("min_votes and min_group_size must be >= 1, min_people >= 2")
        if not 2 <= self.max_groups <= len(LETTERS):
            raise ValueError(f"max_groups must be between 2 and {len(LETTERS)}")


@dataclass(frozen=True, eq=False)
class Grouping:
    """Where the placed people are on the map and, once formed, their group letters.

    ``positions`` are computed whatever the status (a map can be shown while waiting);
    they are all 0, with ``explained`` (0, 0), when fewer than two people are placed or
    every placed person voted alike.
    """

    status: str  # "waiting" | "formed" | "no_split"
    placed: tuple[int, ...]
    positions: np.ndarray
    labels: tuple[str, ...] = ()
    k: int = 0
    silhouette: float | None = None
    explained: tuple[float, float] = (0.0, 0.0)
    centres: dict[str, tuple[float, float]] = field(default_factory=dict)
    # The k that beat ``k`` in the last computations without replacing it yet, and how
    # many computations in a row it has (0, 0 when none): the next computation needs them
    # to tell a lasting change in the number of groups from a momentary one.
    candidate: int = 0
    candidate_wins: int = 0

    @cached_property
    def _label_of(self) -> dict[int, str]:
        return dict(zip(self.placed, self.labels, strict=False))

    def group_of(self, participant_id: int) -> str | None:
        """The participant's group letter, or None (not placed, or no groups formed)."""
        return self._label_of.get(participant_id)

    @property
    def sizes(self) -> dict[str, int]:
        """People per group, in letter order."""
        counts = Counter(self.labels)
        return {label: counts[label] for label in sorted(counts)}


def find_groups(
    matrix: VoteMatrix, settings: Settings | None = None, previous: Grouping | None = None
) -> Grouping:
    """Place the people with enough votes on a map and group them (see the module doc).

    ``previous`` is the last grouping of the same stage: it keeps letters, the number of
    groups (until another is clearly better: ``_choose_k``) and the map's orientation
    from one update to the next.
    """
    settings = settings or Settings()
    with one_thread():
        return _find_groups(matrix, settings, previous)


def _find_groups(matrix: VoteMatrix, settings: Settings, previous: Grouping | None) -> Grouping:
    rows = np.flatnonzero(matrix.votes_per_person() >= settings.min_votes)
    placed = tuple(matrix.participants[i] for i in rows)
    positions, explained = _map(matrix, rows, previous)
    if len(rows) < settings.min_people:
        return Grouping("waiting", placed, positions, explained=explained)
    candidates = _clusterings(positions, settings)
    if not candidates:
        return Grouping("no_split", placed, positions, explained=explained)
    choice = _choose_k(candidates, previous)
    assignment, silhouette = candidates[choice.k]
    letter = _letters(assignment, positions, placed, previous)
    labels = tuple(letter[c] for c in assignment)
    centres = {
        letter[c]: tuple(float(v) for v in positions[assignment == c].mean(axis=0))
        for c in sorted(letter, key=letter.get)
    }
    return Grouping(
        "formed",
        placed,
        positions,
        labels,
        choice.k,
        silhouette,
        explained,
        centres,
        choice.candidate,
        choice.candidate_wins,
    )


@cache
def _thread_pools() -> ThreadpoolController:
    return ThreadpoolController()  # finds the loaded OpenMP/BLAS libraries once (slow)


def one_thread():
    """Run BLAS (and any OpenMP) on one thread while grouping (a context manager).

    The matrix products of the map are small enough that parallel threads cost more in
    synchronising than they save (scikit-learn's k-means, used before kmeans.py, measured
    3x slower with them on 2 cores), and the live server's event loop needs the other
    core. The limit is process-wide while it lasts; two groupings at once may leave it at
    one thread, which is only slower for large matrix products elsewhere, never wrong.
    """
    return _thread_pools().limit(limits=1)


def _map(
    matrix: VoteMatrix, rows: np.ndarray, previous: Grouping | None
) -> tuple[np.ndarray, tuple[float, float]]:
    """The placed rows' 2-D PCA positions (sparsity-scaled) and explained variance ratios."""
    positions = np.zeros((len(rows), 2))
    if len(rows) < 2 or not matrix.statements:
        return positions, (0.0, 0.0)
    values = matrix.values[rows]
    seen = matrix.seen[rows]
    seen_per_column = seen.sum(axis=0)
    # values are 0 where not seen, so a column's sum is the sum of its seen votes.
    means = np.divide(
        values.sum(axis=0),
        seen_per_column,
        out=np.zeros(values.shape[1]),
        where=seen_per_column > 0,
    )
    centred = np.where(seen, values - means, 0.0)
    # Each column of ``centred`` already sums to 0 (seen votes minus their mean, zeros
    # elsewhere), so this is PCA without a second centring. The scatter matrix is
    # statements x statements: small, whatever the number of people.
    scatter = centred.T @ centred
    total = float(np.trace(scatter))
    if total <= 1e-12:
        return positions, (0.0, 0.0)
    # Only the two largest eigenpairs are needed (a third of the time of all of them).
    size = len(scatter)
    eigenvalues, eigenvectors = eigh(scatter, subset_by_index=[max(0, size - 2), size - 1])
    order = np.argsort(eigenvalues)[::-1]
    components = eigenvectors[:, order]
    strength = np.clip(eigenvalues[order], 0.0, None)
    # An eigenvector's sign is arbitrary: fix it (largest loading positive) so the same
    # votes always give the same map.
    biggest = np.abs(components).argmax(axis=0)
    components = components * np.sign(components[biggest, range(components.shape[1])])
    coordinates = centred @ components
    coordinates *= np.sqrt(len(matrix.statements) / seen.sum(axis=1))[:, None]
    positions[:, : coordinates.shape[1]] = coordinates
    positions = _align(np.round(positions, DECIMALS), matrix, rows, previous)
    explained = tuple(float(v) / total for v in strength) + (0.0,) * (2 - len(strength))
    return positions, explained


def _align(
    positions: np.ndarray, matrix: VoteMatrix, rows: np.ndarray, previous: Grouping | None
) -> np.ndarray:
    """Flip an axis whose direction disagrees with the previous map's for the same people."""
    if previous is None or not len(previous.placed):
        return positions
    before = {pid: i for i, pid in enumerate(previous.placed)}
    shared = [
        (i, before[matrix.participants[r]])
        for i, r in enumerate(rows)
        if matrix.participants[r] in before
    ]
    if not shared:
        return positions
    now, then = (np.array(side) for side in zip(*shared, strict=True))
    agreement = (positions[now] * previous.positions[then]).sum(axis=0)
    return positions * np.where(agreement < 0, -1.0, 1.0)


def _clusterings(positions: np.ndarray, settings: Settings) -> dict[int, tuple[np.ndarray, float]]:
    """Every admissible k with its assignment and silhouette."""
    people = len(positions)
    distinct = len(np.unique(positions, axis=0))
    upper = min(settings.max_groups, people // settings.min_group_size, distinct, people - 1)
    if upper < 2:
        return {}
    # The same people and distances score every k: computed once, and the k are compared
    # on the same sample.
    sample = np.arange(people)
    if people > SILHOUETTE_SAMPLE:
        rng = np.random.default_rng(settings.seed)
        sample = np.sort(rng.choice(people, size=SILHOUETTE_SAMPLE, replace=False))
    distances = cdist(positions[sample], positions[sample])
    found = {}
    for k in range(2, upper + 1):
        assignment = kmeans(positions, k, settings.seed)
        if np.bincount(assignment, minlength=k).min() < settings.min_group_size:
            continue
        labels = assignment[sample]
        if len(np.unique(labels)) < 2:  # a sample holding one group only: cannot score
            continue
        found[k] = (assignment, silhouette(distances, labels))
    return found


class Choice(NamedTuple):
    k: int
    candidate: int = 0  # a k that beat ``k`` but has not replaced it yet (0: none)
    candidate_wins: int = 0  # computations in a row it has beaten ``k`` in


def _choose_k(candidates: dict[int, tuple[np.ndarray, float]], previous: Grouping | None) -> Choice:
    """The number of groups: the best silhouette (the smaller k on a tie) the first time
    or when the previous k is no longer admissible; otherwise the previous k, until the
    best beats it by ``SWITCH_AT_ONCE``, or by more than ``HYSTERESIS`` in
    ``SWITCH_AFTER`` computations in a row (counted in ``previous.candidate_wins``)."""
    best = max(candidates, key=lambda k: (candidates[k][1], -k))
    if previous is None or previous.status != "formed" or previous.k not in candidates:
        return Choice(best)
    kept = previous.k
    margin = candidates[best][1] - candidates[kept][1]
    if best == kept or margin <= HYSTERESIS:
        return Choice(kept)  # a challenger's run ends with a computation it did not win
    wins = previous.candidate_wins + 1 if previous.candidate == best else 1
    if margin >= SWITCH_AT_ONCE or wins >= SWITCH_AFTER:
        return Choice(best)
    return Choice(kept, best, wins)


def _letters(
    assignment: np.ndarray,
    positions: np.ndarray,
    placed: tuple[int, ...],
    previous: Grouping | None,
) -> dict[int, str]:
    """Cluster number -> letter, always the first k letters (A, B, C with three groups):
    each group takes the letter, among those, of the previous group it shares most people
    with (Hungarian matching); the rest, largest first, the letters left. While the number
    of groups stays the same every letter stays with its people; when it changes, the
    groups that go on keep theirs where they can, and the letters close up so that a room
    never sees groups B, C and D with no A."""
    k = int(assignment.max()) + 1
    sizes = np.bincount(assignment, minlength=k)
    x = [positions[assignment == c, 0].mean() for c in range(k)]
    by_size = sorted(range(k), key=lambda c: (-sizes[c], x[c], c))
    usable = LETTERS[:k]
    letter: dict[int, str] = {}
    if previous is not None and previous.status == "formed":
        old_letters = [label for label in usable if label in set(previous.labels)]
        column = {label: j for j, label in enumerate(old_letters)}
        overlap = np.zeros((k, len(old_letters)))
        for pid, c in zip(placed, assignment, strict=True):
            old = previous.group_of(pid)
            if old in column:
                overlap[c, column[old]] += 1
        for c, j in zip(*linear_sum_assignment(overlap, maximize=True), strict=True):
            if overlap[c, j] > 0:
                letter[int(c)] = old_letters[j]
    free = iter(label for label in usable if label not in letter.values())
    for c in by_size:
        if c not in letter:
            letter[c] = next(free)
    return letter
