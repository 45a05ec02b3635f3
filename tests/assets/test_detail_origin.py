"""The detail view's previous/next follow the set the photo was opened from."""

import re
from datetime import UTC, datetime

import pytest

from tests.factories import AssetFactory
from tests.people.factories import FaceFactory, PersonFactory

pytestmark = pytest.mark.django_db


def steps(page):
    prev = re.search(r'class="viewer-prev" href="([^"]+)"', page)
    following = re.search(r'class="viewer-next" href="([^"]+)"', page)
    return (prev.group(1).replace("&amp;", "&") if prev else None,
            following.group(1).replace("&amp;", "&") if following else None)


def test_a_persons_photo_steps_through_that_persons_photos(client, user, library):
    days = [AssetFactory(library=library, taken_at=datetime(2024, 1, day, tzinfo=UTC)) for day in range(1, 6)]
    ada = PersonFactory(name="Ada")
    for asset in (days[0], days[2], days[4]):
        FaceFactory(asset=asset, person=ada)
    client.force_login(user)
    person_page = client.get(f"/people/{ada.pk}/").content.decode()
    assert f"/photos/{days[2].pk}/?person={ada.pk}" in person_page
    page = client.get(f"/photos/{days[2].pk}/", {"person": ada.pk}).content.decode()
    assert steps(page) == (f"/photos/{days[4].pk}/?person={ada.pk}", f"/photos/{days[0].pk}/?person={ada.pk}")
    whole = client.get(f"/photos/{days[2].pk}/").content.decode()
    assert steps(whole) == (f"/photos/{days[3].pk}/", f"/photos/{days[1].pk}/")


def test_a_folders_photo_steps_within_the_folder_and_bad_filters_fall_back_to_the_timeline(client, user, library):
    inside = [AssetFactory(library=library, path=f"trip/{n}.jpg", taken_at=datetime(2024, 1, n * 2, tzinfo=UTC))
              for n in range(1, 4)]
    elsewhere = AssetFactory(library=library, path="other/x.jpg", taken_at=datetime(2024, 1, 3, tzinfo=UTC))
    client.force_login(user)
    query = f"library={library.pk}&directory=trip"
    page = client.get(f"/photos/{inside[1].pk}/?{query}").content.decode()
    assert steps(page) == (f"/photos/{inside[2].pk}/?{query}", f"/photos/{inside[0].pk}/?{query}")
    bad = client.get(f"/photos/{inside[1].pk}/", {"directory": "../x"}).content.decode()
    assert steps(bad) == (f"/photos/{inside[2].pk}/", f"/photos/{elsewhere.pk}/")
