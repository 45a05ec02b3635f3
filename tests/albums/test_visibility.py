"""An album shared with you widens what you see, for viewing only; faces and names stay the owner's."""

import pytest
from django.utils import timezone

from apps.albums import services
from apps.albums.models import Album
from apps.assets.models import Asset
from apps.core.querysets import Action
from apps.people.models import Face, Person
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.people.factories import FaceFactory, PersonFactory

pytestmark = pytest.mark.django_db


def listed(client, **params):
    response = client.get("/api/assets/", params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def dora(shared_album):
    return UserFactory(username="dora")


def test_a_member_sees_the_albums_photos_and_nothing_else_of_the_owner(dora, real_photos):
    client = client_for(dora)
    assert listed(client) == {str(p.pk) for p in real_photos[:2]}
    assert client.get(f"/api/assets/{real_photos[0].pk}/").status_code == 200
    assert client.get(f"/api/assets/{real_photos[2].pk}/").status_code == 404
    for kind in ("thumbnail", "preview"):
        response = client.get(f"/api/assets/{real_photos[0].pk}/{kind}")
        assert response.status_code == 200, (kind, response.content[:200])
        assert client.get(f"/api/assets/{real_photos[2].pk}/{kind}").status_code == 404


def test_a_member_never_changes_or_deletes_what_they_only_see_through_an_album(dora, real_photos):
    client = client_for(dora)
    photo = real_photos[0]
    assert client.delete(f"/api/assets/{photo.pk}/").status_code == 403
    assert client.post(f"/api/assets/{photo.pk}/rotate/", {"degrees": 90}, format="json").status_code == 403
    [item] = client.post("/api/assets/bulk-delete/", {"ids": [str(photo.pk)]}, format="json").json()
    assert item["status"] == 403
    assert Asset.objects.filter(pk=photo.pk, user_rotation=0).exists()
    assert not Asset.objects.visible_to(dora, Action.CHANGE).filter(pk=photo.pk).exists()


def test_originals_only_where_the_album_allows_downloads(dora, shared_album, real_photos):
    client = client_for(dora)
    url = f"/api/assets/{real_photos[0].pk}/original"
    assert client.get(url).status_code == 200
    Album.objects.filter(pk=shared_album.pk).update(allow_download=False)
    assert client.get(url).status_code == 403
    assert client.get(f"/api/assets/{real_photos[0].pk}/preview").status_code == 200


def test_the_owner_downloads_whatever_the_album_says(user_client, shared_album, real_photos):
    Album.objects.filter(pk=shared_album.pk).update(allow_download=False)
    assert user_client.get(f"/api/assets/{real_photos[0].pk}/original").status_code == 200


def test_a_viewer_sees_no_faces_or_names_of_people_they_cannot_otherwise_see(dora, user, real_photos):
    anna = PersonFactory(name="Anna")
    FaceFactory(asset=real_photos[0], person=anna)
    client = client_for(dora)
    assert client.get(f"/api/assets/{real_photos[0].pk}/faces/").json() == []
    assert not Person.objects.visible_to(dora).exists() and not Face.objects.visible_to(dora).exists()
    people = client.get("/api/people/").json()
    assert "Anna" not in str(people)
    assert Person.objects.visible_to(user).filter(pk=anna.pk).exists()


def test_leaving_or_being_removed_takes_the_photos_away(dora, user, shared_album, real_photos):
    services.remove_member(user, shared_album, dora.pk)
    assert listed(client_for(dora)) == set()


def test_a_trashed_photo_leaves_the_members_view_and_comes_back(dora, real_photos):
    Asset.objects.filter(pk=real_photos[0].pk).update(deleted_at=timezone.now())
    assert listed(client_for(dora)) == {str(real_photos[1].pk)}
    Asset.objects.filter(pk=real_photos[0].pk).update(deleted_at=None)
    assert len(listed(client_for(dora))) == 2


def test_the_album_filter_shows_an_album_only_to_those_who_see_it(
    user_client, dora, other_client, shared_album, real_photos
):
    expected = {str(p.pk) for p in real_photos[:2]}
    assert listed(user_client, album=shared_album.pk) == expected
    assert listed(client_for(dora), album=shared_album.pk) == expected
    assert listed(other_client, album=shared_album.pk) == set()


def test_a_member_of_another_album_sees_only_that_album(user, shared_album, real_photos):
    other = services.create_album(user, "Other")
    services.add_items(user, other, [real_photos[2].pk])
    frank = UserFactory(username="frank")
    services.add_member(user, other, frank.username)
    assert listed(client_for(frank)) == {str(real_photos[2].pk)}
