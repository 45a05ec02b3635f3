"""Acceptance: face clustering on the faces corpus with the shipped parameters (YuNet + SFace).

Every face the backend finds in the corpus is clustered (identity folders, _groups, _no_faces);
the largest face of each identity-folder image is scored against its folder (pairwise precision and
recall, BCubed F1); other faces take part unlabelled, so a stray detection can only hurt. Run with
-s to see the figures.
"""

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pytest

from apps.assets.derivatives import images
from apps.people import backends, clustering, services
from apps.people.clustering import ClusterParams
from apps.people.models import Face, Person
from apps.scanning.pipeline import run_stages
from tests.corpus import needs_corpus
from tests.factories import AssetFactory
from tests.people.corpus_faces import FACES, folder_images, needs_faces_corpus, needs_ml, preview_of

pytestmark = [*needs_corpus, needs_faces_corpus, needs_ml]

# Measured with the shipped parameters (hdbscan, max distance 0.5, 3 neighbours, 3 faces, pairs
# within 0.4): precision 1.000, recall 1.000, BCubed F1 1.000 (before pairs: recall 0.993, BCubed
# 0.991, the misses being folders of two photos, which could not make a person of three faces).
# The goal is precision >= 0.98 and recall > 0.9.
PRECISION_FLOOR, RECALL_FLOOR, BCUBED_FLOOR = 0.98, 0.99, 0.99
# Incremental: people from every other photo, then the rest assigned one by one (measured: 25 of
# 26 assigned, none wrongly, one of them into a pair it formed with an earlier photo; before pairs
# 24 of 26; the one left belongs to a person with fewer than min_neighbours faces).
INCREMENTAL_PRECISION_FLOOR, INCREMENTAL_ASSIGNED_FLOOR = 1.0, 0.8


@dataclass
class CorpusFace:
    folder: str
    image: str
    score: float
    box: tuple
    vector: np.ndarray
    labelled: bool  # the largest face of an identity-folder image

    @property
    def label(self):
        return self.folder if self.labelled else None


@pytest.fixture(scope="module")
def corpus_faces() -> list[CorpusFace]:
    """Detection once per module: it is the slow part (~10 s), clustering is not."""
    backend = backends.get_backend()
    found_faces = []
    for folder in sorted(p.name for p in FACES.iterdir() if p.is_dir()):
        for path in folder_images(folder):
            found = services.find_faces(np.asarray(preview_of(path)), backend)
            largest = max(range(len(found)), key=lambda i: found[i][0].box[2] * found[i][0].box[3], default=None)
            for i, (face, vector) in enumerate(found):
                labelled = not folder.startswith("_") and i == largest
                found_faces.append(CorpusFace(folder, path.name, face.score, face.box, vector, labelled))
    return found_faces


def store(faces: list[CorpusFace], library, batch="first") -> list[Face]:
    """One asset per image (path batch/folder/image), its faces as the faces stage would store them."""
    backend = backends.get_backend()
    assets = {}
    rows = []
    for face in faces:
        key = (face.folder, face.image)
        if key not in assets:
            assets[key] = AssetFactory(library=library, filename=face.image, path=f"{batch}/{face.folder}/{face.image}")
        x, y, w, h = face.box
        rows.append(
            Face(
                asset=assets[key], x=max(0, x), y=max(0, y), width=w, height=h, preview_width=1, preview_height=1,
                score=face.score, backend=backend.name, embedding=face.vector.tolist(),
            )
        )
    return Face.objects.bulk_create(rows)


def scores(truth: list[str], predicted: list) -> tuple[float, float, float]:
    """Pairwise precision and recall, and BCubed F1; an unassigned face is alone."""
    predicted = [p if p is not None else ("alone", n) for n, p in enumerate(predicted)]

    def pairs(counter):
        return sum(n * (n - 1) // 2 for n in counter.values())

    joint, by_predicted, by_truth = Counter(zip(truth, predicted)), Counter(predicted), Counter(truth)
    precision = pairs(joint) / max(1, pairs(by_predicted))
    recall = pairs(joint) / max(1, pairs(by_truth))
    bp = np.mean([joint[(t, p)] / by_predicted[p] for t, p in zip(truth, predicted)])
    br = np.mean([joint[(t, p)] / by_truth[t] for t, p in zip(truth, predicted)])
    return precision, recall, 2 * bp * br / (bp + br)


@pytest.mark.django_db
def test_recluster_with_the_shipped_parameters_meets_the_quality_goal(corpus_faces, library):
    params = ClusterParams.from_settings()
    rows = store(corpus_faces, library)

    summary = clustering.recluster(params)

    person = dict(Face.objects.values_list("pk", "person_id"))
    labelled = [(face.folder, person[row.pk]) for face, row in zip(corpus_faces, rows) if face.labelled]
    precision, recall, bcubed = scores([t for t, _ in labelled], [p for _, p in labelled])
    print(
        f"\ncorpus clustering ({params.algorithm}, max distance {params.max_distance}, min neighbours "
        f"{params.min_neighbours}, min cluster size {params.min_cluster_size}): {len(labelled)} labelled faces "
        f"of {len({t for t, _ in labelled})} people, {len(rows)} faces in all -> pairwise precision "
        f"{precision:.3f}, recall {recall:.3f}, BCubed F1 {bcubed:.3f}; {summary}"
    )
    assert len(labelled) >= 40
    assert precision >= PRECISION_FLOOR and recall >= RECALL_FLOOR and bcubed >= BCUBED_FLOOR


@pytest.mark.django_db
def test_new_faces_join_the_people_made_from_earlier_photos(corpus_faces, library):
    params = ClusterParams.from_settings()
    # The first, third, ... image of each identity folder (and all unlabelled faces) come first.
    seen, earlier, later = Counter(), [], []
    for face in corpus_faces:
        seen[face.label] += 1
        (later if face.labelled and seen[face.label] % 2 == 0 else earlier).append(face)
    store(earlier, library)
    clustering.recluster(params)
    # Who each person is: the identity folder most of their faces come from (_groups photos show
    # the same people unlabelled, so they do not count).
    people_of = Counter()
    for face in Face.objects.filter(person__isnull=False).select_related("asset"):
        folder = face.asset.path.split("/")[1]
        if not folder.startswith("_"):
            people_of[(face.person_id, folder)] += 1
    identity_of = {}
    for (person, folder), count in people_of.most_common():
        identity_of.setdefault(person, folder)

    new_rows = store(later, library, batch="later")
    assigned = sum(clustering.assign_new_faces([row], params) for row in new_rows)

    # People of two made as photos arrived (pairs.py) are who their faces' folders say.
    for face in Face.objects.filter(person__isnull=False).exclude(person__in=list(identity_of)).select_related("asset"):
        folder = face.asset.path.split("/")[1]
        if not folder.startswith("_") and identity_of.setdefault(face.person_id, folder) != folder:
            identity_of[face.person_id] = "(mixed)"
    outcome = [(face.folder, Face.objects.get(pk=row.pk).person_id) for face, row in zip(later, new_rows)]
    right = sum(1 for folder, person in outcome if person and identity_of.get(person) == folder)
    print(f"\nincremental on the corpus: {assigned} of {len(later)} new faces assigned, {right} to the right person")
    assert assigned == sum(1 for _, person in outcome if person)
    assert right >= INCREMENTAL_PRECISION_FLOOR * assigned
    assert assigned >= INCREMENTAL_ASSIGNED_FLOOR * len(later)


@pytest.mark.django_db
def test_the_faces_stage_assigns_a_new_photo_to_its_person(corpus_faces, library):
    folder = "deepface_id01"
    held_out = folder_images(folder)[-1]
    store([f for f in corpus_faces if not (f.folder == folder and f.image == held_out.name)], library)
    clustering.recluster(ClusterParams.from_settings())
    person = Counter(
        Face.objects.filter(asset__path__startswith=f"first/{folder}/", person__isnull=False).values_list("person_id", flat=True)
    ).most_common(1)[0][0]

    asset = AssetFactory(library=library, filename=held_out.name, path=f"new/{held_out.name}")
    images.write_image_derivatives(preview_of(held_out), asset.pk)
    report = run_stages([asset.pk], ["faces"])

    assert report.failed == 0
    largest = Face.objects.filter(asset=asset).order_by("-width").first()
    assert largest.person_id == person and largest.assigned_by == Face.AssignedBy.AUTO


def two_photos_each(corpus_faces: list[CorpusFace]) -> list[CorpusFace]:
    """The corpus as the hidden set's small identities look: the first two images of each identity
    folder (all their faces), plus every unlabelled face (_groups, _no_faces)."""
    firsts = {}
    for face in corpus_faces:
        if not face.folder.startswith("_"):
            firsts.setdefault(face.folder, [])
            if face.image not in firsts[face.folder] and len(firsts[face.folder]) < 2:
                firsts[face.folder].append(face.image)
    return [f for f in corpus_faces if f.folder.startswith("_") or f.image in firsts[f.folder]]


@pytest.mark.django_db
def test_identities_seen_in_two_photos_become_people_of_two(corpus_faces, library):
    faces = two_photos_each(corpus_faces)
    rows = store(faces, library)
    shipped = ClusterParams.from_settings()
    figures = {}
    # 0 is the rule before pairs (three faces or nobody); the shipped value last, as it stays.
    for pair_max_distance in sorted({0.0, 0.25, 0.3, 0.35, 0.4, 0.45}) + [shipped.pair_max_distance]:
        Face.objects.update(person=None)
        Person.objects.all().delete()
        clustering.recluster(ClusterParams.from_settings(pair_max_distance=pair_max_distance))
        person = dict(Face.objects.values_list("pk", "person_id"))
        labelled = [(face.folder, person[row.pk]) for face, row in zip(faces, rows) if face.labelled]
        figures[pair_max_distance] = scores([t for t, _ in labelled], [p for _, p in labelled])
    print(
        f"\ncorpus, two photos per identity ({len(labelled)} labelled faces of {len({t for t, _ in labelled})} "
        f"people, {len(rows)} faces in all), pairwise precision / recall / BCubed F1 by pair_max_distance: "
        + "; ".join(f"{d:g}: {p:.3f} / {r:.3f} / {b:.3f}" for d, (p, r, b) in figures.items())
    )
    precision, recall, _ = figures[shipped.pair_max_distance]
    assert figures[0.0][1] < 0.9  # the gap the pair rule closes: without it most pairs stay apart
    assert precision >= PRECISION_FLOOR and recall > 0.9
