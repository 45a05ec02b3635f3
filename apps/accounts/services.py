"""Accounts: the one place views, commands and the admin call to create users and change their access.

Refusals are apps.core.errors: BadInput names the form field at fault, Conflict says the current
state is in the way (the last superadmin), NotFound an unknown user.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.assets.models import Asset
from apps.core.errors import BadInput, Conflict, NotFound
from apps.core.validators import plain_id
from apps.scanning.models import Library

from .models import ApiToken
from .roles import STAFF_ROLES, Role


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def checked_username(username: str) -> str:
    """Django's rule for usernames (letters, digits and @ . + - _, at most 150): every way of making
    an account (the users page, `manage.py adduser`, `ensure_admin`) goes through here, so no
    name carries markup into the pages and logs that show it."""
    User = get_user_model()
    username = User.normalize_username(username or "")
    if not username:
        raise BadInput(_("a username is required"), field="username")
    try:
        User._meta.get_field(User.USERNAME_FIELD).run_validators(username)
    except ValidationError as exc:
        raise BadInput(" ".join(exc.messages), field="username") from None
    return username


def ensure_admin(username: str, password: str | None = None) -> tuple[object, bool, str | None]:
    """Create the first superuser once: (user, created, the password when one was generated)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False, None
    username = checked_username(username)
    generated = None
    if not password:
        password = generated = generate_password()
    user = User.objects.create_superuser(username=username, email="", password=password)
    return user, True, generated


@transaction.atomic
def create_user(
    username: str,
    role: Role | str = Role.USER,
    *,
    display_name: str = "",
    email: str = "",
    password: str | None = None,
    libraries=(),
):
    """A new account with its role and shared libraries. Returns (user, generated password or None)."""
    User = get_user_model()
    username = checked_username(username)
    if User.objects.filter(username=username).exists():
        raise BadInput(_("a user named '%(username)s' already exists")
                       % {"username": username}, field="username")
    generated = None if password else generate_password()
    user = User.objects.create_user(
        username=username, email=email, password=password or generated, display_name=display_name
    )
    set_role(user, role)
    share_libraries(user, libraries)
    return user, generated


def _other_active_superadmins(user) -> bool:
    return get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()


@transaction.atomic
def set_role(user, role: Role | str) -> None:
    """Role -> is_superuser, is_staff and group membership, together, so they never disagree."""
    try:
        role = Role(role)
    except ValueError:
        choices = {"role": role, "roles": ", ".join(Role)}
        raise BadInput(_("unknown role '%(role)s' (choose from %(roles)s)") % choices, field="role") from None
    if user.pk and user.is_superuser and role != Role.SUPERADMIN and not _other_active_superadmins(user):
        raise Conflict(_("this is the last superadmin; make someone else superadmin first"))
    user.is_superuser = role == Role.SUPERADMIN
    user.is_staff = role in STAFF_ROLES
    user.save(update_fields=["is_superuser", "is_staff"])
    groups = {r: Group.objects.get_or_create(name=r.value)[0] for r in (Role.USER, Role.ADMIN)}
    user.groups.remove(*groups.values())
    user.groups.add(groups[Role.USER])
    if role.rank >= Role.ADMIN.rank:
        user.groups.add(groups[Role.ADMIN])
    user.__dict__.pop("role", None)  # drop the cached value


def resolve_libraries(references) -> list[Library]:
    """Libraries by id or by name; an unknown or ambiguous reference is an error, not a silent skip."""
    found = []
    for ref in references:
        ref = str(ref)
        pk = plain_id(ref)
        matches = list(Library.objects.filter(**({"pk": pk} if pk is not None else {"name": ref})))
        if not matches:
            raise BadInput(_("no library '%(name)s'") % {"name": ref}, field="libraries")
        if len(matches) > 1:
            raise BadInput(_("several libraries are named '%(name)s'; use its id")
                           % {"name": ref}, field="libraries")
        found.append(matches[0])
    return found


def share_libraries(user, libraries) -> None:
    for library in libraries:
        library.shared_with.add(user)


def revoke_tokens(user) -> int:
    return ApiToken.objects.filter(user=user).delete()[0]


@transaction.atomic
def set_password(user, password: str) -> None:
    """New password; every API token is revoked. Sessions made with the old password end by themselves:
    Django checks each session's password hash on every request."""
    user.set_password(password)
    user.save(update_fields=["password"])
    revoke_tokens(user)


def reset_password(user) -> str:
    """A temporary password (returned to show once); the user's sessions and tokens stop working."""
    temporary = generate_password()
    set_password(user, temporary)
    return temporary


@transaction.atomic
def set_active(user, active: bool) -> None:
    """Deactivated users cannot log in and their sessions and tokens stop working (kept for history)."""
    if not active and user.is_superuser and not _other_active_superadmins(user):
        raise Conflict(_("this is the last superadmin; it cannot be deactivated"))
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        revoke_tokens(user)


def get_user_by_name(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(_("no user named '%(username)s'") % {"username": username})
    return user


def set_avatar(user, asset_id) -> None:
    """The avatar must be a photo the user can see (a hidden one would leak through their profile)."""
    if asset_id in (None, ""):
        user.avatar = None
    else:
        asset = Asset.objects.visible_to(user).alive().filter(pk=asset_id, kind=Asset.Kind.PHOTO).first()
        if asset is None:
            raise BadInput(_("choose one of your own photos"), field="avatar")
        user.avatar = asset
    user.save(update_fields=["avatar"])
