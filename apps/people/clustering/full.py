"""Full re-cluster: every auto face is grouped again, while what users decided stands.

Kept people: named, hidden, or touched by a user (a face assigned by hand, or a face rejected).
Their user-assigned faces never move; their auto faces stay while close to the person's centroid.
Everything else (auto faces of untouched unnamed people, unassigned faces) is free: clusters of free
faces that contain faces of one kept person join that person, other clusters become people (reusing
the id of the old person they overlap most, so an unchanged library writes nothing), and a face left
over joins a person when its neighbours vote for one (the incremental rule), and two faces still
left over that are each other's only very close neighbour make a person of two (pairs.py, also the
incremental rule). A face is never put into a person it was rejected from.
"""

import logging
import time
from collections import Counter, defaultdict

import numpy as np
from django.db import transaction
from django.db.models import Q

from ..models import Face, Person
from . import store
from .centroids import refresh_centroids, refresh_covers
from .labels import NOISE, cluster_labels, neighbour_graph
from .neighbours import nearest
from .pairs import lone_pairs
from .params import ClusterParams
from .votes import neighbours_to_ask, winner

logger = logging.getLogger(__name__)

STEPS = ("load", "neighbours", "cluster", "assign", "write")


def kept_people_ids() -> set[int]:
    touched = Q(name__gt="") | Q(hidden=True) | Q(faces__assigned_by=Face.AssignedBy.USER) | Q(rejections__isnull=False)
    return set(Person.objects.filter(touched).values_list("pk", flat=True).distinct())


def recluster(params: ClusterParams | None = None, on_progress=None) -> dict:
    """Re-cluster every face family; returns summary counts and seconds. `on_progress(step, done,
    total)` is called as each step of each family starts."""
    params = params or ClusterParams.from_settings()
    report = on_progress or (lambda *args: None)
    started = time.perf_counter()
    summary = Counter(people_created=0, faces_assigned=0, faces_unassigned=0, faces_changed=0, people_deleted=0)
    with transaction.atomic():
        store.lock_for_recluster()
        kept = kept_people_ids()
        rebuilt_before = set(Person.objects.exclude(pk__in=kept).values_list("pk", flat=True))
        rejections = store.all_rejections()
        families = store.families_present()
        touched: set[int] = set()
        for number, (column, backend) in enumerate(families):
            prefix = f"{backend} ({number + 1}/{len(families)}) " if len(families) > 1 else ""
            summary.update(_recluster_family(column, backend, kept, rejections, params, touched, report, prefix))
        # Faces the re-cluster skips (under min_score) leave the people it rebuilds.
        unsure = Face.objects.filter(person__in=rebuilt_before, score__lt=params.min_score).exclude(
            assigned_by=Face.AssignedBy.USER
        )
        touched.update(unsure.values_list("person_id", flat=True).distinct())
        unsure.update(person=None)
        emptied = Person.objects.filter(pk__in=rebuilt_before).exclude(
            pk__in=Face.objects.filter(person__isnull=False).values("person")
        )
        summary["people_deleted"] = emptied.count()
        emptied.delete()
        refresh_centroids(touched)
        refresh_covers(touched)
    summary["people_kept"] = len(kept)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    logger.info("re-cluster: %s", dict(summary))
    return dict(summary)


def _recluster_family(column, backend, kept, rejections, params, touched, report, prefix) -> Counter:
    report(f"{prefix}load", 1, len(STEPS))
    faces = store.load_family(column, backend, params.min_score)
    if len(faces) == 0:
        return Counter()
    anchored = _anchored(faces, kept, params.max_distance)

    report(f"{prefix}neighbours", 2, len(STEPS))
    index, distance = nearest(faces.vectors, neighbours_to_ask(params), params.max_distance)
    same_photo = (index >= 0) & (faces.assets[np.maximum(index, 0)] == faces.assets[:, None])
    index[same_photo], distance[same_photo] = -1, np.inf

    report(f"{prefix}cluster", 3, len(STEPS))
    labels = cluster_labels(faces.vectors, neighbour_graph(index, distance), params)

    report(f"{prefix}assign", 4, len(STEPS))
    rejected = defaultdict(set)
    face_row = {int(face_id): row for row, face_id in enumerate(faces.ids)}
    for face_id, person_id in rejections:
        if face_id in face_row:
            rejected[face_row[face_id]].add(person_id)
    new = np.where(anchored, faces.persons, store.NO_PERSON)
    new_clusters = _place_clusters(labels, anchored, faces.persons, new, rejected)
    _vote_leftovers(new, anchored, index, params, rejected)
    _pair_leftovers(new, new_clusters, labels == NOISE, index, distance, params.pair_distance)

    report(f"{prefix}write", 5, len(STEPS))
    created = _name_new_clusters(new, new_clusters, faces.persons, kept)
    changed = np.flatnonzero(new != faces.persons)
    # Each changed row is re-inserted into the HNSW index (person_id is indexed: no HOT update);
    # writing a person's faces together keeps those index searches on the same pages.
    changed = changed[np.argsort(new[changed], kind="stable")]
    store.set_persons_in_bulk(column, len(faces), faces.ids[changed], new[changed])
    touched.update(int(p) for p in np.unique(np.concatenate([faces.persons[changed], new[changed]])) if p > 0)
    return Counter(
        people_created=created,
        faces_assigned=int((new > 0).sum()),
        faces_unassigned=int((new == store.NO_PERSON).sum()),
        faces_changed=len(changed),
    )


def _anchored(faces, kept, max_distance) -> np.ndarray:
    """Faces that keep their person: user-assigned ones, and auto faces of kept people that lie
    within max_distance of that person's centroid."""
    anchored = faces.by_user & (faces.persons > 0)
    in_kept = (faces.persons > 0) & np.isin(faces.persons, list(kept))
    for person in np.unique(faces.persons[in_kept]):
        members = np.flatnonzero(faces.persons == person)
        centroid = faces.vectors[members].mean(axis=0)
        centroid /= max(np.linalg.norm(centroid), 1e-12)
        anchored[members[1 - faces.vectors[members] @ centroid <= max_distance]] = True
    return anchored


def _place_clusters(labels, anchored, persons, new, rejected) -> dict[int, np.ndarray]:
    """Free faces of a cluster holding one kept person's anchored faces join that person (those
    clusters holding several are left to the vote). Returns the rows of clusters with no anchored
    face: the new people."""
    new_clusters = {}
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    for label in np.unique(labels[labels != NOISE]):
        rows = order[np.searchsorted(sorted_labels, label) : np.searchsorted(sorted_labels, label, side="right")]
        owners = set(persons[rows][anchored[rows]].tolist())
        free = rows[~anchored[rows]]
        if not owners:
            new_clusters[int(label)] = rows
        elif len(owners) == 1:
            owner = owners.pop()
            for row in free:
                if owner not in rejected.get(row, ()):
                    new[row] = owner
    # New clusters get placeholder ids (negative) until their Person rows exist.
    for label, rows in new_clusters.items():
        new[rows] = -(label + 1)
    return new_clusters


def _vote_leftovers(new, anchored, index, params, rejected) -> None:
    """Free faces the clusters left out join a person (or a new cluster) their neighbours agree on.
    Votes read the assignment before this pass, so the result does not depend on face order."""
    before = new.copy()
    for row in np.flatnonzero((new == store.NO_PERSON) & ~anchored):
        neighbours = index[row][index[row] >= 0]
        person = winner(before[neighbours].tolist(), params.min_neighbours, rejected.get(row, ()))
        if person is not None:
            new[row] = person


def _pair_leftovers(new, new_clusters, noise, index, distance, pair_distance) -> None:
    """Two faces in no cluster and claimed by no vote, each the other's only very close neighbour,
    become a new cluster of two (placeholder labels after the clusters')."""
    label = max(new_clusters, default=-1) + 1
    for a, b in lone_pairs(index, distance, pair_distance):
        if noise[a] and noise[b] and new[a] == store.NO_PERSON and new[b] == store.NO_PERSON:
            new_clusters[label] = np.array([a, b])
            new[[a, b]] = -(label + 1)
            label += 1


def _name_new_clusters(new, new_clusters, persons, kept) -> int:
    """Replace placeholders by person ids: the old unkept person a cluster overlaps most keeps its
    id (largest overlaps first, each id once), the rest get new Person rows. Returns people created."""
    placeholder = new < 0
    pairs = Counter(zip((-new[placeholder] - 1).tolist(), persons[placeholder].tolist()))
    overlaps = [(count, label, person) for (label, person), count in pairs.items() if person > 0 and person not in kept]
    reused, taken = {}, set()
    for count, label, person in sorted(overlaps, key=lambda o: (-o[0], o[1], o[2])):
        if label not in reused and person not in taken:
            reused[label] = person
            taken.add(person)
    fresh = [label for label in new_clusters if label not in reused]
    for label, person in zip(fresh, store.create_people(len(fresh))):
        reused[label] = person
    if new_clusters:
        mapping = np.zeros(max(new_clusters) + 1, dtype=np.int64)
        mapping[list(reused)] = list(reused.values())
        new[placeholder] = mapping[-new[placeholder] - 1]
    return len(fresh)
