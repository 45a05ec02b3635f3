"""Wiring the album callers of tests/permission_matrix.py to an album of the owner's."""

from apps.albums import services
from apps.albums.models import AlbumMember, Role
from tests.permission_matrix import CONTRIBUTOR, STRANGER, VIEWER


def share(album, users, *, stranger_asset=None):
    """`album` shared with the viewer and the contributor; the stranger is a contributor of another
    album of the same owner (holding `stranger_asset`, when given), never of this one."""
    AlbumMember.objects.create(album=album, user=users[VIEWER], role=Role.VIEWER)
    AlbumMember.objects.create(album=album, user=users[CONTRIBUTOR], role=Role.CONTRIBUTOR)
    other = services.create_album(album.owner, "Someone else's share")
    if stranger_asset is not None:
        services.add_items(album.owner, other, [stranger_asset.pk])
    AlbumMember.objects.create(album=other, user=users[STRANGER], role=Role.CONTRIBUTOR)
    return album
