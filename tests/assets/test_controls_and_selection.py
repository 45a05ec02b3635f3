"""The detail view's controls, rejected photos on the Photos page, and the selection's ZIP download."""

import html
import io
import re
import zipfile
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from apps.assets import grid_pages
from apps.assets.models import AssetUserState
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


def api_ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_rejected_photos_are_hidden_from_the_photos_page_unless_asked_for(user, client, user_client, library):
    kept, rejected = AssetFactory(library=library), AssetFactory(library=library)
    AssetUserState.objects.create(user=user, asset=rejected, rejected=True)
    client.force_login(user)

    page = client.get("/").content.decode()
    assert str(kept.pk) in page and str(rejected.pk) not in page
    shown = client.get("/", {"show_rejected": "1"}).content.decode()
    assert str(rejected.pk) in shown and "Hide rejected" in shown

    # The API keeps its default (everything) and offers the filter.
    assert api_ids(user_client.get("/api/assets/")) == {str(kept.pk), str(rejected.pk)}
    assert api_ids(user_client.get("/api/assets/", {"rejected": "false"})) == {str(kept.pk)}
    assert api_ids(user_client.get("/api/assets/", {"rejected": "true"})) == {str(rejected.pk)}


def links(page, pattern):
    return [html.unescape(href) for href in re.findall(rf'href="(/\?[^"]*{pattern}[^"]*)"', page)]


def test_show_rejected_carries_through_month_jumps_and_the_next_pages(user, client, library, monkeypatch):
    monkeypatch.setattr(grid_pages, "PAGE_SIZE", 1)
    may, april = (datetime(2024, month, 10, tzinfo=UTC) for month in (5, 4))
    newest = AssetFactory(library=library, taken_at=may)
    older, rejected = (AssetFactory(library=library, taken_at=april.replace(hour=h)) for h in (12, 10))
    AssetUserState.objects.create(user=user, asset=rejected, rejected=True)
    client.force_login(user)

    page = client.get("/", {"show_rejected": "1"}).content.decode()
    [april_jump] = links(page, "taken_before=2024-05")
    assert "show_rejected=1" in april_jump
    jumped = client.get(april_jump)
    assert str(older.pk) in jumped.content.decode() and str(newest.pk) not in jumped.content.decode()
    assert "show_rejected=1" in jumped.context["next_url"]
    next_page = client.get("/" + jumped.context["next_url"], HTTP_HX_REQUEST="true").content.decode()
    assert str(rejected.pk) in next_page
    newest_link = re.search(r'href="([^"]*)">Newest<', jumped.content.decode())[1]
    assert newest_link == "/?show_rejected=1"
    # The scrubber's jumps (timeline.js adds `at=` to the page URL) and their next pages too.
    page_url = html.unescape(re.search(r'data-page-url="([^"]*)"', page)[1])
    assert page_url == "/?show_rejected=1"
    scrubbed = client.get(f"{page_url}&at=2024-05-01T00:00:00%2B00:00", HTTP_HX_REQUEST="true")
    assert str(older.pk) in scrubbed.content.decode() and "show_rejected=1" in scrubbed.context["next_url"]

    # Hidden (the default): the same jump and its next page leave the rejected photo out.
    page = client.get("/").content.decode()
    [april_jump] = links(page, "taken_before=2024-05")
    assert "show_rejected" not in april_jump
    jumped = client.get(april_jump)
    assert str(older.pk) in jumped.content.decode() and jumped.context["next_url"] is None
    show = re.search(r'href="([^"]*)" data-rejected-toggle>Show rejected', jumped.content.decode())
    assert html.unescape(show[1]) == f"{april_jump}&show_rejected=1"


def test_someone_elses_rejection_hides_nothing(user, other_user, client, library):
    photo = AssetFactory(library=library)
    AssetUserState.objects.create(user=other_user, asset=photo, rejected=True)
    client.force_login(user)
    assert str(photo.pk) in client.get("/").content.decode()


def test_the_owner_gets_every_control_with_their_own_state(user, client, library):
    photo = AssetFactory(library=library)
    AssetUserState.objects.create(user=user, asset=photo, favorite=True, rating=3)
    client.force_login(user)

    page = client.get(f"/photos/{photo.pk}/").content.decode()

    assert 'data-control="favorite" aria-pressed="true"' in page
    assert page.count('data-control="rate" data-rating="') == 5
    assert 'data-rating="3" aria-pressed="true"' in page and 'data-rating="4" aria-pressed="false"' in page
    for control in ("reject", "rotate", "refresh", "delete"):
        assert f'data-control="{control}"' in page, control
    assert 'data-control="restore"' not in page


def test_a_viewer_of_a_shared_library_may_flag_but_not_rotate_refresh_or_delete(user, other_user, client, library):
    library.shared_with.add(other_user)
    photo = AssetFactory(library=library)
    client.force_login(other_user)
    page = client.get(f"/photos/{photo.pk}/").content.decode()
    assert 'data-control="favorite"' in page
    for control in ("rotate", "refresh", "delete"):
        assert f'data-control="{control}"' not in page, control


def test_a_trashed_photo_opens_with_restore_for_its_owner_only(user, other_user, client, library, settings):
    settings.MEDIAHUB_TRASH_DAYS = 30
    library.shared_with.add(other_user)
    photo = AssetFactory(library=library, deleted_at=timezone.now())
    client.force_login(user)

    page = client.get(f"/photos/{photo.pk}/").content.decode()

    assert 'data-control="restore"' in page and 'data-control="delete-for-good"' in page
    assert "30 days left" in page
    assert 'data-control="favorite"' not in page
    client.force_login(other_user)
    assert client.get(f"/photos/{photo.pk}/").status_code == 404


def test_the_selection_downloads_as_one_zip_of_what_the_user_may_download(user, other_user, client, library, library_root):
    (library_root / "a.jpg").write_bytes(b"first")
    (library_root / "sub").mkdir()
    (library_root / "sub" / "a.jpg").write_bytes(b"second")
    first = AssetFactory(library=library, path="a.jpg")
    second = AssetFactory(library=library, path="sub/a.jpg")
    missing = AssetFactory(library=library, path="gone.jpg")
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    client.force_login(user)

    response = client.post("/photos/download", {"ids": [str(first.pk), str(second.pk), str(missing.pk), str(theirs.pk)]})

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    contents = {name: archive.read(name) for name in archive.namelist()}
    assert {contents["a.jpg"], contents["a (2).jpg"]} == {b"first", b"second"}
    assert "gone.jpg" in contents["LEFT OUT.txt"].decode()
    assert len(contents) == 3  # someone else's photo is not there at all


def test_a_selection_of_nothing_downloadable_is_not_found(user, other_user, client):
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    client.force_login(user)
    assert client.post("/photos/download", {"ids": [str(theirs.pk)]}).status_code == 404
    assert client.post("/photos/download", {"ids": ["nope"]}).status_code == 400
