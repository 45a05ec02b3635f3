"""Face clustering on synthetic embeddings through the real database: incremental assignment,
full re-cluster, what users decided surviving it, centroids and merge suggestions."""

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.people import clustering
from apps.people.clustering import ClusterParams, store
from apps.people.models import Face, FaceRejection, Person
from tests.factories import AssetFactory
from tests.people.factories import FaceFactory, PersonFactory

DIM = 128
PARAMS = dict(max_distance=0.5, min_neighbours=3, min_cluster_size=3, min_score=0.6)


def unit(v):
    v = np.asarray(v, dtype=np.float32)
    return v / np.linalg.norm(v)


class Identities:
    """Random identity centres (nearly orthogonal in 128-d) and faces scattered around them, at
    distances like SFace's same-person pairs (cosine distance ~0.1-0.3)."""

    def __init__(self, count, seed=0):
        self.rng = np.random.default_rng(seed)
        self.centres = [unit(self.rng.standard_normal(DIM)) for _ in range(count)]

    def vector(self, identity, noise=0.35):
        return unit(self.centres[identity] + noise * self.rng.standard_normal(DIM) / np.sqrt(DIM))

    def stranger(self):
        return unit(self.rng.standard_normal(DIM))


@pytest.fixture
def ids():
    return Identities(4)


@pytest.fixture
def add_face(library):
    """A face in a photo of its own (faces of one photo are never one person), unassigned."""

    def add(vector, **fields):
        return FaceFactory(asset=AssetFactory(library=library), embedding=vector.tolist(), **fields)

    return add


def persons_of(faces):
    return [Face.objects.get(pk=f.pk).person_id for f in faces]


# -- parameters ---------------------------------------------------------------------------------


def test_params_come_from_settings_and_take_overrides(settings):
    settings.MEDIAHUB_FACE_MAX_DISTANCE = 0.42
    params = ClusterParams.from_settings(min_neighbours="2", algorithm="DBSCAN", min_cluster_size=None)
    assert params.max_distance == 0.42 and params.min_neighbours == 2 and params.algorithm == "dbscan"
    assert params.min_cluster_size == settings.MEDIAHUB_FACE_MIN_CLUSTER_SIZE
    assert params.min_score == settings.MEDIAHUB_FACE_MIN_SCORE


@pytest.mark.parametrize(
    "override, named",
    [
        ({"max_distance": 0}, "max_distance"),
        ({"max_distance": "far"}, "max_distance"),
        ({"max_distance": float("nan")}, "max_distance"),
        ({"min_neighbours": 0}, "min_neighbours"),
        ({"min_neighbours": 2.5}, "min_neighbours"),
        ({"min_cluster_size": 1}, "min_cluster_size"),
        ({"algorithm": "kmeans"}, "algorithm"),
        ({"min_score": 1.5}, "min_score"),
        ({"pair_max_distance": -0.1}, "pair_max_distance"),
        ({"radius": 0.3}, "radius"),
    ],
)
def test_a_bad_parameter_is_refused_with_its_name(override, named):
    with pytest.raises(ValueError, match=named):
        ClusterParams.from_settings(**override)


# -- full re-cluster ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("algorithm", ["hdbscan", "dbscan"])
def test_recluster_makes_one_person_per_identity_and_leaves_strangers_alone(ids, add_face, algorithm):
    groups = [[add_face(ids.vector(i)) for _ in range(6)] for i in range(3)]
    strangers = [add_face(ids.stranger()) for _ in range(3)]
    unsure = add_face(ids.vector(0), score=0.3)  # under min_score: not clustered

    summary = clustering.recluster(ClusterParams(algorithm=algorithm, **PARAMS))

    people = [set(persons_of(group)) for group in groups]
    assert all(len(p) == 1 and None not in p for p in people)
    assert len(set.union(*people)) == 3
    assert persons_of(strangers + [unsure]) == [None] * 4
    assert summary["people_created"] == 3 and summary["faces_assigned"] == 18
    assert summary["faces_unassigned"] == 3 and summary["seconds"] >= 0
    person = Person.objects.get(pk=people[0].pop())
    assert person.face_count == 6 and person.cover_face.person_id == person.pk
    centroid = np.asarray(person.centroid)
    assert abs(np.linalg.norm(centroid) - 1) < 1e-4 and float(centroid @ ids.centres[0]) > 0.9


@pytest.mark.django_db
def test_a_second_recluster_changes_nothing_and_keeps_person_ids(ids, add_face):
    faces = [add_face(ids.vector(i)) for i in range(2) for _ in range(5)]
    clustering.recluster(ClusterParams(**PARAMS))
    before = persons_of(faces)
    summary = clustering.recluster(ClusterParams(**PARAMS))
    assert persons_of(faces) == before
    assert summary["faces_changed"] == 0 and summary["people_created"] == 0 and summary["people_deleted"] == 0


@pytest.mark.django_db
def test_a_recluster_changing_most_faces_rebuilds_the_hnsw_index_as_it_was(ids, add_face, monkeypatch):
    monkeypatch.setattr(store, "REBUILD_INDEX_MIN_ROWS", 1)
    indexes = store._hnsw_indexes_on("embedding")
    faces = [add_face(ids.vector(i)) for i in range(2) for _ in range(5)]

    clustering.recluster(ClusterParams(**PARAMS))

    assert len(set(persons_of(faces))) == 2 and None not in persons_of(faces)
    assert indexes and store._hnsw_indexes_on("embedding") == indexes


@pytest.mark.django_db
def test_recluster_keeps_user_assignments_and_named_and_hidden_people(ids, add_face):
    alice, hidden = PersonFactory(name="Alice"), PersonFactory(name="", hidden=True)
    alice_faces = [add_face(ids.vector(0), person=alice) for _ in range(4)]
    # A user put a face that looks like nobody into Alice: it stays, whatever clustering thinks.
    by_hand = add_face(ids.stranger(), person=alice, assigned_by=Face.AssignedBy.USER)
    hidden_faces = [add_face(ids.vector(1), person=hidden) for _ in range(4)]
    # An auto face clustering put into Alice that is far from her: released.
    stray = add_face(ids.vector(3), person=alice)
    new_alice = [add_face(ids.vector(0)) for _ in range(5)]  # arrived since: close to Alice
    auto_person = PersonFactory(name="")
    rebuilt = [add_face(ids.vector(2), person=auto_person) for _ in range(5)]

    summary = clustering.recluster(ClusterParams(**PARAMS))

    assert persons_of(alice_faces + [by_hand] + new_alice) == [alice.pk] * 10
    assert Face.objects.get(pk=by_hand.pk).assigned_by == Face.AssignedBy.USER
    assert persons_of(hidden_faces) == [hidden.pk] * 4
    assert persons_of([stray]) == [None]
    assert Person.objects.get(pk=alice.pk).name == "Alice" and Person.objects.get(pk=hidden.pk).hidden
    # The unnamed automatic person is rebuilt from the same faces: same id, nothing deleted.
    assert set(persons_of(rebuilt)) == {auto_person.pk} and summary["people_deleted"] == 0
    assert Person.objects.get(pk=alice.pk).face_count == 10


@pytest.mark.django_db
def test_faces_between_two_kept_people_of_one_cluster_go_by_their_neighbours(ids, add_face):
    # A user split one person in two (say, as a child and as an adult): clustering sees one cluster.
    adult, child = PersonFactory(name="Ann"), PersonFactory(name="Ann as a child")
    kept = [add_face(ids.vector(0), person=p, assigned_by=Face.AssignedBy.USER) for p in (adult, child) for _ in range(4)]
    arrivals = [add_face(ids.vector(0)) for _ in range(4)]

    summary = clustering.recluster(ClusterParams(**PARAMS))

    assert persons_of(kept) == [adult.pk] * 4 + [child.pk] * 4
    assert set(persons_of(arrivals)) <= {adult.pk, child.pk, None}  # never a third person
    assert summary["people_created"] == 0


@pytest.mark.django_db
def test_recluster_never_puts_a_rejected_face_back(ids, add_face):
    person = PersonFactory(name="")
    faces = [add_face(ids.vector(0), person=person) for _ in range(6)]
    rejected = add_face(ids.vector(0))  # looks like them, but a user said "not this person"
    FaceRejection.objects.create(face=rejected, person=person)

    clustering.recluster(ClusterParams(**PARAMS))

    assert persons_of(faces) == [person.pk] * 6
    assert persons_of([rejected]) == [None]


@pytest.mark.django_db
def test_recluster_keeps_embedding_families_apart(ids, add_face, library):
    """insightface's 512-d faces cluster among themselves, with a 512-d centroid."""
    sface = [add_face(ids.vector(0)) for _ in range(4)]
    rng = np.random.default_rng(1)
    centre = unit(rng.standard_normal(512))
    arcface = [
        FaceFactory(
            asset=AssetFactory(library=library), backend="insightface",
            embedding_512=unit(centre + 0.35 * rng.standard_normal(512) / np.sqrt(512)).tolist(),
        )
        for _ in range(4)
    ]

    clustering.recluster(ClusterParams(**PARAMS))

    (first,), (second,) = set(persons_of(sface)), set(persons_of(arcface))
    assert first and second and first != second
    person = Person.objects.get(pk=second)
    assert person.centroid is None and float(np.asarray(person.centroid_512) @ centre) > 0.9


@pytest.mark.django_db
def test_recluster_deletes_automatic_people_whose_faces_scattered(ids, add_face):
    mixed = PersonFactory(name="")
    faces = [add_face(ids.vector(i % 2), person=mixed) for i in range(10)]
    lonely = PersonFactory(name="")
    add_face(ids.stranger(), person=lonely)

    summary = clustering.recluster(ClusterParams(**PARAMS))

    assert len(set(persons_of(faces))) == 2  # the mixed person split in two ...
    assert not Person.objects.filter(pk=lonely.pk).exists()  # ... and a one-face person went
    assert summary["people_deleted"] == 1 and summary["people_created"] == 1


@pytest.mark.django_db
def test_the_command_prints_the_summary_and_refuses_bad_parameters(ids, add_face, capsys):
    for i in range(2):
        for _ in range(4):
            add_face(ids.vector(i))
    call_command("recluster_faces", "--algorithm", "dbscan", "--max-distance", "0.45")
    out = capsys.readouterr().out
    assert "2 people created" in out and "8 faces assigned" in out
    with pytest.raises(CommandError, match="min_cluster_size"):
        call_command("recluster_faces", "--min-cluster-size", "1")


# -- incremental assignment ---------------------------------------------------------------------


@pytest.fixture
def two_people(ids, add_face):
    """Bob (identity 1) with five faces and Carol (identity 2) with two, assigned earlier."""
    bob, carol = PersonFactory(name="Bob"), PersonFactory(name="")
    for _ in range(5):
        add_face(ids.vector(1), person=bob)
    for _ in range(2):
        add_face(ids.vector(2), person=carol)
    clustering.refresh_centroids([bob.pk, carol.pk])
    return bob, carol


@pytest.mark.django_db
def test_a_new_face_joins_the_person_its_neighbours_agree_on(ids, add_face, two_people):
    bob, carol = two_people
    like_bob, like_carol, like_nobody = add_face(ids.vector(1)), add_face(ids.vector(2)), add_face(ids.stranger())

    assigned = clustering.assign_new_faces([like_bob, like_carol, like_nobody], ClusterParams(**PARAMS))

    assert assigned == 1
    # Carol has only two faces: fewer than min_neighbours agree, so the face waits for a re-cluster.
    assert persons_of([like_bob, like_carol, like_nobody]) == [bob.pk, None, None]
    assert Face.objects.get(pk=like_bob.pk).assigned_by == Face.AssignedBy.AUTO
    bob.refresh_from_db()
    assert bob.face_count == 6 and float(np.asarray(bob.centroid) @ ids.centres[1]) > 0.9


@pytest.mark.django_db
def test_incremental_assignment_respects_rejections_and_leaves_assigned_faces(ids, add_face, two_people):
    bob, carol = two_people
    rejected = add_face(ids.vector(1))
    FaceRejection.objects.create(face=rejected, person=bob)
    already = add_face(ids.vector(1), person=carol, assigned_by=Face.AssignedBy.USER)

    assert clustering.assign_new_faces([rejected, already], ClusterParams(**PARAMS)) == 0
    assert persons_of([rejected, already]) == [None, carol.pk]


@pytest.mark.django_db
def test_incremental_assignment_searches_through_the_hnsw_indexes(ids, add_face, two_people):
    face = add_face(ids.vector(1))
    with CaptureQueriesContext(connection) as queries:
        clustering.assign_new_faces([face], ClusterParams(**PARAMS))
    search = next(q["sql"] for q in queries.captured_queries if "LATERAL" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: make the planner show it can
        cursor.execute(f"EXPLAIN {search}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "face_embedding_hnsw" in plan and "face_embedding_512_hnsw" in plan, plan


@pytest.mark.django_db
def test_incremental_assignment_compares_only_faces_of_the_same_backend(ids, add_face, two_people):
    other_model = add_face(ids.vector(1), backend="insightface-like")
    assert clustering.assign_new_faces([other_model], ClusterParams(**PARAMS)) == 0
    assert persons_of([other_model]) == [None]


# -- centroids and merge suggestions ------------------------------------------------------------


@pytest.mark.django_db
def test_merge_suggestions_pair_people_with_close_centroids_closest_first(ids, add_face):
    a1, a2, b = PersonFactory(), PersonFactory(), PersonFactory()
    for person, identity in ((a1, 0), (a2, 0), (b, 1)):
        for _ in range(3):
            add_face(ids.vector(identity, noise=0.2), person=person)
    empty = PersonFactory()
    clustering.refresh_centroids([a1.pk, a2.pk, b.pk, empty.pk])

    pairs = clustering.merge_suggestions(Person.objects.all(), max_distance=0.35)

    assert [(x.pk, y.pk) for x, y, _ in pairs] == [(a1.pk, a2.pk)]
    assert 0 <= pairs[0][2] < 0.35
    assert clustering.merge_suggestions(Person.objects.exclude(pk=a2.pk), max_distance=0.35) == []
    empty.refresh_from_db()
    assert empty.centroid is None and empty.face_count == 0
