"""Sharing with users of this MediaHub: roles, who may add members, leaving."""

import pytest

from apps.albums import services
from apps.albums.models import Album, AlbumMember, Role
from apps.core.errors import BadInput, NotFound, Refused

pytestmark = pytest.mark.django_db


def test_the_owner_shares_by_user_name_or_id_and_changes_roles(user, album, other_user):
    member, created = services.add_member(user, album, "BOB")
    assert created and member.role == Role.VIEWER
    member, created = services.add_member(user, album, other_user.pk, role=Role.CONTRIBUTOR)
    assert not created and member.role == Role.CONTRIBUTOR
    assert Album.objects.visible_to(other_user).filter(pk=album.pk).exists()


def test_a_member_who_is_not_a_user_or_a_bad_role_is_bad_input(user, album, other_user):
    with pytest.raises(BadInput) as nobody:
        services.add_member(user, album, "nobody-here")
    assert nobody.value.field == "user"
    with pytest.raises(BadInput) as role:
        services.add_member(user, album, other_user.username, role="owner")
    assert role.value.field == "role"
    with pytest.raises(BadInput):
        services.add_member(user, album, user.username)


def test_members_do_not_share_further_but_may_leave(user, album, viewer, contributor, other_user):
    for member in (viewer, contributor):
        with pytest.raises(Refused):
            services.add_member(member, album, other_user.username)
    with pytest.raises(Refused):
        services.remove_member(viewer, album, contributor.pk)
    services.remove_member(viewer, album, viewer.pk)
    assert not AlbumMember.objects.filter(album=album, user=viewer).exists()
    with pytest.raises(NotFound):
        services.remove_member(user, album, viewer.pk)
