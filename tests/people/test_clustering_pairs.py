"""People of two faces (apps/people/clustering/pairs.py): two faces much closer than max_distance
make a person, in a full re-cluster and as photos arrive, and never chain or merge people."""

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.people import clustering
from apps.people.clustering import ClusterParams
from apps.people.clustering.pairs import lone_pairs
from apps.people.models import Face, Person
from tests.factories import AssetFactory
from tests.people.factories import FaceFactory, PersonFactory, random_identity, vector_at

# The shipped values (settings), spelled out: pairs within 0.4, everyone else within 0.5.
PARAMS = ClusterParams(max_distance=0.5, min_neighbours=3, min_cluster_size=3, min_score=0.6, pair_max_distance=0.4)
CLOSE, NORMAL = 0.2, 0.45  # cosine distances: a typical same-person pair; within max_distance only

rng = np.random.default_rng(7)


def at(base, distance):
    return vector_at(rng, base, distance)


def someone():
    return random_identity(rng)


@pytest.fixture
def add_face(library):
    """A face in a photo of its own, unassigned unless `person` is given."""

    def add(vector, **fields):
        return FaceFactory(asset=AssetFactory(library=library), embedding=vector.tolist(), **fields)

    return add


def person_of(face):
    return Face.objects.get(pk=face.pk).person_id


def test_lone_pairs_are_mutual_and_alone_within_the_pair_distance():
    # rows: 0-1 a lone pair; 2-3-4 a chain (3 has two close neighbours); 5 close to 6, 6 closer to 7
    index = np.array([[1, -1], [0, -1], [3, -1], [2, 4], [3, -1], [6, -1], [7, 5], [6, -1]])
    distance = np.array([[.1, np.inf], [.1, np.inf], [.2, np.inf], [.2, .3], [.3, np.inf],
                         [.3, np.inf], [.1, .3], [.1, np.inf]])
    assert lone_pairs(index, distance, 0.35) == [(0, 1)]
    assert lone_pairs(index, distance, 0.0) == []
    # A per-request max_distance under the pair distance caps it: pairs are never looser than clusters.
    assert ClusterParams.from_settings(max_distance=0.3, pair_max_distance=0.4).pair_distance == 0.3


@pytest.mark.django_db
def test_a_recluster_makes_a_person_of_two_close_faces_but_not_of_two_at_normal_distance(add_face):
    close = [add_face(v) for v in (someone(),) for v in (v, at(v, CLOSE))]
    normal = [add_face(v) for v in (someone(),) for v in (v, at(v, NORMAL))]

    summary = clustering.recluster(PARAMS)

    pair = {person_of(face) for face in close}
    assert len(pair) == 1 and None not in pair and summary["people_created"] == 1
    person = Person.objects.get(pk=pair.pop())
    assert person.face_count == 2 and person.cover_face_id in {f.pk for f in close} and person.centroid is not None
    assert [person_of(face) for face in normal] == [None, None]
    # pair_max_distance 0 is the old rule: three faces or nobody.
    Face.objects.update(person=None)
    Person.objects.all().delete()
    clustering.recluster(ClusterParams.from_settings(**{**PARAMS.as_dict(), "pair_max_distance": 0}))
    assert {person_of(face) for face in close} == {None}


@pytest.mark.django_db
def test_a_pair_forms_as_its_second_photo_arrives_and_a_recluster_keeps_it(add_face):
    centre = someone()
    first = add_face(centre)
    assert clustering.assign_new_faces([first], PARAMS) == 0 and person_of(first) is None

    second = add_face(at(centre, CLOSE))
    assert clustering.assign_new_faces([second], PARAMS) == 1  # the earlier face joins too

    person = Person.objects.get(pk=person_of(first))
    assert person_of(second) == person.pk and person.face_count == 2
    assert person.cover_face_id in {first.pk, second.pk} and Face.objects.get(pk=second.pk).assigned_by == "auto"
    assert float(np.asarray(person.centroid) @ centre) > 0.9
    # A third photo at normal distance joins nobody (two faces cannot outvote min_neighbours)...
    third = add_face(at(centre, NORMAL))
    assert clustering.assign_new_faces([third], PARAMS) == 0 and person_of(third) is None
    # ...and a re-cluster finds the same pair: same id, nothing written.
    third.delete()
    summary = clustering.recluster(PARAMS)
    assert summary["faces_changed"] == 0 and person_of(first) == person_of(second) == person.pk


@pytest.mark.django_db
def test_two_faces_at_normal_distance_stay_unassigned_as_they_arrive(add_face):
    centre = someone()
    first = add_face(centre)
    second = add_face(at(centre, NORMAL))
    assert clustering.assign_new_faces([first, second], PARAMS) == 0
    assert [person_of(first), person_of(second)] == [None, None] and not Person.objects.exists()


@pytest.mark.django_db
def test_a_pair_never_takes_a_face_from_a_person_nor_bridges_two_people(add_face):
    # Bob and Carol, named look-alikes: two faces each at normal distance, Carol's first face 0.6
    # from Bob's. `lone` is very close to Bob's second face only (each other's only close face);
    # `bridge` is very close to Bob's first face and Carol's first face at once.
    b1 = someone()
    b2, c1 = at(b1, NORMAL), at(b1, 0.6)
    c2 = at(c1, NORMAL)
    bob, carol = PersonFactory(name="Bob"), PersonFactory(name="Carol")
    people = [add_face(b1, person=bob), add_face(b2, person=bob), add_face(c1, person=carol), add_face(c2, person=carol)]
    clustering.refresh_centroids([bob.pk, carol.pk])
    lone = add_face(at(b2, 0.15))
    middle = (b1 + c1) / np.linalg.norm(b1 + c1)
    bridge = add_face(middle)

    assert clustering.assign_new_faces([lone, bridge], PARAMS) == 0
    clustering.recluster(PARAMS)

    assert [person_of(face) for face in people] == [bob.pk, bob.pk, carol.pk, carol.pk]
    assert [person_of(lone), person_of(bridge)] == [None, None]
    assert set(Person.objects.values_list("pk", flat=True)) == {bob.pk, carol.pk}


@pytest.mark.django_db
def test_the_pair_query_searches_through_the_hnsw_indexes(add_face):
    centre = someone()
    add_face(centre)
    face = add_face(at(centre, NORMAL))
    with CaptureQueriesContext(connection) as queries:
        clustering.assign_new_faces([face], PARAMS)
    search = next(q["sql"] for q in queries.captured_queries if "LIMIT 2" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: make the planner show it can
        cursor.execute(f"EXPLAIN {search}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert plan.count("face_embedding_hnsw") >= 2 and plan.count("face_embedding_512_hnsw") >= 2, plan


@pytest.mark.django_db
def test_a_new_face_close_to_one_of_two_close_faces_waits_for_the_recluster(add_face):
    # Two unassigned faces close together, then a third close to the first only: no lone pair
    # (the first has two close faces), so no person of two; the re-cluster makes one of three.
    first = someone()
    faces = [add_face(first), add_face(at(first, 0.3))]
    newcomer = add_face(at(first, CLOSE))
    assert clustering.assign_new_faces([newcomer], PARAMS) == 0 and not Person.objects.exists()

    clustering.recluster(PARAMS)
    people = {person_of(face) for face in faces + [newcomer]}
    assert len(people) == 1 and None not in people
