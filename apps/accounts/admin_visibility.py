"""The Django admin honours `visible_to` too.

Admins (role `admin`) open the Django admin to curate what they can see; the admin's own querysets
know nothing about libraries, so without this an admin would list every private photo by filename
and GPS position. Every registered model whose queryset offers `visible_to` gets its changelist,
change pages, search, autocomplete and filter choices narrowed to it (a superadmin still sees everything, as
visible_to says, and everyone's tokens and 2FA devices, to revoke and reset them).
"""

from django.contrib import admin

from apps.core.models import VisibleQuerySet


def _visible_get_queryset(original):
    def get_queryset(request):
        queryset = original(request)
        # Superadmins manage everyone's rows here, secrets included (revoking tokens, resetting 2FA).
        return queryset if request.user.is_superuser else queryset.visible_to(request.user)

    get_queryset.visible_to_applied = True
    return get_queryset


def _related_only(model, list_filter):
    """Relation filters list only what the visible rows point to: a plain one lists every library name."""
    narrowed = []
    for item in list_filter:
        if isinstance(item, str) and "__" not in item and model._meta.get_field(item).is_relation:
            item = (item, admin.RelatedOnlyFieldListFilter)
        narrowed.append(item)
    return tuple(narrowed)


def restrict_admin_to_visible(site: admin.AdminSite = admin.site) -> list[str]:
    """Wrap each ModelAdmin of a model with a VisibleQuerySet; returns the models it wrapped."""
    wrapped = []
    for model, model_admin in site._registry.items():
        if not isinstance(model._default_manager.all(), VisibleQuerySet):
            continue
        if getattr(model_admin.get_queryset, "visible_to_applied", False):
            continue
        model_admin.get_queryset = _visible_get_queryset(model_admin.get_queryset)
        model_admin.list_filter = _related_only(model, model_admin.list_filter)
        wrapped.append(model._meta.label)
    return wrapped
