"""The Search page: full page with dropdowns, HTMX partials, and the top bar's search box."""

import pytest

from tests.factories import LibraryFactory

from .helpers import indexed

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client, user):
    client.force_login(user)
    return client


def test_page_lists_matches_as_grid_tiles_with_filter_dropdowns(browser, user, other_user):
    mine = indexed(library=LibraryFactory(owner=user), path="x/Zürich.jpg", camera_model="X100V")
    theirs = indexed(library=LibraryFactory(owner=other_user), path="x/Zürich2.jpg", camera_model="Secret Cam")
    html = browser.get("/search/", {"q": "zurich"}).content.decode()
    assert f'data-asset="{mine.pk}"' in html and str(theirs.pk) not in html
    assert 'name="camera_model"' in html and "X100V (1)" in html and "Secret Cam" not in html


def test_htmx_gets_the_results_partial_and_pages_on(browser, user):
    library = LibraryFactory(owner=user)
    for n in range(125):
        indexed(library=library, path=f"y/beach_{n}.jpg")
    response = browser.get("/search/", {"q": "beach"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and html.count('class="tile') == 120 and 'hx-trigger="revealed"' in html
    next_url = html.split('class="more" hx-get="')[1].split('"')[0].replace("&amp;", "&")
    rest = browser.get(f"/search/{next_url}", headers={"HX-Request": "true"}).content.decode()
    assert rest.count('class="tile') == 5 and "revealed" not in rest


def test_bad_parameters_show_the_message(browser):
    html = browser.get("/search/", {"lat": 1}).content.decode()
    assert "lat, lon and radius_km go together" in html


def test_top_bar_has_a_search_box_that_goes_to_the_search_page(browser):
    html = browser.get("/").content.decode()
    assert 'action="/search/"' in html and 'name="q"' in html


def test_favourite_and_rating_dropdowns_filter_by_my_own_flags(browser, user, other_user):
    from apps.assets.models import AssetUserState

    library = LibraryFactory(owner=user, shared_with_all=True)
    loved, rated, plain = (indexed(library=library, path=f"z/beach_{n}.jpg") for n in range(3))
    AssetUserState.objects.create(user=user, asset=loved, favorite=True)
    AssetUserState.objects.create(user=user, asset=rated, rating=4)
    AssetUserState.objects.create(user=other_user, asset=plain, favorite=True, rating=5)  # not mine
    html = browser.get("/search/", {"q": "beach", "favorite": "true"}).content.decode()
    assert f'data-asset="{loved.pk}"' in html and str(rated.pk) not in html and str(plain.pk) not in html
    assert '<option value="true" selected>Only my favourites' in html
    html = browser.get("/search/", {"q": "beach", "rating": "4"}).content.decode()
    assert f'data-asset="{rated.pk}"' in html and str(loved.pk) not in html and str(plain.pk) not in html
    assert '<option value="4" selected>4★ or more' in html


def test_the_rejected_dropdown_hides_or_keeps_only_my_rejected_photos(browser, user, other_user):
    from apps.assets.models import AssetUserState

    library = LibraryFactory(owner=user, shared_with_all=True)
    rejected, kept, theirs = (indexed(library=library, path=f"r/lake_{n}.jpg") for n in range(3))
    AssetUserState.objects.create(user=user, asset=rejected, rejected=True)
    AssetUserState.objects.create(user=other_user, asset=theirs, rejected=True)  # not mine
    html = browser.get("/search/", {"q": "lake"}).content.decode()
    assert all(f'data-asset="{a.pk}"' in html for a in (rejected, kept, theirs))
    assert '<select name="rejected">' in html
    html = browser.get("/search/", {"q": "lake", "rejected": "false"}).content.decode()
    assert str(rejected.pk) not in html and f'data-asset="{kept.pk}"' in html and f'data-asset="{theirs.pk}"' in html
    assert '<option value="false" selected>Hide my rejected' in html
    html = browser.get("/search/", {"q": "lake", "rejected": "true"}).content.decode()
    assert f'data-asset="{rejected.pk}"' in html and str(kept.pk) not in html and str(theirs.pk) not in html
