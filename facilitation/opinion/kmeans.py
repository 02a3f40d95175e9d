"""k-means and the silhouette on the opinion map's 2-D points, in a few numpy array passes.

Why not scikit-learn's ``KMeans`` and ``silhouette_score``: on the map of a room (tens to
thousands of points in two dimensions) the arithmetic is tiny and scikit-learn's per-call
work (validating input, setting up thread pools, ten starts one after another) was about
nine tenths of a computation: 35 ms for a room of 100, almost all of it in Python, holding
the interpreter lock that the server's loop needs to carry everyone's votes
(docs/benchmarks.md). Here the ten starts run side by side as one array, and the whole
computation of a room of 100 takes about 8 ms. The tests check both against
scikit-learn's (tests/opinion/test_kmeans.py).
"""

from __future__ import annotations

import numpy as np

STARTS = 10  # k-means++ starts; the one with the least inertia wins (scikit-learn's n_init)
MAX_ROUNDS = 300  # Lloyd rounds; a 2-D room settles in tens


def kmeans(points: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Each point's cluster (0 .. k-1): Lloyd's algorithm from ``STARTS`` k-means++ starts
    run side by side, the start with the least inertia kept (the first on a tie). The same
    points, k and seed always give the same answer. A cluster left empty keeps its centre,
    so the result can hold fewer than k clusters (the caller then rejects that k)."""
    rng = np.random.default_rng((seed, k))
    centres = _plus_plus(points, k, rng)
    labels = None
    for _ in range(MAX_ROUNDS):
        squared = _squared_distances(points, centres)
        new = squared.argmin(axis=2)  # starts x points
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        centres = _means(points, labels, centres)
    inertia = squared.min(axis=2).sum(axis=1)
    return labels[int(inertia.argmin())]


def silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """The mean silhouette of points whose pairwise ``distances`` are given, grouped by
    ``labels`` (at least two groups): for each point, b (the mean distance to the nearest
    other group) minus a (the mean distance to the rest of its own group), over the larger
    of the two; 0 for a point alone in its group. scikit-learn's ``silhouette_score``."""
    groups, own = np.unique(labels, return_inverse=True)
    one_hot = own[:, None] == np.arange(len(groups))
    sizes = one_hot.sum(axis=0)
    sums = distances @ one_hot  # each point's total distance to each group
    index = np.arange(len(labels))
    others = np.maximum(sizes[own] - 1, 1)
    a = sums[index, own] / others
    to_groups = sums / sizes
    to_groups[index, own] = np.inf
    b = to_groups.min(axis=1)
    larger = np.maximum(a, b)
    score = np.divide(b - a, larger, out=np.zeros_like(a), where=larger > 0)
    score[sizes[own] == 1] = 0.0
    return float(score.mean())


def _plus_plus(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Greedy k-means++ centres for each start (starts x k x 2), as scikit-learn's: the
    first at random; for each next one, 2 + ln k candidates drawn with probability
    proportional to their squared distance to the nearest centre so far, and the one that
    leaves the least total squared distance kept. The starts spread over the map."""
    n = len(points)
    trials = 2 + int(np.log(k))
    centres = np.empty((STARTS, k, points.shape[1]))
    centres[:, 0] = points[rng.integers(n, size=STARTS)]
    nearest = _squared_distances(points, centres[:, :1])[:, :, 0]  # starts x points
    for j in range(1, k):
        cumulative = nearest.cumsum(axis=1)
        draws = rng.random((STARTS, trials)) * cumulative[:, -1:]
        candidates = np.minimum(
            (cumulative[:, None, :] <= draws[:, :, None]).sum(axis=2), n - 1
        )  # starts x trials
        # Each candidate's distances, as if it were a start's centres (starts x points x trials).
        squared = _squared_distances(points, points[candidates])
        left = np.minimum(nearest[:, :, None], squared)
        best = left.sum(axis=1).argmin(axis=1)
        centres[:, j] = points[candidates[np.arange(STARTS), best]]
        nearest = left[np.arange(STARTS), :, best]
    return centres


def _squared_distances(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """starts x points x centres squared distances, one coordinate at a time (the map has
    two: cheaper than one array of all the differences)."""
    total = np.zeros((centres.shape[0], len(points), centres.shape[1]))
    for axis in range(points.shape[1]):
        difference = points[None, :, None, axis] - centres[:, None, :, axis]
        total += difference * difference
    return total


def _means(points: np.ndarray, labels: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Each cluster's mean point, per start; an empty cluster keeps its centre."""
    starts, k = centres.shape[:2]
    # One bincount over (start, cluster) pairs sums every start's clusters at once.
    cell = (labels + k * np.arange(starts)[:, None]).ravel()
    sizes = np.bincount(cell, minlength=starts * k).reshape(starts, k)
    means = centres.copy()
    for axis in range(points.shape[1]):
        weights = np.broadcast_to(points[:, axis], labels.shape).ravel()
        sums = np.bincount(cell, weights=weights, minlength=starts * k).reshape(starts, k)
        np.divide(sums, sizes, out=means[:, :, axis], where=sizes > 0)
    return means
