"""Sharing a library with users of this MediaHub: they see its photos (view only; a library is a
folder on the server, so only its manager changes it). The Libraries page, the Users page, the API
and `manage.py share_library` all come here."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.errors import BadInput

from .models import Library


def _check_users(users) -> list:
    users = list(users)
    for user in users:
        if not user.is_active:
            raise BadInput(_("'%(username)s' is deactivated") % {"username": user.username}, field="users")
    return users


@transaction.atomic
def share_library(library: Library, users) -> list:
    """Let `users` see the library; sharing again with someone who has it changes nothing.
    Returns the users who newly got it. The owner needs no share."""
    users = [u for u in _check_users(users) if u.pk != library.owner_id]
    already = set(library.shared_with.filter(pk__in=[u.pk for u in users]).values_list("pk", flat=True))
    added = [u for u in users if u.pk not in already]
    library.shared_with.add(*added)
    return added


@transaction.atomic
def unshare_library(library: Library, users) -> list:
    """Stop sharing with `users`; returns those who had it. Albums they were given stay theirs."""
    users = list(users)
    had = set(library.shared_with.filter(pk__in=[u.pk for u in users]).values_list("pk", flat=True))
    library.shared_with.remove(*[u for u in users if u.pk in had])
    return [u for u in users if u.pk in had]


def users_by_id(ids) -> list:
    """Users for ids a form or the API sent; an unknown id names the field, it is not skipped."""
    try:
        ids = {int(i) for i in ids}
    except (TypeError, ValueError):
        raise BadInput(_("a user is given by its id, a number"), field="users") from None
    if not ids:
        raise BadInput(_("choose at least one user"), field="users")
    found = list(get_user_model().objects.filter(pk__in=ids))
    missing = ids - {u.pk for u in found}
    if missing:
        raise BadInput(_("no user with id %(ids)s")
                       % {"ids": ", ".join(map(str, sorted(missing)))}, field="users")
    return found


def users_by_name(names) -> list:
    found = {u.username: u for u in get_user_model().objects.filter(username__in=list(names))}
    missing = [n for n in names if n not in found]
    if missing:
        raise BadInput(_("no user named %(names)s")
                       % {"names": ", ".join(repr(n) for n in missing)}, field="users")
    return [found[n] for n in names]


def shareable_users(library: Library):
    """Active users who could be given the library: not its owner, not already sharing it."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(pk=library.owner_id)
        .exclude(pk__in=library.shared_with.values("pk"))
        .order_by("username")
    )
