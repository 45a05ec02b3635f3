"""Share links as a service: what can be shared, checked inputs, expiry, revocation, passwords."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.albums import services
from apps.albums.models import ShareLink
from apps.core.errors import BadInput, Conflict, NotFound, Refused
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


def test_a_token_has_at_least_128_random_bits_and_can_be_copied_again(user, album):
    link = services.create_link(user, album=album)
    other = services.create_link(user, album=album)
    assert len(link.token) >= 22 and link.token != other.token  # 22 base64 characters = 132 bits
    assert ShareLink.objects.get(pk=link.pk).token == link.token


def test_only_the_owner_links_an_album(user, album, viewer, contributor):
    for member in (viewer, contributor):
        with pytest.raises(Refused):
            services.create_link(member, album=album)


def test_hand_picked_links_take_only_photos_of_ones_own_libraries(user, album, photos, viewer, other_user):
    link = services.create_link(user, asset_ids=[photos[0].pk, photos[4].pk], title="Two")
    assert set(services.link_assets(link)) == {photos[0], photos[4]}
    with pytest.raises(BadInput) as shared_only:
        services.create_link(viewer, asset_ids=[photos[0].pk])  # seen through the album only
    assert shared_only.value.field == "assets"
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    with pytest.raises(BadInput):
        services.create_link(user, asset_ids=[photos[0].pk, theirs.pk])


def test_an_expiry_in_the_past_or_a_short_password_is_bad_input(user, album):
    with pytest.raises(BadInput) as past:
        services.create_link(user, album=album, expires_at=timezone.now() - timedelta(minutes=1))
    assert past.value.field == "expires_at"
    with pytest.raises(BadInput) as short:
        services.create_link(user, album=album, password="abc")
    assert short.value.field == "password"


def test_the_password_is_stored_hashed(user, album):
    link = services.create_link(user, album=album, password="s3cret-pass")
    assert link.password and "s3cret-pass" not in link.password
    assert services.unlock_link(link, "s3cret-pass", "10.0.0.1")
    assert not services.unlock_link(link, "wrong", "10.0.0.1")


def test_unknown_and_revoked_tokens_are_not_found_and_expired_ones_are_gone(user, album):
    with pytest.raises(NotFound):
        services.open_link("no-such-token")
    link = services.create_link(user, album=album, expires_at=timezone.now() + timedelta(hours=1))
    assert services.open_link(link.token) == link
    assert ShareLink.objects.get(pk=link.pk).last_opened is not None
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.LinkExpired) as gone:
        services.open_link(link.token)
    assert gone.value.status == 410
    services.update_link(user, link, revoked=True)
    with pytest.raises(NotFound):
        services.open_link(link.token)
    with pytest.raises(BadInput):
        services.update_link(user, link, revoked=False)


def test_wrong_passwords_are_throttled_like_logins(user, album, settings):
    settings.MEDIAHUB_LOGIN_SLOW_AFTER, settings.MEDIAHUB_LOGIN_LOCK_AFTER = 3, 5
    link = services.create_link(user, album=album, password="s3cret-pass")
    for _ in range(3):
        assert not services.unlock_link(link, "guess", "10.0.0.7")
    with pytest.raises(services.TooManyAttempts) as throttled:
        services.unlock_link(link, "s3cret-pass", "10.0.0.7")  # even the right one, while throttled
    assert throttled.value.status == 429 and throttled.value.retry_after >= 1


def test_a_smart_album_is_frozen_before_it_is_shared_by_link(user):
    smart = services.create_album(user, "Beach", query={"kind": "photo"})
    with pytest.raises(Conflict):
        services.create_link(user, album=smart)


def test_a_link_shows_its_album_without_the_trash(user, album, photos):
    link = services.create_link(user, album=album)
    photos[0].deleted_at = timezone.now()
    photos[0].save()
    assert set(services.link_assets(link)) == {photos[1], photos[2]}
