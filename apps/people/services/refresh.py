"""What must follow any change of who is in a photo: counts, centroids, covers, search documents.

Every write service ends here so the people grid, merge suggestions, clustering and search never
read a stale person.
"""

from django.db import transaction
from django.db.models import F

from apps.assets.models import Asset

from ..models import Face, Person
from .detection import refresh_face_counts

# Up to this many assets are re-indexed in the request; more go to a django-q2 task so a merge of
# two big people answers at once.
INLINE_REINDEX_LIMIT = 200
REINDEX_CHUNK = 500


def refresh_people(person_ids) -> None:
    """Counts and centroids of these people; a cover that is no longer theirs is replaced by their
    best face; a person left without faces is deleted (people are seen through their faces: nobody
    could reach it)."""
    ids = sorted({pk for pk in person_ids if pk})
    if not ids:
        return
    # Clustering's UPDATE sets the counts with the centroids; a build without it counts only, and
    # the centroids wait for a re-cluster.
    (clustering_function("refresh_centroids") or refresh_face_counts)(ids)
    Person.objects.filter(pk__in=ids, face_count=0).delete()
    Person.objects.filter(pk__in=ids, cover_face__isnull=False).exclude(cover_face__person=F("pk")).update(
        cover_face=None
    )
    refresh_covers = clustering_function("refresh_covers")
    if refresh_covers is not None:
        refresh_covers(ids)


def clustering_function(name: str):
    """apps.people.clustering.<name>, or None while that module is not installed."""
    try:
        from apps.people import clustering
    except ImportError:
        return None
    return getattr(clustering, name, None)


def reindex_assets(asset_ids) -> None:
    """Rewrite the search documents of these assets (they hold people's names) once the change is
    committed: in the request for a few, through the worker for many."""
    ids = list(dict.fromkeys(str(pk) for pk in asset_ids))
    if not ids:
        return
    transaction.on_commit(lambda: _reindex_now_or_later(ids))


def _reindex_now_or_later(ids: list[str]) -> None:
    if len(ids) <= INLINE_REINDEX_LIMIT:
        index_assets_by_id(ids)
        return
    from apps.people import tasks

    for start in range(0, len(ids), REINDEX_CHUNK):
        tasks.enqueue_reindex(ids[start : start + REINDEX_CHUNK])


def index_assets_by_id(ids) -> int:
    from apps.search.services import index_assets

    return index_assets(list(Asset.objects.filter(pk__in=list(ids))))


def asset_ids_of(faces) -> list:
    """Asset ids of a Face queryset (read before the faces move or vanish)."""
    return list(faces.order_by().values_list("asset_id", flat=True).distinct())


def assets_of_people(person_ids) -> list:
    return asset_ids_of(Face.objects.filter(person__in=list(person_ids)))
