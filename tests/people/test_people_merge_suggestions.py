"""Merge suggestions and smart merge over people's centroids."""

import numpy as np
import pytest

from apps.people.models import Person
from tests.factories import AssetFactory
from tests.people.factories import FaceFactory, PersonFactory

pytestmark = pytest.mark.django_db


def unit(vector):
    vector = np.asarray(vector, dtype=np.float32)
    return (vector / np.linalg.norm(vector)).tolist()


def direction(seed, jitter=0.0, base=None):
    rng = np.random.default_rng(seed)
    vector = np.asarray(base if base is not None else rng.normal(size=128), dtype=np.float32)
    return unit(vector + jitter * rng.normal(size=128))


def person_at(library, vector, faces=1, name=""):
    person = PersonFactory(name=name)
    for _ in range(faces):
        FaceFactory(asset=AssetFactory(library=library), person=person, embedding=vector)
    Person.objects.filter(pk=person.pk).update(face_count=faces, centroid=vector)
    person.refresh_from_db()
    return person


@pytest.fixture
def lookalikes(library):
    base = direction(1)
    return {
        "ada": person_at(library, base, faces=3, name="Ada"),
        "ada2": person_at(library, direction(2, 0.01, base), faces=1, name="Ada Lovelace"),
        "nameless": person_at(library, direction(3, 0.01, base), faces=2),
        "stranger": person_at(library, direction(4), faces=2),
    }


def test_suggestions_pair_close_people_closest_first(user_client, lookalikes):
    rows = user_client.get("/api/people/merge-suggestions", {"max_distance": 0.2}).json()
    pairs = [{row["person"]["id"], row["other"]["id"]} for row in rows]
    ids = {k: p.pk for k, p in lookalikes.items()}
    assert {ids["ada"], ids["nameless"]} in pairs and {ids["ada"], ids["ada2"]} in pairs
    assert all(ids["stranger"] not in pair for pair in pairs)
    assert [row["distance"] for row in rows] == sorted(row["distance"] for row in rows)
    assert user_client.get("/api/people/merge-suggestions", {"max_distance": 0.000001}).json() == []
    for bad in ("x", 0, 3):
        response = user_client.get("/api/people/merge-suggestions", {"max_distance": bad})
        assert response.status_code == 400 and "max_distance" in response.json()


def test_suggestions_leave_out_people_the_caller_cannot_see(client, other_user, lookalikes):
    client.force_login(other_user)
    assert client.get("/api/people/merge-suggestions", {"max_distance": 1.5}).json() == []


def test_smart_merge_merges_smaller_into_bigger_and_never_two_named_people(user_client, lookalikes):
    ada, ada2, nameless = lookalikes["ada"], lookalikes["ada2"], lookalikes["nameless"]
    response = user_client.post("/api/people/smart-merge", {"max_distance": 0.2}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert {(m["person"], m["into"]) for m in body["merged"]} == {(nameless.pk, ada.pk)}
    assert body["skipped_named"] >= 1  # Ada and Ada Lovelace: only a user says they are one
    remaining = dict(Person.objects.values_list("pk", "face_count"))
    assert remaining == {ada.pk: 5, ada2.pk: 1, lookalikes["stranger"].pk: 2}


def test_smart_merge_keeps_the_named_person_as_the_suggestions_page_does(user_client, library):
    # GIVEN a named person with one face and a nameless look-alike with three
    base = direction(5)
    named = person_at(library, base, faces=1, name="Ada")
    bigger = person_at(library, direction(6, 0.01, base), faces=3)
    # WHEN smart merge runs
    body = user_client.post("/api/people/smart-merge", {"max_distance": 0.2}, format="json").json()
    # THEN the named one stays (her page and id), with every face, as the page would have proposed
    assert [(m["person"], m["into"]) for m in body["merged"]] == [(bigger.pk, named.pk)]
    assert list(Person.objects.values_list("pk", "name", "face_count")) == [(named.pk, "Ada", 4)]
