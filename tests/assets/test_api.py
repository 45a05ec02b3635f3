import pytest

from tests.factories import AssetFactory, LibraryFactory


@pytest.mark.django_db
def test_assets_list_only_what_the_user_may_see(user_client, user, other_user):
    mine = AssetFactory(library=LibraryFactory(owner=user))
    AssetFactory(library=LibraryFactory(owner=other_user))
    response = user_client.get("/api/assets/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(mine.id)]


@pytest.mark.django_db
def test_someone_elses_asset_is_404(user_client, other_user):
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    assert user_client.get(f"/api/assets/{theirs.id}/").status_code == 404


@pytest.mark.django_db
def test_assets_are_keyset_paginated_newest_first(user_client, user):
    library = LibraryFactory(owner=user)
    assets = AssetFactory.create_batch(5, library=library)
    first = user_client.get("/api/assets/", {"page_size": 2}).json()
    second = user_client.get(first["next"]).json()
    expected = [str(a.id) for a in sorted(assets, key=lambda a: (a.taken_at, a.id), reverse=True)]
    assert [r["id"] for r in first["results"] + second["results"]] == expected[:4]


@pytest.mark.django_db
def test_trashed_assets_are_not_listed(user_client, user):
    from django.utils import timezone

    AssetFactory(library=LibraryFactory(owner=user), deleted_at=timezone.now())
    assert user_client.get("/api/assets/").json()["results"] == []
