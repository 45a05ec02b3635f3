"""Face clustering: incremental assignment of new faces to people, full re-cluster, centroids and
merge suggestions. See full.py for what a re-cluster keeps, votes.py for the assignment rule.

Only the full re-cluster needs the optional ML stack (scikit-learn, and threadpoolctl that comes
with it); its modules import them where they run, so counts, centroids, merge suggestions and the
incremental assignment work in a base install, and `unavailable_reason()` says why a re-cluster
cannot run.
"""

import importlib.util

from .centroids import merge_suggestions, refresh_centroids, refresh_covers
from .full import recluster
from .incremental import assign_new_faces
from .params import ClusterParams

__all__ = [
    "ClusterParams",
    "assign_new_faces",
    "merge_suggestions",
    "recluster",
    "refresh_centroids",
    "refresh_covers",
    "unavailable_reason",
]

RECLUSTER_NEEDS = {"sklearn": "scikit-learn", "threadpoolctl": "threadpoolctl"}


def unavailable_reason() -> str | None:
    """None when a full re-cluster can run here; else a sentence for the API (503) and the CLI."""
    missing = [package for module, package in RECLUSTER_NEEDS.items() if _missing(module)]
    if missing:
        packages = ", ".join(missing)
        return f"face clustering needs missing Python packages: {packages} (pip install -r requirements/ml.txt)"
    return None


def _missing(module: str) -> bool:
    return importlib.util.find_spec(module) is None
