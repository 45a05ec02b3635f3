"""The Django admin curates people through the same services as the API."""

import pytest

from apps.people.models import Face, Person
from tests.factories import AssetFactory
from tests.people.factories import FaceFactory, PersonFactory

pytestmark = pytest.mark.django_db


def person(name, faces):
    p = PersonFactory(name=name, face_count=faces)
    for _ in range(faces):
        FaceFactory(asset=AssetFactory(), person=p)
    return p


def test_merge_action_keeps_the_biggest_and_recounts(client, superuser):
    big, small = person("Ada", 3), person("", 1)
    client.force_login(superuser)
    response = client.post(
        "/admin/people/person/", {"action": "merge_into_biggest", "_selected_action": [big.pk, small.pk]}
    )
    assert response.status_code == 302
    assert list(Person.objects.values_list("pk", "face_count")) == [(big.pk, 4)]


def test_deleting_a_person_in_the_admin_keeps_the_faces(client, superuser):
    ada = person("Ada", 2)
    client.force_login(superuser)
    response = client.post(f"/admin/people/person/{ada.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Person.objects.exists() and Face.objects.filter(person__isnull=True).count() == 2
