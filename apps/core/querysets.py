"""Who may do what to user content: one queryset method per model, in the style of NetBox's
`RestrictedQuerySet.restrict(user, action)`.

    Asset.objects.visible_to(user)                    # what the user may see
    Asset.objects.visible_to(user, Action.CHANGE)     # what they may also change
    Library.objects.visible_to(user, Action.MANAGE)   # what they may manage (scan, remove, share)

Every API view, HTML view, media response, stat and search starts from it; nothing asks "may
change?" by hand. The API applies it per HTTP method in apps/core/api/viewsets.py.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext as _

from apps.core.errors import NotFound, Refused


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    DELETE = "delete"
    MANAGE = "manage"
    # The original file (assets): a member of a shared album sees its photos but downloads their
    # originals only when the album allows it.
    DOWNLOAD = "download"


class VisibleQuerySet(models.QuerySet):
    """Subclasses implement `visible_to(user, action)`; `refusal` is what a caller who sees an
    object but may not act on it is told (403)."""

    refusal = "you may not {action} this {model}"

    def visible_to(self, user, action: Action | str = Action.VIEW):
        raise NotImplementedError

    def refusal_for(self, action: Action | str) -> str:
        return self.refusal.format(action=Action(action).value, model=self.model._meta.verbose_name)


def check_action(obj, user, action: Action | str):
    """`obj` (already known visible) again, or Refused when `user` may not `action` it."""
    queryset = type(obj)._default_manager.all()
    if Action(action) != Action.VIEW and not queryset.visible_to(user, action).filter(pk=obj.pk).exists():
        raise Refused(queryset.refusal_for(action))
    return obj


def get_visible(queryset, user, action: Action | str = Action.VIEW, **lookup):
    """The object matching `lookup` that `user` sees: NotFound when invisible (or absent, never
    telling which), Refused when visible but not open to `action`. For HTML views and services."""
    obj = queryset.visible_to(user).filter(**lookup).first()
    if obj is None:
        raise NotFound(_("%(verbose_name)s not found") % {"verbose_name": queryset.model._meta.verbose_name})
    return check_action(obj, user, action)
