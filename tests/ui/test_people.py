"""People pages in headless Chromium: rename inline, merge by selecting, assign unassigned faces to a
new person, and face boxes with names on the photo detail view. Real JPEGs and previews, so the
face crops the pages show are real images too."""

from datetime import UTC, datetime, timedelta

import pytest

from apps.assets.derivatives.images import make_photo_derivatives
from apps.people.models import Face, Person
from tests.assets.media_samples import asset_for, library_at, quadrant_pattern
from tests.people.factories import FaceFactory, PersonFactory, unit
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 1200, 800


@pytest.fixture
def photos(tmp_path, user):
    library = library_at(tmp_path, user)
    start = datetime(2024, 7, 14, 18, 0, tzinfo=UTC)
    assets = []
    for n in range(3):
        quadrant_pattern(WIDTH, HEIGHT).save(tmp_path / f"IMG_{n}.jpg", quality=85)
        asset = asset_for(library, f"IMG_{n}.jpg", taken_at=start - timedelta(hours=n), width=WIDTH, height=HEIGHT)
        make_photo_derivatives(tmp_path / f"IMG_{n}.jpg", asset.pk)  # face crops are cut from the preview
        assets.append(asset)
    return assets


def face_on(asset, person=None, x=100, **fields):
    return FaceFactory(
        asset=asset, person=person, x=x, y=200, width=240, height=300,
        preview_width=WIDTH, preview_height=HEIGHT, **fields,
    )


def test_rename_a_person_inline(page, live_server, user, password, photos):
    ada = PersonFactory(name="")
    face_on(photos[0], ada)
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/people/")

    name = page.locator(f'.person-card[data-person="{ada.pk}"] [data-rename]')
    name.fill("Ada Lovelace")
    name.press("Enter")
    page.locator(f'.person-card[data-person="{ada.pk}"] [data-rename].saved').wait_for()
    ada.refresh_from_db()
    assert ada.name == "Ada Lovelace"
    page.reload()
    assert page.locator(f'.person-card[data-person="{ada.pk}"] [data-rename]').input_value() == "Ada Lovelace"


def test_merge_two_people_by_selecting_them(page, live_server, user, password, photos):
    ada, twin, bob = PersonFactory(name="Ada"), PersonFactory(name=""), PersonFactory(name="Bob")
    face_on(photos[0], ada)
    face_on(photos[1], ada)
    face_on(photos[2], twin)
    face_on(photos[2], bob, x=600)
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/people/")
    assert page.locator(".person-card").count() == 3
    bar = page.locator("[data-people-bar]")
    assert bar.is_hidden()

    page.locator(f'.person-card[data-person="{twin.pk}"]').hover()
    page.check(f'.person-card[data-person="{twin.pk}"] [data-pick]')
    page.check(f'.person-card[data-person="{ada.pk}"] [data-pick]')
    assert "2 selected" in bar.inner_text()
    page.select_option("[data-merge-into]", str(ada.pk))
    bar.locator("button", has_text="Merge").click()

    page.locator(".person-card").nth(1).wait_for()
    page.wait_for_function("document.querySelectorAll('.person-card').length === 2")
    assert not Person.objects.filter(pk=twin.pk).exists()
    assert Face.objects.filter(person=ada).count() == 3
    card = page.locator(f'.person-card[data-person="{ada.pk}"]')
    assert "3 faces" in card.inner_text()


def test_hide_a_person_then_show_them_again(page, live_server, user, password, photos):
    ada, bob = PersonFactory(name="Ada"), PersonFactory(name="Bob")
    face_on(photos[0], ada)
    face_on(photos[1], bob)
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/people/")

    page.locator(f'.person-card[data-person="{bob.pk}"] button', has_text="Hide").click()
    page.locator(f'.person-card[data-person="{bob.pk}"]').wait_for(state="detached")
    bob.refresh_from_db()
    assert bob.hidden
    page.reload()
    with page.expect_navigation():  # to its "load": people.js is deferred, a click before it runs does nothing
        page.click("text=Show hidden (1)")
    card = page.locator(f'.person-card[data-person="{bob.pk}"]')
    assert "is-hidden" in card.get_attribute("class")
    card.locator("button", has_text="Show").click()
    card.locator("button", has_text="Hide").wait_for()
    bob.refresh_from_db()
    assert not bob.hidden


def test_person_page_removes_a_face_and_sets_the_cover(page, live_server, user, password, photos):
    ada = PersonFactory(name="Ada")
    keep, wrong = face_on(photos[0], ada), face_on(photos[1], ada)
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/people/{ada.pk}/")
    assert page.locator("#photo-grid .tile").count() == 2

    page.locator(f'.face-tile[data-face="{wrong.pk}"] [data-unassign]').click()
    page.locator(f'.face-tile[data-face="{wrong.pk}"]').wait_for(state="detached")
    assert Face.objects.get(pk=wrong.pk).person is None
    page.locator(f'.face-tile[data-face="{keep.pk}"] [data-cover]').click()
    page.locator("[data-status]", has_text="Cover changed").wait_for()
    ada.refresh_from_db()
    assert ada.cover_face_id == keep.pk
    page.reload()
    assert page.locator("#photo-grid .tile").count() == 1  # the photo of the removed face left


def test_assign_unassigned_faces_to_a_new_person(page, live_server, user, password, photos):
    loose = [face_on(asset) for asset in photos]
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/people/unassigned/")
    page.wait_for_function(
        "[...document.querySelectorAll('.face-tile img')].every((i) => i.complete && i.naturalWidth > 0)"
    )

    page.click(f'.face-tile[data-face="{loose[0].pk}"] img')
    page.click(f'.face-tile[data-face="{loose[1].pk}"] img')
    bar = page.locator("[data-assign-bar]")
    assert "2 selected" in bar.inner_text()
    page.fill("[data-new-name]", "Grace")
    bar.locator("button", has_text="Assign").click()

    bar.locator("[data-status] a", has_text="Grace").wait_for()
    assert page.locator(".face-tile").count() == 1  # the two assigned faces left the review
    grace = Person.objects.get(name="Grace")
    assert set(grace.faces.values_list("pk", flat=True)) == {loose[0].pk, loose[1].pk}
    assert Face.objects.get(pk=loose[2].pk).person is None
    bar.locator("[data-status] a", has_text="Grace").click()
    page.wait_for_url(f"{live_server.url}/people/{grace.pk}/")
    assert page.locator("#face-grid .face-tile").count() == 2


def test_name_a_group_of_look_alike_faces_in_one_action(page, live_server, user, password, photos):
    twins = [face_on(asset, embedding=unit(1.0, 0.1 * n)) for n, asset in enumerate(photos[:2])]
    stranger = face_on(photos[2], embedding=unit(0.0, 1.0))
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/people/unassigned/")

    group = page.locator("[data-face-group]")
    assert group.count() == 1 and group.locator("[data-face]").count() == 2
    group.get_by_role("button", name="Select these 2 faces").click()
    bar = page.locator("[data-assign-bar]")
    assert "2 selected" in bar.inner_text()
    page.keyboard.type("Hedy")  # the name field has the focus
    bar.locator("button", has_text="Assign").click()

    bar.locator("[data-status] a", has_text="Hedy").wait_for()
    assert page.locator("[data-face-group]").count() == 0
    assert [t.get_attribute("data-face") for t in page.locator(".face-tile").all()] == [str(stranger.pk)]
    hedy = Person.objects.get(name="Hedy")
    assert set(hedy.faces.values_list("pk", flat=True)) == {f.pk for f in twins}
    assert Face.objects.get(pk=stranger.pk).person is None


def test_face_boxes_with_names_on_the_detail_view(page, live_server, user, password, photos):
    ada = PersonFactory(name="Ada")
    named = face_on(photos[0], ada, x=120)
    face_on(photos[0], None, x=700)
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/photos/{photos[0].pk}/")
    page.wait_for_function("() => document.querySelector('img.preview').naturalWidth > 0")

    boxes = page.locator(".face-box")
    boxes.nth(1).wait_for()
    assert boxes.count() == 2
    label = page.locator(f'a.face-box[data-face="{named.pk}"]')
    assert label.inner_text() == "Ada"
    assert label.get_attribute("href") == f"/people/{ada.pk}/"
    assert page.locator(".viewer-people a", has_text="Ada").count() == 1

    # The box sits over the face: preview pixels scaled to where the preview is drawn.
    image = page.locator("img.preview").bounding_box()
    box = label.bounding_box()
    scale = min(image["width"] / WIDTH, image["height"] / HEIGHT)
    left = image["x"] + (image["width"] - WIDTH * scale) / 2
    top = image["y"] + (image["height"] - HEIGHT * scale) / 2
    assert box["x"] == pytest.approx(left + 120 * scale, abs=3)
    assert box["y"] == pytest.approx(top + 200 * scale, abs=3)
    assert box["width"] == pytest.approx(240 * scale, abs=4)

    page.click("[data-faces-toggle]")
    assert not label.is_visible()
    page.keyboard.press("f")
    assert label.is_visible()
    page.click("[data-faces-toggle]")
    page.reload()  # the choice is remembered
    page.locator(".face-box").first.wait_for(state="attached")
    assert not page.locator(".face-box").first.is_visible()
    assert page.get_attribute("[data-faces-toggle]", "aria-pressed") == "false"


def test_merge_a_suggested_pair_and_dismiss_another(page, live_server, user, password, photos):
    from tests.people.test_pages import unit

    ada = PersonFactory(name="Ada", centroid=unit(1, 0.05))
    twin = PersonFactory(name="", centroid=unit(1, 0))
    bob = PersonFactory(name="Bob", centroid=unit(0, 1))
    bobby = PersonFactory(name="Bobby", centroid=unit(0.02, 1))
    for n, person in enumerate((ada, twin, bob, bobby)):
        face_on(photos[n % 3], person, x=100 + 200 * n)
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/people/suggestions/")
    assert page.locator(".suggestion").count() == 2

    ada_pair = page.locator(".suggestion", has_text="Merge into Ada")
    ada_pair.locator("button", has_text="Merge into Ada").click()
    ada_pair.wait_for(state="detached")
    assert not Person.objects.filter(pk=twin.pk).exists()
    assert Face.objects.filter(person=ada).count() == 2

    page.locator(".suggestion button", has_text="Not the same").click()
    page.locator(".suggestion").first.wait_for(state="detached")
    page.reload()
    assert page.locator(".suggestion").count() == 0  # dismissed, for good
    assert Person.objects.filter(pk__in=[bob.pk, bobby.pk]).count() == 2


def test_a_photo_opened_from_a_person_page_closes_back_to_it(page, live_server, user, password, photos):
    ada = PersonFactory(name="Ada")
    face_on(photos[1], ada)
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/people/{ada.pk}/")
    page.click(f'#photo-grid a.tile[data-asset="{photos[1].pk}"]')
    # The person rides along, so previous/next step through Ada's photos.
    page.wait_for_url(f"{live_server.url}/photos/{photos[1].pk}/?person={ada.pk}")
    page.keyboard.press("Escape")
    page.wait_for_url(f"{live_server.url}/people/{ada.pk}/")


def test_name_an_unknown_face_on_the_detail_view(page, live_server, user, password, photos):
    ada = PersonFactory(name="Ada")
    face_on(photos[1], ada)
    stranger, newcomer = face_on(photos[0], None, x=120), face_on(photos[0], None, x=700)
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/photos/{photos[0].pk}/")

    page.click(f'button.face-box[data-face="{stranger.pk}"]')
    page.fill(".face-tag input", "Ad")
    page.locator("#face-tag-people option[value='Ada']").wait_for(state="attached")  # offered as one types
    page.fill(".face-tag input", "Ada")
    page.click(".face-tag button")
    page.locator(f'a.face-box[data-face="{stranger.pk}"]', has_text="Ada").wait_for()
    assert Face.objects.get(pk=stranger.pk).person_id == ada.pk

    page.click(f'button.face-box[data-face="{newcomer.pk}"]')
    page.fill(".face-tag input", "Grace")
    page.keyboard.press("Enter")
    page.locator(f'a.face-box[data-face="{newcomer.pk}"]', has_text="Grace").wait_for()
    grace = Person.objects.get(name="Grace")
    assert Face.objects.get(pk=newcomer.pk).person_id == grace.pk
    assert page.locator(".viewer-people a").all_inner_texts() == ["Ada", "Grace"]
