"""Albums fixtures on top of tests/conftest.py: alice (`user`) owns `library` and `album`; `viewer`
(dora) and `contributor` (erin) are members of it; `stranger` (frank) is a member of another of
alice's albums only; bob (`other_user`) has nothing to do with any of it."""

from datetime import UTC, datetime, timedelta

import pytest

from apps.albums import services
from apps.albums.models import Role
from tests.albums.factories import AlbumFactory, MemberFactory
from tests.conftest import client_for
from tests.factories import AssetFactory, LibraryFactory, UserFactory

DAY = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def photos(library):
    """Five of alice's photos, one a day from 1 June 2024."""
    return [AssetFactory(library=library, taken_at=DAY + timedelta(days=i)) for i in range(5)]


@pytest.fixture
def album(user, photos):
    album = AlbumFactory(owner=user, title="Summer")
    services.add_items(user, album, [p.pk for p in photos[:3]])
    album.refresh_from_db()
    return album


@pytest.fixture
def viewer(album):
    return MemberFactory(album=album, user=UserFactory(username="dora"), role=Role.VIEWER).user


@pytest.fixture
def contributor(album):
    member = MemberFactory(album=album, user=UserFactory(username="erin"), role=Role.CONTRIBUTOR).user
    # Erin has a library of her own to add from.
    LibraryFactory(owner=member, name="Erin's photos")
    return member


@pytest.fixture
def stranger(user, photos):
    """A member of another of alice's albums, which holds the last photo only."""
    other = AlbumFactory(owner=user, title="Other")
    services.add_items(user, other, [photos[-1].pk])
    return MemberFactory(album=other, user=UserFactory(username="frank"), role=Role.CONTRIBUTOR).user


@pytest.fixture
def viewer_client(viewer):
    return client_for(viewer)


@pytest.fixture
def contributor_client(contributor):
    return client_for(contributor)


def gps_jpeg(path, colour=(200, 40, 40)):
    """A small JPEG with camera make/model, GPS and an XMP packet: what metadata stripping removes."""
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "Canon EOS 5D"
    exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(
        buffer,
        "JPEG",
        exif=exif.tobytes(),
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">GPSLatitude</x:xmpmeta>',
    )
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def real_photos(library, library_root):
    """Three real JPEGs (with GPS and camera tags) in alice's library, indexed with their metadata."""
    assets = []
    for i in range(3):
        gps_jpeg(library_root / f"IMG_{i}.jpg", colour=(60 * i, 100, 200))
        assets.append(
            AssetFactory(
                library=library,
                path=f"IMG_{i}.jpg",
                filename=f"IMG_{i}.jpg",
                size=(library_root / f"IMG_{i}.jpg").stat().st_size,
                taken_at=DAY + timedelta(days=i),
                camera_make="Canon",
                camera_model="Canon EOS 5D",
                latitude=48.858,
                longitude=2.294,
                content_hash=f"{i:064x}",
                width=320,
                height=240,
            )
        )
    return assets


@pytest.fixture
def shared_album(user, real_photos):
    """The first two real photos in an album shared with dora (viewer) and erin (contributor)."""
    album = AlbumFactory(owner=user, title="Paris")
    services.add_items(user, album, [p.pk for p in real_photos[:2]])
    MemberFactory(album=album, user=UserFactory(username="dora"), role=Role.VIEWER)
    MemberFactory(album=album, user=UserFactory(username="erin"), role=Role.CONTRIBUTOR)
    album.refresh_from_db()
    return album
