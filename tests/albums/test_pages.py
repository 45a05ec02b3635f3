"""Album pages rendered for each kind of caller: the Albums grid, an album, its viewer and ZIP,
the share dialog's body, and the fragments photo pages load."""

import io
import zipfile

import pytest
from django.test import Client

from apps.albums import services
from apps.albums.models import Album
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_albums_page_shows_mine_and_those_shared_with_me(user, album, viewer, photos):
    services.create_album(user, "Empty one")
    page = text(logged_in(user).get("/albums/"))
    assert "Summer" in page and "3 items" in page and "1 Jun 2024 – 3 Jun 2024" in page
    assert f"/api/assets/{photos[0].pk}/thumbnail" in page  # the first item is the cover
    shared = text(logged_in(viewer).get("/albums/"))
    assert "Shared with me" in shared and "Summer" in shared and "alice" in shared
    by_title = text(logged_in(user).get("/albums/", {"sort": "title"}))
    assert by_title.index("Empty one") < by_title.index("Summer")


def test_creating_an_album_from_the_albums_page(user, library):
    response = logged_in(user).post("/albums/new", {"title": "Winter"})
    album = Album.objects.get(title="Winter")
    assert response.status_code == 302 and response["Location"] == f"/albums/{album.pk}/"
    assert logged_in(user).post("/albums/new", {"title": " "}).status_code == 400


def test_an_album_page_offers_what_each_caller_may_do(user, album, viewer, contributor, stranger, photos):
    owner = text(logged_in(user).get(f"/albums/{album.pk}/"))
    assert 'class="album-title-input"' in owner and "data-share>" in owner and "data-sortable" in owner
    assert owner.count("data-remove ") + owner.count("data-remove>") == 3 and "Download ZIP" in owner
    seen = text(logged_in(viewer).get(f"/albums/{album.pk}/"))
    assert "<h1>Summer</h1>" in seen and "data-leave" in seen and "data-share>" not in seen
    assert "data-remove " not in seen and "data-sortable" not in seen
    assert logged_in(stranger).get(f"/albums/{album.pk}/").status_code == 404
    assert Client().get(f"/albums/{album.pk}/").status_code == 302


def test_the_album_viewer_steps_through_the_album_order(user, album, photos):
    page = text(logged_in(user).get(f"/albums/{album.pk}/{photos[1].pk}/"))
    assert f"/albums/{album.pk}/{photos[0].pk}/" in page and f"/albums/{album.pk}/{photos[2].pk}/" in page
    assert logged_in(user).get(f"/albums/{album.pk}/{photos[4].pk}/").status_code == 404


def test_members_download_a_zip_only_where_the_album_allows(user, shared_album, real_photos):
    dora = UserFactory(username="dora")
    response = logged_in(dora).get(f"/albums/{shared_album.pk}/download.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == ["IMG_0.jpg", "IMG_1.jpg"]
    Album.objects.filter(pk=shared_album.pk).update(allow_download=False)
    assert logged_in(dora).get(f"/albums/{shared_album.pk}/download.zip").status_code == 403
    assert logged_in(user).get(f"/albums/{shared_album.pk}/download.zip").status_code == 200


def test_the_share_dialog_lists_members_and_links_for_the_owner_only(user, album, viewer):
    link = services.create_link(user, album=album, password="open-sesame")
    body = text(logged_in(user).get(f"/albums/{album.pk}/share"))
    assert "dora" in body and f"/s/{link.token}/" in body and "password" in body and "not opened yet" in body
    assert logged_in(viewer).get(f"/albums/{album.pk}/share").status_code == 403


def test_a_photo_page_lists_its_albums_and_offers_to_add_it(user, album, photos, viewer, other_user):
    fragment = text(logged_in(user).get(f"/photos/{photos[0].pk}/albums"))
    assert "Summer" in fragment and "data-add-to-album" in fragment
    seen = text(logged_in(viewer).get(f"/photos/{photos[0].pk}/albums"))
    assert "Summer" in seen and "data-add-to-album" not in seen  # seen through the album only
    assert logged_in(other_user).get(f"/photos/{photos[0].pk}/albums").status_code == 404
    assert f"/photos/{photos[0].pk}/albums" in text(logged_in(user).get(f"/photos/{photos[0].pk}/"))


def test_the_picker_lists_albums_one_may_add_to(user, album, viewer, contributor):
    services.create_album(user, "Smart", query={"kind": "photo"})
    assert "Summer" in text(logged_in(contributor).get("/albums/picker"))
    assert "Summer" not in text(logged_in(viewer).get("/albums/picker"))
    assert "Smart" not in text(logged_in(user).get("/albums/picker"))


def test_photos_and_person_pages_offer_add_to_album(user, photos):
    page = text(logged_in(user).get("/"))
    assert 'data-selection-event="add-to-album"' in page and "data-album-picker" in page


def test_a_smart_album_page_shows_its_live_search_and_freeze(user, photos):
    smart = services.create_album(user, "All photos", query={"kind": "photo"})
    page = text(logged_in(user).get(f"/albums/{smart.pk}/"))
    assert "5 items" in page and "data-freeze" in page and "kind = photo" in page
    assert f"/photos/{photos[0].pk}/" in page


def test_a_search_is_saved_as_a_smart_album_from_the_search_page(user, library):
    from tests.search.helpers import indexed

    indexed(library=library, path="Beach/IMG_1.jpg")
    client = logged_in(user)
    page = text(client.get("/search/", {"q": "beach", "search_type": "text"}))
    assert "Save as smart album" in page
    response = client.post("/albums/new-smart?q=beach&search_type=text&page_size=3", {"title": "Beaches"})
    album = Album.objects.get(title="Beaches")
    assert response.status_code == 302 and album.query == {"q": "beach", "search_type": "text"}
    assert "1 item" in text(client.get(f"/albums/{album.pk}/"))
