"""Sharing an album with users of this MediaHub: viewers see it, contributors also add to it."""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.albums.models import Album, AlbumMember, Role
from apps.core import events
from apps.core.errors import BadInput, NotFound
from apps.core.querysets import Action, check_action
from apps.core.validators import plain_id


def _user(who):
    """A user by id or user name; BadInput (naming `user`) when there is no such active user."""
    users = get_user_model().objects.filter(is_active=True)
    found = None
    if (pk := plain_id(who)) is not None:
        found = users.filter(pk=pk).first()
    if found is None and isinstance(who, str) and who.strip():
        found = users.filter(username__iexact=who.strip()).first()
    if found is None:
        raise BadInput(_("no user '%(who)s' on this MediaHub") % {"who": who}, field="user")
    return found


def add_member(user, album: Album, who, role: str = Role.VIEWER) -> tuple[AlbumMember, bool]:
    """Share the album with `who` (id or user name) as `role`, or change their role.
    Returns (membership, created)."""
    check_action(album, user, Action.MANAGE)
    if role not in Role.values:
        raise BadInput(_("one of %(names)s") % {"names": ', '.join(Role.values)}, field="role")
    member = _user(who)
    if member.pk == album.owner_id:
        raise BadInput(_("the owner already has the album"), field="user")
    membership, created = AlbumMember.objects.update_or_create(
        album=album, user=member, defaults={"role": role}
    )
    Album.objects.filter(pk=album.pk).update(updated=timezone.now())
    if created:
        events.emit(
            events.ALBUM_SHARED, album, {"album": album.pk, "via": "member", "user": member.pk, "role": role}
        )
    return membership, created


def remove_member(user, album: Album, member_id) -> None:
    """Stop sharing with a member; any member may also leave. What contributors added stays."""
    membership = AlbumMember.objects.filter(album=album, user_id=member_id).first()
    if membership is None:
        raise NotFound(_("not a member of this album"))
    check_action(membership, user, Action.DELETE)
    membership.delete()
