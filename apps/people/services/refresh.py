"""What must follow any change of who is in a photo: counts, centroids, covers, search documents.

Every write service ends here so the people grid, merge suggestions, clustering and search never
read a stale person.
"""

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from apps.assets.models import Asset
from apps.core.queue import enqueue
from apps.search.services import index_assets

from .. import clustering
from ..models import Face, Person

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
    clustering.refresh_centroids(ids)  # the counts too, in the same UPDATE
    Person.objects.filter(pk__in=ids, face_count=0).delete()
    Person.objects.filter(pk__in=ids, cover_face__isnull=False).exclude(cover_face__person=F("pk")).update(
        cover_face=None
    )
    clustering.refresh_covers(ids)


def refresh_face_counts(person_ids) -> None:
    """Counts only, one UPDATE for all the people touched (each a correlated subquery): what a
    detection needs per asset, where averaging every touched person's embeddings would cost more
    than the detection; centroids follow at the next merge, assignment or re-cluster."""
    counts = Face.objects.filter(person=OuterRef("pk")).order_by().values("person").annotate(n=Count("pk"))
    Person.objects.filter(pk__in=list(person_ids)).update(
        face_count=Coalesce(Subquery(counts.values("n")), 0)
    )


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
    for start in range(0, len(ids), REINDEX_CHUNK):
        chunk = ids[start : start + REINDEX_CHUNK]
        key = f"people-reindex-{chunk[0]}-{chunk[-1]}-{len(chunk)}"
        enqueue("apps.people.tasks.reindex_assets_task", chunk, key=key, group="faces")


def index_assets_by_id(ids) -> int:
    return index_assets(list(Asset.objects.filter(pk__in=list(ids))))


def asset_ids_of(faces) -> list:
    """Asset ids of a Face queryset (read before the faces move or vanish)."""
    return list(faces.order_by().values_list("asset_id", flat=True).distinct())


def assets_of_people(person_ids) -> list:
    return asset_ids_of(Face.objects.filter(person__in=list(person_ids)))
