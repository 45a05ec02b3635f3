"""`?person=` on the asset list: the Photos grid, a person's photos and search all filter with it."""

import pytest

from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_assets_filter_by_person_once_each(user_client, user):
    library = LibraryFactory(owner=user)
    ada, bob = PersonFactory(name="Ada"), PersonFactory(name="Bob")
    group_photo, solo, other = (AssetFactory(library=library) for _ in range(3))
    FaceFactory(asset=group_photo, person=ada)
    FaceFactory(asset=group_photo, person=ada, x=120)  # twice in one photo: still one row
    FaceFactory(asset=group_photo, person=bob, x=160)
    FaceFactory(asset=solo, person=ada)
    FaceFactory(asset=other, person=bob)
    rows = user_client.get("/api/assets/", {"person": ada.pk}).json()["results"]
    assert sorted(r["id"] for r in rows) == sorted([str(group_photo.pk), str(solo.pk)])
    assert user_client.get("/api/assets/", {"person": "x"}).status_code == 400


def test_person_filter_never_shows_other_users_photos(user_client, user):
    ada = PersonFactory(name="Ada")
    FaceFactory(asset=AssetFactory(library=LibraryFactory()), person=ada)
    assert user_client.get("/api/assets/", {"person": ada.pk}).json()["results"] == []
