"""Saying who a face is: assign (one, many, to a new person), unassign; counts, covers and search follow."""

import pytest
from django_q.models import OrmQ

from apps.people import tasks
from apps.people.models import Face, FaceRejection, Person
from apps.people.services import refresh
from apps.search import services as search
from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory, PersonFactory

pytestmark = pytest.mark.django_db


def face_in(library, person=None, **fields):
    face = FaceFactory(asset=AssetFactory(library=library), person=person, **fields)
    if person is not None:
        Person.objects.filter(pk=person.pk).update(face_count=person.faces.count())
    return face


def searched(client, q):
    return {row["id"] for row in client.get("/api/search/", {"q": q}).json()["results"]}


def test_assigning_to_a_person_marks_it_the_users_and_recounts_both_people(user_client, library):
    ada, bea = PersonFactory(name="Ada"), PersonFactory(name="Bea")
    face = face_in(library, bea)
    face_in(library, bea)
    face_in(library, ada)
    FaceRejection.objects.create(face=face, person=ada)  # an older "not Ada", now overruled
    response = user_client.post(f"/api/faces/{face.pk}/assign", {"person": ada.pk}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["person"], response.json()["person_name"]) == (ada.pk, "Ada")
    face.refresh_from_db()
    assert (face.person_id, face.assigned_by) == (ada.pk, "user")
    assert Person.objects.get(pk=ada.pk).face_count == 2 and Person.objects.get(pk=bea.pk).face_count == 1
    assert not FaceRejection.objects.filter(face=face, person=ada).exists()


def test_assigning_to_a_new_name_creates_the_person_with_the_face_as_cover(user_client, library):
    face = face_in(library)
    body = user_client.post(f"/api/faces/{face.pk}/assign", {"name": "Cleo"}, format="json").json()
    cleo = Person.objects.get(name="Cleo")
    assert body["person"] == cleo.pk and cleo.cover_face_id == face.pk and cleo.face_count == 1


@pytest.mark.parametrize("body", [{}, {"person": 1, "name": "x"}, {"name": ""}])
def test_assign_needs_exactly_a_person_or_a_name(user_client, library, body):
    face = face_in(library)
    response = user_client.post(f"/api/faces/{face.pk}/assign", body, format="json")
    assert response.status_code == 400 and set(response.json()) & {"person", "name"}


def test_a_person_emptied_by_an_assignment_goes_away(user_client, library):
    lonely, ada = PersonFactory(name=""), PersonFactory(name="Ada")
    face = face_in(library, lonely)
    face_in(library, ada)
    user_client.post(f"/api/faces/{face.pk}/assign", {"person": ada.pk}, format="json")
    assert not Person.objects.filter(pk=lonely.pk).exists()


def test_unassign_remembers_not_this_person(user_client, library, user):
    ada = PersonFactory(name="Ada")
    face, other = face_in(library, ada), face_in(library, ada)
    Person.objects.filter(pk=ada.pk).update(cover_face=face)
    response = user_client.post(f"/api/faces/{face.pk}/unassign")
    assert response.status_code == 200 and response.json()["person"] is None
    rejection = FaceRejection.objects.get(face=face)
    assert (rejection.person_id, rejection.created_by_id) == (ada.pk, user.pk)
    ada.refresh_from_db()
    assert ada.face_count == 1 and ada.cover_face_id == other.pk  # the cover left with the face
    assert other.pk in set(ada.faces.values_list("pk", flat=True))


def test_batch_assign(user_client, library):
    faces = [face_in(library) for _ in range(3)]
    response = user_client.post(
        "/api/faces/assign", {"faces": [f.pk for f in faces], "name": "Dora"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["person"]["name"] == "Dora" and body["person"]["face_count"] == 3
    assert sorted(body["faces"]) == sorted(f.pk for f in faces)


def test_batch_assign_names_faces_it_cannot_find(user_client, library, other_user):
    mine = face_in(library)
    theirs = face_in(LibraryFactory(owner=other_user))
    response = user_client.post(
        "/api/faces/assign", {"faces": [mine.pk, theirs.pk], "name": "X"}, format="json"
    )
    assert response.status_code == 400 and str(theirs.pk) in response.json()["faces"][0]
    assert Face.objects.get(pk=mine.pk).person_id is None


def test_assignment_and_rename_reach_the_search_document(
    user_client, library, django_capture_on_commit_callbacks
):
    face = face_in(library)
    search.index_assets([face.asset])
    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(f"/api/faces/{face.pk}/assign", {"name": "Ferdinand"}, format="json")
    assert searched(user_client, "ferdinand") == {str(face.asset_id)}
    person = Face.objects.get(pk=face.pk).person
    with django_capture_on_commit_callbacks(execute=True):
        user_client.patch(f"/api/people/{person.pk}/", {"name": "Gustav"}, format="json")
    assert searched(user_client, "ferdinand") == set()
    assert searched(user_client, "gustav") == {str(face.asset_id)}


def test_many_touched_assets_are_reindexed_by_the_worker(
    user_client, library, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(refresh, "INLINE_REINDEX_LIMIT", 1)
    faces = [face_in(library) for _ in range(2)]
    search.index_assets([f.asset for f in faces])
    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(
            "/api/faces/assign", {"faces": [f.pk for f in faces], "name": "Hildegard"}, format="json"
        )
    assert searched(user_client, "hildegard") == set()  # not in the request...
    [queued] = OrmQ.objects.all()
    task = queued.task
    assert task["func"] == "apps.people.tasks.reindex_assets_task"
    tasks.reindex_assets_task(*task["args"])  # ...but once the worker runs the task
    assert searched(user_client, "hildegard") == {str(f.asset_id) for f in faces}
