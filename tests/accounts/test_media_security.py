"""No route to another user's media: signed URLs are bound to user, asset and time; paths stay in their library."""

import os

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts import services
from apps.accounts.signed_urls import MEDIA_KINDS, signed_media_url
from apps.assets.models import Asset
from tests.assets.media_samples import asset_for, library_at, quadrant_pattern
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db

SECRET = b"outside-every-library"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def media(tmp_path, user):
    """Alice's library with a photo, a playable video and an MP3, and a file outside any library."""
    root = tmp_path / "alice"
    root.mkdir()
    (tmp_path / "secret.jpg").write_bytes(SECRET)
    quadrant_pattern(320, 240).save(root / "photo.jpg", quality=80)
    (root / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    (root / "song.mp3").write_bytes(b"ID3" + b"\x00" * 64)
    library = library_at(root, user)
    return {
        "thumbnail": (photo := asset_for(library, "photo.jpg")),
        "preview": photo,
        "original": photo,
        "video": asset_for(library, "clip.mp4", kind=Asset.Kind.VIDEO, mime="video/mp4", video_codec="h264",
                           audio_codec="aac"),
        "audio.mp3": asset_for(library, "song.mp3", kind=Asset.Kind.AUDIO, mime="audio/mpeg"),
    }


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.mark.parametrize("kind", MEDIA_KINDS)
def test_a_signed_url_works_without_session_or_token(anonymous, media, user, kind):
    response = anonymous.get(signed_media_url(user, media[kind], kind))
    assert response.status_code == 200 and body(response)


@pytest.mark.parametrize("kind", MEDIA_KINDS)
def test_a_signed_url_does_not_open_another_asset(anonymous, media, user, other_user, kind):
    theirs = asset_for(LibraryFactory(owner=other_user, root_path=media[kind].library.root_path + "-bob"), "x.jpg")
    mine_url = signed_media_url(user, media[kind], kind)
    # Alice's link, pointed at Bob's asset: the signature is for another file.
    assert anonymous.get(mine_url.replace(str(media[kind].pk), str(theirs.pk))).status_code == 401
    # Bob signs a link for Alice's asset he cannot see: authenticated as Bob, and Bob gets 404.
    assert anonymous.get(signed_media_url(other_user, media[kind], kind)).status_code == 404
    # Bob's link for his own asset, reused on Alice's.
    bobs = signed_media_url(other_user, theirs, kind)
    assert anonymous.get(bobs.replace(str(theirs.pk), str(media[kind].pk))).status_code == 401


@pytest.mark.parametrize("kind", MEDIA_KINDS)
def test_expired_and_tampered_signatures_are_refused(anonymous, media, user, kind):
    expired = signed_media_url(user, media[kind], kind, expires_in=-1)
    response = anonymous.get(expired)
    assert response.status_code == 401 and "expired" in response.json()["detail"]
    tampered = signed_media_url(user, media[kind], kind)[:-3] + "abc"
    assert anonymous.get(tampered).status_code == 401


def test_a_signed_url_dies_with_access_password_or_account(anonymous, media, user, other_user):
    photo = media["original"]
    photo.library.shared_with.add(other_user)
    bobs = signed_media_url(other_user, photo, "original")
    assert anonymous.get(bobs).status_code == 200
    photo.library.shared_with.remove(other_user)
    assert anonymous.get(bobs).status_code == 404  # access is checked on every fetch, not when signing

    alices = signed_media_url(user, photo, "original")
    services.set_password(user, "a-brand-new-passphrase")
    assert anonymous.get(alices).status_code == 401

    alices = signed_media_url(user, photo, "original")
    user.is_active = False
    user.save()
    assert anonymous.get(alices).status_code == 401


def test_a_trashed_asset_is_served_signed_only_to_who_may_restore_it(anonymous, media, user, other_user):
    photo = media["original"]
    photo.library.shared_with.add(other_user)
    owners, sharers = (signed_media_url(who, photo, "original") for who in (user, other_user))
    assert anonymous.get(sharers).status_code == 200
    Asset.objects.filter(pk=photo.pk).update(deleted_at=timezone.now())
    assert anonymous.get(sharers).status_code == 404
    assert anonymous.get(owners).status_code == 200  # the Trash page's tiles


def test_a_media_signature_authenticates_nothing_but_media(anonymous, media, user):
    url = signed_media_url(user, media["original"], "original")
    signature = url.split("?", 1)[1]
    assert anonymous.get(f"/api/assets/{media['original'].pk}/?{signature}").status_code == 401
    assert anonymous.get(f"/api/auth/me?{signature}").status_code == 401


@pytest.mark.parametrize("kind", ["thumbnail", "preview", "original"])
def test_a_path_leaving_the_library_is_never_served(user_client, media, kind, tmp_path):
    library = media["original"].library
    os.symlink(tmp_path / "secret.jpg", tmp_path / "alice" / "link.jpg")
    dotdot = AssetFactory(library=library, path="../secret.jpg", filename="secret.jpg")
    symlink = AssetFactory(library=library, path="link.jpg", filename="link.jpg")
    absolute = AssetFactory(library=library, path=str(tmp_path / "secret.jpg"), filename="abs.jpg")
    for asset in (dotdot, symlink, absolute):
        response = user_client.get(f"/api/assets/{asset.pk}/{kind}")
        assert response.status_code == 404, (asset.path, response.status_code)
        assert SECRET not in body(response)


@pytest.mark.parametrize(
    "path",
    [
        "/api/assets/{pk}%2Foriginal",
        "/api/assets/{pk}/..%2F..%2Foriginal",
        "/api/assets/%2e%2e%2f{pk}/original",
        "/api/assets/{pk}/%2e%2e/original",
        "/api/assets/{pk}/original%2F..%2F..%2Fsecret.jpg",
        "/api/assets/..%5C{pk}/original",
    ],
)
def test_url_encoded_separators_do_not_reach_a_file(user_client, other_user, media, tmp_path, path):
    theirs_root = tmp_path / "bob"
    theirs_root.mkdir()
    quadrant_pattern(64, 64).save(theirs_root / "private.jpg")
    theirs = asset_for(library_at(theirs_root, other_user), "private.jpg")
    private = (theirs_root / "private.jpg").read_bytes()
    response = user_client.get(path.format(pk=theirs.pk))
    assert response.status_code == 404, (path, response.status_code)
    # Servers decode %2F before routing, so on one's own asset a path may legitimately reach it; never more.
    response = user_client.get(path.format(pk=media["original"].pk))
    assert response.status_code in (200, 404)
    assert SECRET not in body(response) and private not in body(response)
