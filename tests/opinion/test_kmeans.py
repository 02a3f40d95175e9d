"""The map's own k-means and silhouette (opinion/kmeans.py) against scikit-learn's, the
field's reference: the same silhouette to rounding, and clusterings as good."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score

from facilitation.opinion.kmeans import kmeans, silhouette


def blobs(seed: int, sizes=(30, 20, 25), spread=0.6) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-5, 5, size=(len(sizes), 2))
    points = np.vstack(
        [rng.normal(centre, spread, size=(n, 2)) for centre, n in zip(centres, sizes, strict=True)]
    )
    truth = np.repeat(np.arange(len(sizes)), sizes)
    return points, truth


def inertia(points: np.ndarray, labels: np.ndarray) -> float:
    return sum(
        float(((points[labels == c] - points[labels == c].mean(axis=0)) ** 2).sum())
        for c in np.unique(labels)
    )


@pytest.mark.parametrize("seed", range(6))
def test_silhouette_equals_scikit_learns(seed):
    rng = np.random.default_rng(seed)
    points = rng.normal(size=(60, 2))
    distances = cdist(points, points)
    for k in (2, 3, 5):
        labels = rng.integers(k, size=60)
        labels[0] = k + 3  # a group of one (scored 0) and labels that are not 0 .. k-1
        assert silhouette(distances, labels) == pytest.approx(
            silhouette_score(distances, labels, metric="precomputed"), abs=1e-12
        )


@pytest.mark.parametrize("seed", range(6))
def test_well_separated_groups_are_found_exactly(seed):
    points, truth = blobs(seed, spread=0.2)
    labels = kmeans(points, 3, seed=0)
    assert adjusted_rand_score(truth, labels) == 1.0


def test_clusterings_are_as_tight_as_scikit_learns():
    # Overlapping groups, so that the starts matter: both are searches for a local best,
    # and either may win a case; over many cases they must be as good.
    ratios = []
    for seed in range(8):
        points, _ = blobs(seed, sizes=(40, 35, 30, 25), spread=1.5)
        for k in (2, 3, 4, 5):
            reference = KMeans(n_clusters=k, n_init=10, random_state=0).fit(points).inertia_
            ratios.append(inertia(points, kmeans(points, k, seed=0)) / reference)
    assert max(ratios) <= 1.03
    assert np.mean(ratios) <= 1.005


def test_the_same_points_give_the_same_clusters():
    points, _ = blobs(3, spread=1.5)
    assert np.array_equal(kmeans(points, 4, seed=2), kmeans(points.copy(), 4, seed=2))


def test_labels_are_cluster_numbers_below_k():
    points, _ = blobs(1)
    labels = kmeans(points, 5, seed=0)
    assert labels.shape == (len(points),)
    assert set(labels.tolist()) == set(range(5))


def test_fewer_distinct_points_than_k_leaves_a_cluster_empty_without_failing():
    points = np.array([[0.0, 0.0]] * 6 + [[1.0, 1.0]] * 6)
    labels = kmeans(points, 3, seed=0)
    assert set(labels[:6].tolist()) != set(labels[6:].tolist())
    assert len(set(labels.tolist())) == 2  # groups.py rejects such a k (a group under min size)
