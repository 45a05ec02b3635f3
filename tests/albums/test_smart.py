"""Smart albums: a saved search, run for each viewer over what they see, frozen on demand."""

import pytest

from apps.albums import services
from apps.albums.models import Album, AlbumItem
from apps.core.errors import BadInput
from tests.factories import LibraryFactory
from tests.search.helpers import indexed

pytestmark = pytest.mark.django_db
BEACH = {"q": "beach", "search_type": "text"}


def test_a_saved_search_shows_new_matching_photos_without_editing(user, library):
    indexed(library=library, path="2024/Beach/IMG_1.jpg")
    indexed(library=library, path="2024/Town/IMG_2.jpg")
    smart = services.create_album(user, "Beaches", query=BEACH)
    assert smart.kind == Album.Kind.SMART and services.live_count(smart, user) == 1
    later = indexed(library=library, path="2025/Beach day/IMG_3.jpg")
    assert services.live_count(smart, user) == 2
    assert later.pk in {a.pk for a in services.smart.page(smart, user).items}


def test_each_viewer_gets_what_they_can_see(user, library, other_user):
    indexed(library=library, path="Beach/IMG_1.jpg")
    indexed(library=LibraryFactory(owner=other_user), path="Beach/IMG_2.jpg")
    smart = services.create_album(user, "Beaches", query=BEACH)
    services.add_member(user, smart, other_user.username)
    assert services.live_count(smart, user) == 1
    assert services.live_count(smart, other_user) == 1  # bob's own beach, not alice's


@pytest.mark.parametrize(
    "query, field",
    [
        ({"q": "x", "bogus": "1"}, "query"),
        ({"year": "12"}, "query.year"),
        ({"lat": "10"}, "query.params"),
        ({}, "query"),
    ],
)
def test_bad_search_parameters_are_named(user, query, field):
    with pytest.raises(BadInput) as bad:
        services.create_album(user, "Bad", query=query)
    assert field in bad.value.errors


def test_freezing_keeps_what_the_search_showed(user, library):
    first = indexed(library=library, path="Beach/IMG_1.jpg")
    smart = services.create_album(user, "Beaches", query=BEACH)
    frozen = services.freeze(user, smart)
    assert frozen.kind == Album.Kind.REGULAR and frozen.item_count == 1
    indexed(library=library, path="Beach/IMG_2.jpg")
    assert list(AlbumItem.objects.filter(album=frozen).values_list("asset_id", flat=True)) == [first.pk]


def test_the_album_filter_of_a_smart_query_narrows_it(user, album, photos):
    smart = services.create_album(user, "In summer", query={"album": str(album.pk)})
    assert services.live_count(smart, user) == 3


def test_album_names_join_the_search_documents_and_follow_renames(
    user, album, photos, django_capture_on_commit_callbacks
):
    from django.http import QueryDict

    from apps.search import services as search

    with django_capture_on_commit_callbacks(execute=True):
        services.update_album(user, album, title="Provence holiday")
    found = search.search(user, QueryDict("q=provence"))
    assert {a.pk for a in found} == {p.pk for p in photos[:3]}
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_items(user, album, [photos[0].pk])
    assert {a.pk for a in search.search(user, QueryDict("q=provence"))} == {p.pk for p in photos[1:3]}
