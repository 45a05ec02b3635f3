from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from apps.assets.models import Asset, AssetMetadata
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_assets_list_only_what_the_user_may_see(user_client, user, other_user):
    mine = AssetFactory(library=LibraryFactory(owner=user))
    AssetFactory(library=LibraryFactory(owner=other_user))
    response = user_client.get("/api/assets/")
    assert response.status_code == 200
    assert ids(response) == [str(mine.id)]


def test_someone_elses_asset_is_404(user_client, other_user):
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    assert user_client.get(f"/api/assets/{theirs.id}/").status_code == 404
    assert user_client.delete(f"/api/assets/{theirs.id}/").status_code == 404


def test_list_filters_do_not_apply_to_the_asset_a_url_names(user_client, user):
    photo = AssetFactory(library=LibraryFactory(owner=user), kind="photo")
    assert user_client.get("/api/assets/?kind=video").json()["results"] == []
    response = user_client.get(f"/api/assets/{photo.id}/?kind=video")
    assert response.status_code == 200
    assert response.json()["id"] == str(photo.id)


def test_stable_field_names(user_client, user):
    asset = AssetFactory(library=LibraryFactory(owner=user), content_hash="ab" * 32, last_error="")
    row = user_client.get("/api/assets/").json()["results"][0]
    for name in ("id", "library", "path", "filename", "kind", "mime", "size", "mtime", "hash", "width", "height",
                 "duration", "taken_at", "camera_make", "camera_model", "lens", "f_number", "exposure_time", "iso",
                 "focal_length", "latitude", "longitude", "orientation", "status", "error"):
        assert name in row, name
    assert row["hash"] == asset.content_hash


def test_detail_has_the_raw_tag_dump(user_client, user):
    asset = AssetFactory(library=LibraryFactory(owner=user))
    AssetMetadata.objects.create(asset=asset, tags={"EXIF:Make": "Canon"})
    assert user_client.get(f"/api/assets/{asset.id}/").json()["tags"] == {"EXIF:Make": "Canon"}


def test_keyset_pages_walk_every_row_once_in_each_ordering(user_client, user):
    library = LibraryFactory(owner=user)
    now = timezone.now()
    # Equal sort keys on purpose: the id breaks ties so no row is skipped or repeated.
    assets = [AssetFactory(library=library, taken_at=now - timedelta(hours=i // 2), size=i % 3,
                           filename=f"f{i % 4}.jpg", mtime=now) for i in range(11)]
    for ordering in ("-taken_at", "taken_at", "size", "-size", "filename", "-mtime"):
        seen, url = [], f"/api/assets/?ordering={ordering}&page_size=3"
        while url:
            page = user_client.get(url).json()
            seen += [row["id"] for row in page["results"]]
            url = page["next"]
        assert sorted(seen) == sorted(str(a.id) for a in assets), ordering
        field = ordering.lstrip("-")
        values = [getattr(Asset.objects.get(pk=i), field) for i in seen]
        assert values == sorted(values, reverse=ordering.startswith("-")), ordering


@pytest.mark.parametrize("query,field", [("ordering=colour", "ordering"), ("cursor=garbage", "cursor"),
                                          ("page_size=0", "page_size"), ("page_size=x", "page_size")])
def test_bad_paging_parameters_are_400_naming_the_parameter(user_client, user, query, field):
    response = user_client.get(f"/api/assets/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_filters(user_client, user):
    library = LibraryFactory(owner=user)
    jan = datetime(2024, 1, 10, tzinfo=UTC)
    beach = AssetFactory(library=library, path="2024/Beach/a.jpg", camera_make="Canon", latitude=1.0,
                         longitude=2.0, taken_at=jan)
    video = AssetFactory(library=library, path="2023/b.mp4", kind=Asset.Kind.VIDEO, lens="50mm")
    broken = AssetFactory(library=library, path="2024/c.jpg", status=Asset.Status.ERROR)
    gone = AssetFactory(library=library, path="2024/Beachy/d.jpg", status=Asset.Status.MISSING)
    cases = {
        "kind=video": [video], "folder=2024/Beach": [beach], "folder=/2024/Beach/": [beach],
        "camera_make=Canon": [beach], "lens=50mm": [video], "has_gps=true": [beach],
        "errors=true": [broken], "missing=true": [gone],
        "taken_after=2024-01-01T00:00:00Z&taken_before=2024-02-01T00:00:00Z": [beach],
        f"library={library.id}&kind=photo&errors=false&missing=false": [beach],
    }
    for query, expected in cases.items():
        assert sorted(ids(user_client.get(f"/api/assets/?{query}"))) == sorted(str(a.id) for a in expected), query


def test_library_filter_does_not_reveal_other_libraries(user_client, other_user):
    theirs = LibraryFactory(owner=other_user)
    AssetFactory(library=theirs)
    response = user_client.get(f"/api/assets/?library={theirs.id}")
    assert response.status_code == 200 and ids(response) == []
    assert user_client.get("/api/assets/?library=999999").status_code == 200


def test_trashed_assets_are_not_listed(user_client, user):
    AssetFactory(library=LibraryFactory(owner=user), deleted_at=timezone.now())
    assert user_client.get("/api/assets/").json()["results"] == []


def test_list_query_count_does_not_grow_with_rows(user_client, user, django_assert_max_num_queries):
    AssetFactory.create_batch(30, library=LibraryFactory(owner=user))
    with django_assert_max_num_queries(4):
        assert len(user_client.get("/api/assets/").json()["results"]) == 30
