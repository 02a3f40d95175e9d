"""Opinion groups benchmark: the time of one ``compute()`` (map, groups, statements).

    .venv/bin/python bench/opinion_groups.py                 # 100x30, 1,000x200, 5,000x200
    .venv/bin/python bench/opinion_groups.py --repeat 15     # more runs per size
    .venv/bin/python bench/opinion_groups.py --size 1000x200 # one size

For each size (participants x statements) it builds a room with planted opinion groups
(tests/opinion/rooms.py: 4 groups, a tenth of the statements agreed by all, 20 % of the
votes replaced at random, each person voting on a random 40-100 statements, or 30-80 % of
them when there are fewer than 100), then times ``facilitation.opinion.compute.compute``
``--repeat`` times in this process (the first call, which loads numpy's and scipy's code
paths, is run once beforehand and not counted). The live side recomputes with ``previous`` set,
so every timed call after the first passes the previous result, as it does.

Prints one line of key=value per size: ``median_ms`` and ``p95_ms`` (nearest rank) of the
runs, ``min_ms``, ``max_ms``, ``cpu_median_ms`` (the median of the process's CPU time
per run: close to the wall time on an idle machine, and less disturbed by other load),
and what was found: ``status``, ``k``, ``silhouette``,
``ari`` (adjusted Rand index against the planted groups), ``placed``, ``votes``.
What the figures mean and where they are recorded: bench/README.md, docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.metrics import adjusted_rand_score  # noqa: E402

from facilitation.opinion.compute import compute  # noqa: E402
from facilitation.opinion.groups import Settings  # noqa: E402
from tests.opinion.rooms import planted_room, random_preferences  # noqa: E402

SIZES = ("100x30", "1000x200", "5000x200")
GROUPS = 4


def room(participants: int, statements: int, seed: int):
    if statements >= 100:
        seen = (40, 100)
    else:
        seen = (int(statements * 0.3), int(statements * 0.8))
    per_group = [participants // GROUPS] * GROUPS
    per_group[0] += participants - sum(per_group)
    return planted_room(
        seed, random_preferences(seed, GROUPS, statements), size=per_group, seen=seen
    )


def nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def bench(size: str, repeat: int, seed: int) -> str:
    participants, statements = (int(n) for n in size.split("x"))
    planted = room(participants, statements, seed)
    settings = Settings(seed=seed)
    result = compute(planted.matrix, settings)  # warm-up, not timed
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = compute(planted.matrix, settings, previous=result.grouping)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    grouping = result.grouping
    ari = (
        adjusted_rand_score(planted.truth(grouping.placed), grouping.labels)
        if grouping.status == "formed"
        else float("nan")
    )
    return (
        f"size={size} median_ms={statistics.median(times):.1f} "
        f"p95_ms={nearest_rank(times, 0.95):.1f} min_ms={min(times):.1f} "
        f"max_ms={max(times):.1f} cpu_median_ms={statistics.median(cpu):.1f} runs={repeat} "
        f"status={grouping.status} k={grouping.k} "
        f"silhouette={grouping.silhouette or 0:.3f} ari={ari:.3f} "
        f"placed={len(grouping.placed)} votes={int(planted.matrix.seen.sum())}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per size (7)")
    parser.add_argument("--size", action="append", help="PARTICIPANTSxSTATEMENTS (repeatable)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for size in args.size or SIZES:
        print(bench(size, args.repeat, args.seed), flush=True)


if __name__ == "__main__":
    main()
