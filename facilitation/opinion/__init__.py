"""Opinion groups: where a room splits and where it agrees, from how people vote on statements.

Sectors are what people declare; opinion groups are found from the votes themselves (as
Pol.is does), so a facilitator can show the real fault lines and the statements every group
agrees with. The core is pure numpy / scipy, with no database and no Flask,
so the live side, the exports and the tests share one computation:

- ``matrix``: the participants x statements vote matrix;
- ``groups``: PCA map and k-means groups with labels that stay stable between updates;
- ``kmeans``: the k-means and silhouette it uses, on the map's 2-D points;
- ``statements``: each group's representative statements, consensus and divisive ones;
- ``priority``: which statement a phone is offered next;
- ``compute``: the one call that runs them all.

The method and its formulas: docs/opinion-groups.md.
"""

