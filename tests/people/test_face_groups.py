"""Look-alike groups of unassigned faces (GET /api/faces/groups, the Unassigned page) and naming a
group in one action (POST /api/faces/assign): only the caller's own faces, no chains, all or nothing."""

import numpy as np
import pytest

from apps.people.models import Face, Person
from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory, PersonFactory, random_identity, vector_at

pytestmark = pytest.mark.django_db

rng = np.random.default_rng(11)


def face(library, vector, **fields):
    return FaceFactory(asset=AssetFactory(library=library), embedding=vector.tolist(), **fields)


@pytest.fixture
def faces(library, other_library):
    """Alice: three look-alikes of Ann, two of Ben, one stranger, one face of Ann already in a
    person, one more Ann face in a photo that already shows one; Bob: an Ann look-alike of his own."""
    ann, ben = random_identity(rng), random_identity(rng)
    anns = [face(library, vector_at(rng, ann, 0.2)) for _ in range(3)]
    bens = [face(library, vector_at(rng, ben, 0.2)) for _ in range(2)]
    stranger = face(library, random_identity(rng))
    named = face(library, vector_at(rng, ann, 0.2), person=PersonFactory(name="Ann"))
    twin = FaceFactory(asset=anns[0].asset, embedding=vector_at(rng, ann, 0.2).tolist(), x=300)
    bobs = face(other_library, vector_at(rng, ann, 0.2))
    return {"anns": anns, "bens": bens, "stranger": stranger, "named": named, "twin": twin, "bobs": bobs}


@pytest.fixture
def other_library(other_user):
    return LibraryFactory(owner=other_user)


def group_ids(response):
    assert response.status_code == 200, response.content
    return [{row["id"] for row in group["faces"]} for group in response.json()]


def test_groups_hold_my_unassigned_look_alikes_biggest_first(user_client, other_client, faces):
    groups = group_ids(user_client.get("/api/faces/groups"))
    anns = {f.pk for f in faces["anns"]}
    # One face per photo: Ann's twin in the first photo sits in no group with that photo's face.
    assert len(groups[0]) == 3 and (groups[0] == anns or faces["twin"].pk in groups[0])
    assert groups[1] == {f.pk for f in faces["bens"]} and len(groups) == 2
    every = set().union(*groups)
    assert not every & {faces["stranger"].pk, faces["named"].pk, faces["bobs"].pk}
    assert group_ids(other_client.get("/api/faces/groups")) == []  # Bob's one face is no group


def test_a_chain_of_look_alikes_is_not_one_group(user_client, library):
    # a - b - c each 0.4 apart along a line, a and c 0.8 apart: never all three in one group.
    a = random_identity(rng)
    b = vector_at(rng, a, 0.4)
    c = 2 * (a @ b) * b - a  # a reflected through b: (b, c) at 0.4 too
    c /= np.linalg.norm(c)
    assert 1 - a @ c > 0.5
    rows = [face(library, v) for v in (a, b, c)]
    groups = group_ids(user_client.get("/api/faces/groups"))
    assert len(groups) == 1 and len(groups[0]) == 2 and rows[1].pk in groups[0]


def test_naming_a_group_assigns_all_its_faces_or_none(user_client, faces):
    group = sorted(next(g for g in group_ids(user_client.get("/api/faces/groups")) if len(g) == 2))
    with_bobs = user_client.post("/api/faces/assign", {"faces": group + [faces["bobs"].pk], "name": "Ben"}, format="json")
    assert with_bobs.status_code == 400 and "faces" in with_bobs.json()
    assert not Person.objects.filter(name="Ben").exists()
    assert Face.objects.filter(pk__in=group, person__isnull=True).count() == 2
    assert Face.objects.get(pk=faces["bobs"].pk).person is None

    named = user_client.post("/api/faces/assign", {"faces": group, "name": "Ben"}, format="json")
    assert named.status_code == 200, named.content
    ben = Person.objects.get(name="Ben")
    assert set(ben.faces.values_list("pk", flat=True)) == set(group) and ben.face_count == 2
    assert all(group != g for g in group_ids(user_client.get("/api/faces/groups")))


def test_the_unassigned_page_shows_the_groups_to_select(client, user, faces):
    client.force_login(user)
    response = client.get("/people/unassigned/")
    assert [len(g) for g in response.context["groups"]] == [3, 2]
    page = response.content.decode()
    assert page.count("data-face-group") == 2 and "Select these 3 faces" in page
    assert f'data-face="{faces["bobs"].pk}"' not in page
