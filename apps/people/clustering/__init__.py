"""Face clustering: incremental assignment of new faces to people, full re-cluster, centroids and
merge suggestions. See full.py for what a re-cluster keeps, votes.py for the assignment rule."""

from .centroids import merge_suggestions, refresh_centroids, refresh_covers
from .full import recluster
from .incremental import assign_new_faces
from .params import ClusterParams

__all__ = ["ClusterParams", "assign_new_faces", "merge_suggestions", "recluster", "refresh_centroids", "refresh_covers"]
