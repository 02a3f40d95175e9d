"""Opinion groups: where a room splits and where it agrees, from how people vote on statements.

Sectors are what people declare; opinion groups are found from the votes themselves (as
Pol.is does), so a facilitator can show the real fault lines and the statements every group
agrees with. The core is pure numpy / scikit-learn / scipy, with no database and no Flask,
so the live side, the exports and the tests share one computation:

- ``matrix``: the participants x statements vote matrix;
- ``groups``: PCA map and k-means groups with labels that stay stable between updates;
- ``statements``: each group's representative statements, consensus and divisive ones;
- ``priority``: which statement a phone is offered next;
- ``compute``: the one call that runs them all.

The method and its formulas: docs/opinion-groups.md.
"""

import os

# k-means (scikit-learn) asks joblib's loky how many physical cores there are, which it finds
# by running ``lscpu`` in a subprocess. Live, the computation runs in a thread of gevent's
# pool (live.py), where gevent cannot watch a child process: loky then prints a warning and a
# traceback on the server's first computation. Grouping runs OpenMP on one thread anyway
# (groups.one_thread), so a limit of one core costs nothing and spares the probe, which loky
# skips when the limit is below the CPUs it sees. On a one-CPU host the limit is not below
# it; there OMP_NUM_THREADS=1 (all such a host can use) makes scikit-learn not ask at all.
# Both are set before scikit-learn is imported (groups.py imports it), and neither overrides
# what the environment already says.
os.environ.setdefault("LOKY_MAX_CPU_COUNT", "1")
if (os.cpu_count() or 1) <= 1:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
