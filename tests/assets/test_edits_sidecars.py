"""XMP sidecars: read at ingest (their title, description, date and location win over the file's),
and written with an edit only in a writable library with MEDIAHUB_WRITE_SIDECARS on."""

from datetime import UTC, datetime

import pytest

from apps.assets.metadata.extract import extract
from apps.assets.metadata.stage import MetadataStage
from apps.assets.models import Asset
from tests.assets.test_metadata import camera_exif, gradient
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

LIGHTROOM = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
    crs:Exposure2012="+0.35" exif:DateTimeOriginal="2019-07-01T06:30:00+02:00"
    exif:GPSLatitude="41,53.598000N" exif:GPSLongitude="12,28.974000E">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Colosseum &amp; Forum</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">From the Palatine</rdf:li></rdf:Alt></dc:description>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def photo_in(library, root, name="IMG_1.jpg"):
    gradient((80, 60)).save(root / name, exif=camera_exif())
    asset = AssetFactory(library=library, path=name, filename=name, kind=Asset.Kind.PHOTO)
    MetadataStage().run(asset)
    asset.refresh_from_db()
    return asset


def test_a_sidecar_beside_the_file_wins_for_title_description_date_and_location(library, library_root):
    (library_root / "IMG_1.xmp").write_text(LIGHTROOM, encoding="utf-8")
    asset = photo_in(library, library_root)
    assert (asset.title, asset.description) == ("Colosseum & Forum", "From the Palatine")
    assert (asset.taken_at, asset.taken_at_offset, asset.taken_at_source) == (
        datetime(2019, 7, 1, 4, 30, tzinfo=UTC), 120, "sidecar")
    assert asset.latitude == pytest.approx(41.8933) and asset.longitude == pytest.approx(12.4829)
    assert asset.camera_model == "Canon EOS R5", "the file's own fields the sidecar does not have stay"


def test_an_edit_is_written_to_the_sidecar_of_a_writable_library_and_read_back(
        user_client, library, library_root, settings):
    settings.MEDIAHUB_WRITE_SIDECARS = True
    library.read_only = False
    library.save()
    (library_root / "IMG_1.xmp").write_text(LIGHTROOM, encoding="utf-8")
    asset = photo_in(library, library_root)
    answer = user_client.post(f"/api/assets/{asset.pk}/edit/", {
        "title": "Rome <at> dawn", "description": "", "taken_at": "2018-02-03T04:05:06", "time_zone": "+01:00",
        "latitude": -33.8688, "longitude": 151.2093}, format="json")
    assert answer.status_code == 200
    text = (library_root / "IMG_1.xmp").read_text(encoding="utf-8")
    assert 'crs:Exposure2012="+0.35"' in text, "what the photo editor keeps there stays"
    assert not (library_root / "IMG_1.jpg.xmp").exists(), "the sidecar already there is the one written"
    info = extract(library_root / "IMG_1.jpg", decode=False)
    assert (info.title, info.description) == ("Rome <at> dawn", "")
    assert (info.taken_at, info.taken_at_offset) == (datetime(2018, 2, 3, 3, 5, 6, tzinfo=UTC), 60)
    assert info.latitude == pytest.approx(-33.8688) and info.longitude == pytest.approx(151.2093)


def test_no_sidecar_is_written_in_a_read_only_library_or_with_the_setting_off(
        user_client, library, library_root, settings):
    asset = photo_in(library, library_root)
    settings.MEDIAHUB_WRITE_SIDECARS = True  # but the library is read-only (the default)
    assert user_client.post(f"/api/assets/{asset.pk}/edit/", {"title": "x"}, format="json").status_code == 200
    settings.MEDIAHUB_WRITE_SIDECARS = False
    library.read_only = False
    library.save()
    assert user_client.post(f"/api/assets/{asset.pk}/edit/", {"title": "y"}, format="json").status_code == 200
    assert sorted(p.name for p in library_root.iterdir()) == ["IMG_1.jpg"]
    settings.MEDIAHUB_WRITE_SIDECARS = True
    user_client.post("/api/assets/edit/", {"ids": [str(asset.pk)], "shift_seconds": 3600}, format="json")
    assert "<dc:title>" in (library_root / "IMG_1.jpg.xmp").read_text(encoding="utf-8")
