"""ZIP downloads (a selection, a folder with its subfolders, a person) and export copies (one photo
or a selection as JPEG/PNG/WebP/AVIF): the bytes, the names, what is left out and why, bad input."""

import io
import shutil
import zipfile

import pytest
from PIL import Image

from apps.albums import services as albums
from apps.albums.models import AlbumMember, Role
from tests.albums.conftest import gps_jpeg
from tests.assets.media_samples import (
    BLUE,
    GREEN,
    RED,
    WHITE,
    asset_for,
    close,
    exif_with_orientation,
    quadrant_colours,
    quadrant_pattern,
    stored_for_orientation,
)
from tests.corpus import CORPUS
from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory, PersonFactory

GPS = 0x8825


def unzip(response) -> zipfile.ZipFile:
    body = b"".join(response.streaming_content)
    if "Content-Length" in response:
        assert int(response["Content-Length"]) == len(body), "the length announced is the length sent"
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    return archive


def write(root, relative, data):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return relative


def test_a_selection_zip_holds_what_the_caller_may_download_and_says_how_many_were_left_out(
    user, other_user, user_client, library, library_root, tmp_path
):
    first = asset_for(library, write(library_root, "a/IMG_0001.jpg", b"first"))
    second = asset_for(library, write(library_root, "b/IMG_0001.jpg", b"second"))
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    # Shared with alice through an album that withholds its originals: seen, not downloadable.
    (tmp_path / "bob").mkdir()
    bobs = LibraryFactory(owner=other_user, root_path=str(tmp_path / "bob"))
    withheld = asset_for(bobs, write(tmp_path / "bob", "IMG_0001.jpg", b"bob's"))
    album = albums.create_album(other_user, "No downloads", allow_download=False)
    albums.add_items(other_user, album, [withheld.pk])
    AlbumMember.objects.create(album=album, user=user, role=Role.VIEWER)

    ids = [str(first.pk), str(second.pk), str(theirs.pk), str(withheld.pk)]
    response = user_client.post("/api/assets/download/", {"ids": ids}, format="json")

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["X-Left-Out"] == "2"
    archive = unzip(response)
    assert sorted(archive.namelist()) == ["IMG_0001 (2).jpg", "IMG_0001.jpg"]
    assert {archive.read("IMG_0001.jpg"), archive.read("IMG_0001 (2).jpg")} == {b"first", b"second"}


def test_a_selection_of_nothing_downloadable_is_not_found_and_no_ids_is_bad_input(other_user, user_client):
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    assert user_client.post("/api/assets/download/", {"ids": [str(theirs.pk)]}, format="json").status_code == 404
    response = user_client.post("/api/assets/download/", {"ids": []}, format="json")
    assert response.status_code == 400 and "ids" in response.json()


def test_a_folder_zip_holds_its_subfolders_with_their_paths_and_nothing_beside_it(
    user_client, library, library_root, other_client
):
    asset_for(library, write(library_root, "2024/trip/IMG_1.jpg", b"one"))
    asset_for(library, write(library_root, "2024/trip/day2/IMG_1.jpg", b"two"))
    asset_for(library, write(library_root, "2023/IMG_1.jpg", b"other year"))

    response = user_client.get("/api/folders/download/", {"library": library.pk, "path": "2024/trip"})

    assert response.status_code == 200 and 'filename="trip.zip"' in response["Content-Disposition"]
    archive = unzip(response)
    assert sorted(archive.namelist()) == ["IMG_1.jpg", "day2/IMG_1.jpg"]
    assert archive.read("day2/IMG_1.jpg") == b"two"
    whole = unzip(user_client.get("/api/folders/download/", {"library": library.pk}))
    assert len(whole.namelist()) == 3
    assert user_client.get("/api/folders/download/", {"library": library.pk, "path": "../x"}).status_code == 400
    assert other_client.get("/api/folders/download/", {"library": library.pk}).status_code == 404


def test_a_persons_zip_holds_the_photos_showing_them(user, user_client, other_client, library, library_root):
    shown = asset_for(library, write(library_root, "ada.jpg", b"ada"))
    asset_for(library, write(library_root, "nobody.jpg", b"nobody"))
    person = PersonFactory(name="Ada", face_count=1)
    FaceFactory(asset=shown, person=person)

    response = user_client.get(f"/api/people/{person.pk}/download/")

    assert response.status_code == 200 and 'filename="Ada.zip"' in response["Content-Disposition"]
    assert unzip(response).namelist() == ["ada.jpg"]
    assert other_client.get(f"/api/people/{person.pk}/download/").status_code == 404


def test_an_export_is_resized_reencoded_upright_and_keeps_exif_less_what_is_stripped(
    user_client, library, library_root
):
    gps_jpeg(library_root / "gps.jpg")
    photo = asset_for(library, "gps.jpg", width=320, height=240)
    url = f"/api/assets/{photo.pk}/export/"

    kept = user_client.get(url, {"format": "webp", "max_size": 160, "quality": 70})
    assert kept.status_code == 200 and kept["Content-Type"] == "image/webp"
    assert 'filename="gps.webp"' in kept["Content-Disposition"]
    image = Image.open(io.BytesIO(kept.content))
    assert (image.format, image.size) == ("WEBP", (160, 120))
    assert image.getexif()[0x010F] == "Canon" and image.getexif().get_ifd(GPS)

    no_place = Image.open(io.BytesIO(user_client.post(url, {"format": "png", "strip": "location"}, format="json").content))
    assert no_place.format == "PNG" and no_place.size == (320, 240)
    assert no_place.getexif()[0x010F] == "Canon" and not no_place.getexif().get_ifd(GPS)

    bare = Image.open(io.BytesIO(user_client.get(url, {"format": "avif", "strip": "all"}).content))
    assert bare.format == "AVIF" and not bare.getexif()


def test_an_export_applies_the_orientation_and_says_orientation_one(user_client, library, library_root):
    stored_for_orientation(quadrant_pattern(300, 200), 6).save(
        library_root / "side.jpg", exif=exif_with_orientation(6), quality=95
    )
    photo = asset_for(library, "side.jpg")

    image = Image.open(io.BytesIO(user_client.get(f"/api/assets/{photo.pk}/export/", {"format": "jpeg"}).content))

    assert image.size == (300, 200) and image.getexif().get(0x0112, 1) == 1
    assert all(close(c, e) for c, e in zip(quadrant_colours(image), (RED, GREEN, BLUE, WHITE), strict=True))


def test_an_export_of_a_heic_photo_is_a_jpeg(user_client, library, library_root):
    quadrant_pattern(120, 80).save(library_root / "phone.heic", quality=90)
    photo = asset_for(library, "phone.heic", mime="image/heic")
    image = Image.open(io.BytesIO(user_client.get(f"/api/assets/{photo.pk}/export/").content))
    assert (image.format, image.size) == ("JPEG", (120, 80))


@pytest.mark.parametrize(
    ("query", "field"),
    [({"format": "gif"}, "format"), ({"quality": 0}, "quality"), ({"quality": 101}, "quality"),
     ({"max_size": 5}, "max_size"), ({"max_size": 100000}, "max_size"), ({"strip": "some"}, "strip")],
)
def test_bad_export_options_are_refused_naming_the_field(user_client, library, library_root, query, field):
    photo = AssetFactory(library=library)
    response = user_client.get(f"/api/assets/{photo.pk}/export/", query)
    assert response.status_code == 400 and list(response.json()) == [field]


def test_a_video_cannot_be_exported_as_an_image(user_client, library):
    video = AssetFactory(library=library, kind="video", filename="clip.mp4")
    response = user_client.get(f"/api/assets/{video.pk}/export/", {"format": "jpeg"})
    assert response.status_code == 400 and "only photos" in response.json()["format"][0]


def test_a_batch_export_zips_copies_and_leaves_out_videos_and_what_is_not_the_callers(
    user_client, other_user, library, library_root
):
    gps_jpeg(library_root / "a.jpg")
    (library_root / "x").mkdir()
    gps_jpeg(library_root / "x" / "a.jpg", colour=(20, 20, 200))
    photos = [asset_for(library, "a.jpg"), asset_for(library, "x/a.jpg")]
    video = AssetFactory(library=library, kind="video", filename="clip.mp4")
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    ids = [str(asset.pk) for asset in (*photos, video, theirs)]

    response = user_client.post(
        "/api/assets/export/", {"ids": ids, "format": "jpeg", "max_size": 100, "strip": "location"}, format="json"
    )

    assert response.status_code == 200 and response["X-Left-Out"] == "2"
    archive = unzip(response)
    assert sorted(archive.namelist()) == ["LEFT OUT.txt", "a (2).jpg", "a.jpg"]
    assert "clip.mp4: a video" in archive.read("LEFT OUT.txt").decode()
    for name in ("a.jpg", "a (2).jpg"):
        image = Image.open(io.BytesIO(archive.read(name)))
        assert (image.format, image.size) == ("JPEG", (100, 75)) and not image.getexif().get_ifd(GPS)
    only_video = user_client.post("/api/assets/export/", {"ids": [str(video.pk)]}, format="json")
    assert only_video.status_code == 400 and "format" in only_video.json()


@pytest.mark.corpus
@pytest.mark.skipif(not (CORPUS / "raw/rawpy").is_dir(), reason="real-media corpus not found")
def test_a_raw_photo_is_developed_for_its_export(user_client, library, library_root):
    shutil.copy(CORPUS / "raw/rawpy/RAW_KODAK_DC50_é.KDC", library_root / "kodak.kdc")
    photo = asset_for(library, "kodak.kdc", mime="image/x-kodak-kdc")
    response = user_client.get(f"/api/assets/{photo.pk}/export/", {"format": "png", "max_size": 200})
    image = Image.open(io.BytesIO(response.content))
    assert response.status_code == 200 and image.format == "PNG" and max(image.size) <= 200
