"""Albums in the admin: items, members and links inline; removing an item goes through the service."""

import pytest

from apps.albums import services
from apps.albums.models import AlbumItem
from apps.assets.models import Asset

pytestmark = pytest.mark.django_db


def test_an_album_shows_its_items_members_and_links(client, superuser, album, photos, viewer):
    link = services.create_link(album.owner, album=album)
    client.force_login(superuser)
    page = client.get(f"/admin/albums/album/{album.pk}/change/").content.decode()
    assert link.token in page and "dora" in page
    assert 'name="items-TOTAL_FORMS" value="3"' in page
    assert client.get(f"/admin/albums/sharelink/{link.pk}/change/").status_code == 200


def test_removing_an_item_in_the_admin_keeps_the_photo_and_the_count(client, superuser, album, photos):
    client.force_login(superuser)
    items = list(AlbumItem.objects.filter(album=album).order_by("position"))
    data = {
        "owner": album.owner_id,
        "title": album.title,
        "description": "",
        "kind": "regular",
        "query": "{}",
        "sort": "manual",
        "allow_download": "on",
        "members-TOTAL_FORMS": 0,
        "members-INITIAL_FORMS": 0,
        "links-TOTAL_FORMS": 0,
        "links-INITIAL_FORMS": 0,
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": len(items),
    }
    for n, item in enumerate(items):
        data.update(
            {f"items-{n}-id": item.pk, f"items-{n}-album": album.pk, f"items-{n}-position": item.position}
        )
    data["items-0-DELETE"] = "on"
    response = client.post(f"/admin/albums/album/{album.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    album.refresh_from_db()
    assert album.item_count == 2 and not AlbumItem.objects.filter(pk=items[0].pk).exists()
    assert Asset.objects.filter(pk=photos[0].pk).exists()
