"""Albums in real Chromium: create, add from the Photos selection, reorder by dragging, download and
delete a selection, share with a user who then sees it (and may not delete), a public link opened
logged out, and revoking it; on a phone too."""

import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from apps.albums import services
from apps.albums.models import AlbumItem, AlbumMember, ShareLink
from apps.assets.models import Asset
from tests.albums.conftest import gps_jpeg
from tests.assets.media_samples import asset_for, library_at
from tests.factories import PASSWORD, UserFactory
from tests.ui.grids import settled
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
ALL_LOADED = """(selector) => {
  const images = [...document.querySelectorAll(selector)];
  return images.length > 0 && images.every((img) => img.complete && img.naturalWidth > 0);
}"""


@pytest.fixture
def photos(tmp_path, user):
    """Four real JPEGs, newest first in the grid: IMG_0 ... IMG_3."""
    library = library_at(tmp_path, user)
    start = datetime(2024, 7, 14, 18, 0, tzinfo=UTC)
    assets = []
    for n in range(4):
        gps_jpeg(tmp_path / f"IMG_{n}.jpg", colour=(50 * n, 120, 200))
        assets.append(
            asset_for(library, f"IMG_{n}.jpg", taken_at=start - timedelta(hours=n), width=320, height=240)
        )
    return assets


def drag_to_front(page, source, target):
    """Press on `source`, move in steps onto `target` as a hand does (SortableJS follows pointer
    moves), and release once Sortable has put it first."""
    moved = source.get_attribute("data-asset")
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + 8, end["y"] + end["height"] / 2, steps=12)
    page.wait_for_function("id => document.querySelector('.album-tile').dataset.asset === id", arg=moved)
    page.mouse.up()


def order(album):
    return [i.asset_id for i in services.items_page(album).items]


def test_create_an_album_then_add_photos_from_the_selection(page, live_server, user, photos):
    log_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/albums/")
    page.fill("input[name=title]", "Holiday")
    page.click("text=Create album")
    page.wait_for_selector("input.album-title-input")
    album = user.albums.get(title="Holiday")
    assert page.url == f"{live_server.url}/albums/{album.pk}/"

    page.goto(f"{live_server.url}/")
    settled(page)
    tiles = page.locator(".tile[data-asset]")
    tiles.nth(0).click(modifiers=["Control"])
    tiles.nth(2).click(modifiers=["Control"])
    page.click("[data-selection-event=add-to-album]")
    page.wait_for_selector("[data-album-picker] [data-pick]")
    page.click(f"[data-album-picker] [data-pick='{album.pk}']")
    page.wait_for_selector("[data-picker-status]:has-text('Added 2 to Holiday')")
    assert set(order(album)) == {photos[0].pk, photos[2].pk}

    # A new album straight from the dialog.
    page.fill("[data-new-album] input[name=title]", "Best of")
    page.click("text=Create and add")
    page.wait_for_selector("[data-picker-status]:has-text('Added 2 to Best of')")
    assert len(order(user.albums.get(title="Best of"))) == 2


def test_drag_a_photo_to_a_new_place_and_set_the_cover(page, live_server, user, photos):
    album = services.create_album(user, "Order")
    services.add_items(user, album, [p.pk for p in photos])
    log_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/albums/{album.pk}/")
    tiles = page.locator(".album-tile")
    drag_to_front(page, tiles.nth(3), tiles.nth(0))
    page.wait_for_selector("[data-status]:has-text('Order saved')")
    assert order(album) == [photos[3].pk, photos[0].pk, photos[1].pk, photos[2].pk]
    page.reload()
    assert page.locator(".album-tile").first.get_attribute("data-asset") == str(photos[3].pk)

    page.locator(".album-tile").nth(2).hover()
    page.locator(".album-tile").nth(2).locator("[data-cover]").click()
    page.wait_for_selector("[data-status]:has-text('Cover set')")
    album.refresh_from_db()
    assert album.cover_id == photos[1].pk
    page.fill("input.album-title-input", "Order, renamed")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-status]:has-text('Saved')")
    album.refresh_from_db()
    assert album.title == "Order, renamed"

    # The selection bar of the other grids: a ZIP of the picked photos, then to the trash.
    settled(page)
    tiles = page.locator(".album-tile")
    tiles.nth(0).click(modifiers=["Control"])
    tiles.nth(1).locator(".tick").click()
    assert page.url == f"{live_server.url}/albums/{album.pk}/", "picking must not open a photo"
    assert page.locator(".album-tile.selected").count() == 2
    with page.expect_download() as download:
        page.click("[data-selection-bar] [data-action=download]")
    with zipfile.ZipFile(download.value.path()) as zipped:
        assert sorted(zipped.namelist()) == ["IMG_0.jpg", "IMG_3.jpg"]
    page.click("[data-selection-bar] [data-action=delete]")
    page.wait_for_selector("[data-selection-bar] [data-status]:has-text('Moved 2 to the trash')")
    assert page.locator(".album-tile").count() == 2 and page.locator(".album-tile.selected").count() == 0
    trashed = Asset.objects.filter(deleted_at__isnull=False).values_list("pk", flat=True)
    assert set(trashed) == {photos[3].pk, photos[0].pk}
    page.locator(".album-tile").first.click(modifiers=["Control"])
    page.click("[data-selection-bar] [data-selection-event=remove-from-album]")
    page.wait_for_selector("[data-selection-bar] [data-status]:has-text('Removed 1 from the album')")
    assert order(album) == [photos[2].pk] and page.locator(".album-tile").count() == 1
    assert Asset.objects.filter(pk=photos[1].pk, deleted_at__isnull=True).exists(), "the photo stays"


def test_share_with_a_user_who_then_sees_the_album(browser, page, live_server, user, photos):
    UserFactory(username="bob")
    album = services.create_album(user, "Family")
    services.add_items(user, album, [photos[0].pk, photos[1].pk])
    log_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/albums/{album.pk}/")
    page.click("[data-share]")
    page.fill("[data-add-member] input[name=user]", "bob")
    page.click("[data-add-member] button")
    page.wait_for_selector("[data-members] [data-member]:has-text('bob')")
    assert AlbumMember.objects.filter(album=album, user__username="bob", role="viewer").exists()

    bob = browser.new_context().new_page()
    log_in(bob, live_server, "bob", PASSWORD)
    bob.goto(f"{live_server.url}/albums/")
    shared = bob.locator("[data-albums=shared] .album-card")
    assert shared.count() == 1 and "Family" in shared.inner_text()
    shared.click()
    bob.wait_for_selector(".album-tile img")
    assert bob.locator(".album-tile").count() == 2
    bob.wait_for_function(ALL_LOADED, arg=".album-tile img")
    assert bob.locator("[data-remove]").count() == 0 and bob.locator("[data-share]").count() == 0
    # Bob may pick Alice's photos but not delete them: each one answers with the reason.
    settled(bob)
    bob.locator(".album-tile").first.click(modifiers=["Control"])
    bob.click("[data-selection-bar] [data-action=delete]")
    bob.wait_for_selector("[data-selection-bar] [data-status].error:has-text('Moved 0 to the trash; 1 not:')")
    assert bob.locator(".album-tile.selected").count() == 1
    assert bob.locator("[data-selection-event=remove-from-album]").count() == 0
    assert not Asset.objects.filter(deleted_at__isnull=False).exists()
    bob.context.close()


def test_a_public_link_opened_logged_out_then_revoked(browser, page, live_server, user, photos):
    album = services.create_album(user, "Trip")
    services.add_items(user, album, [photos[0].pk, photos[1].pk])
    log_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/albums/{album.pk}/")
    page.click("[data-share]")
    page.uncheck("[data-add-link] input[name=show_metadata]")
    page.click("[data-add-link] button")
    page.wait_for_selector("[data-links] [data-link] .link-url")
    url = page.input_value("[data-links] .link-url")
    assert ShareLink.objects.get(album=album).show_metadata is False

    visitor = browser.new_context(viewport=PHONE).new_page()
    visitor.goto(url)
    assert visitor.locator("h1").inner_text() == "Trip"
    visitor.wait_for_function(ALL_LOADED, arg=".tile img")
    assert visitor.locator(".tile img").count() == 2
    assert visitor.locator("nav#main-nav").count() == 0, "a visitor sees nothing else of the instance"
    visitor.locator(".tile").first.click()
    visitor.wait_for_selector("img.preview")
    assert "Canon" not in visitor.content()
    assert visitor.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "fits a phone"

    page.click("[data-links] [data-revoke]")
    page.wait_for_selector("[data-links] li.revoked")
    response = visitor.goto(url)
    assert response.status == 404
    visitor.context.close()


def test_the_album_page_works_at_phone_width(browser, live_server, user, photos):
    album = services.create_album(user, "Phone")
    services.add_items(user, album, [p.pk for p in photos])
    phone = browser.new_context(viewport=PHONE, has_touch=True).new_page()
    log_in(phone, live_server, "alice", PASSWORD)
    phone.goto(f"{live_server.url}/albums/{album.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert phone.locator(".album-tile [data-remove]").first.is_visible(), "actions show without hover"
    phone.click("[data-share]")
    dialog = phone.locator("[data-share-dialog]")
    phone.wait_for_selector("[data-add-member]")
    assert dialog.bounding_box()["width"] <= PHONE["width"]
    phone.goto(f"{live_server.url}/albums/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert AlbumItem.objects.filter(album=album).count() == 4
    phone.context.close()


def test_add_to_album_from_search_results_and_a_person_page(page, live_server, user, photos):
    from apps.people.models import Face
    from apps.search import services as search
    from tests.people.factories import FaceFactory, PersonFactory

    search.index_assets(photos)
    album = services.create_album(user, "Picked")
    log_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/search/")
    page.fill("form.search-form input[name=q]", "IMG")
    page.press("form.search-form input[name=q]", "Enter")  # results swapped in by htmx
    # Enter both changes and submits the form: let every swap land before picking.
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.wait_for_selector("#photo-grid[data-selection=ready] .tile[data-asset]")
    page.click(f"#photo-grid .tile[data-asset='{photos[0].pk}']", modifiers=["Control"])
    page.click("[data-selection-event=add-to-album]")
    page.click(f"[data-album-picker] [data-pick='{album.pk}']")
    page.wait_for_selector("[data-picker-status]:has-text('Added 1 to Picked')")
    assert order(album) == [photos[0].pk]

    anna = PersonFactory(name="Anna")
    for photo in photos[2:]:
        FaceFactory(asset=photo, person=anna)
    assert Face.objects.filter(person=anna).count() == 2
    page.goto(f"{live_server.url}/people/{anna.pk}/")
    settled(page)
    page.locator("#photo-grid .tile[data-asset]").first.click(modifiers=["Control"])
    page.locator("#photo-grid .tile[data-asset]").nth(1).click(modifiers=["Shift"])
    page.click("[data-selection-event=add-to-album]")
    page.click(f"[data-album-picker] [data-pick='{album.pk}']")
    page.wait_for_selector("[data-picker-status]:has-text('Added 2 to Picked')")
    assert set(order(album)) == {photos[0].pk, photos[2].pk, photos[3].pk}
