from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_roles_after_last_app(sender, using="default", **kwargs):
    # post_migrate fires once per app; permissions of apps after ours only exist at the last one.
    if sender is not list(apps.get_app_configs())[-1]:
        return
    from django.contrib.auth.models import Group, Permission

    from .roles import sync_role_groups

    sync_role_groups(Group, Permission, using=using)


class AccountsConfig(AppConfig):
    verbose_name = "Accounts"
    name = "apps.accounts"
    label = "accounts"

    def ready(self):
        from . import signals  # noqa: F401  (login success/failure bookkeeping)

        post_migrate.connect(_sync_roles_after_last_app, dispatch_uid="accounts.sync_role_groups")
        # The admin app (listed before us) has registered every ModelAdmin by now.
        from .admin_visibility import restrict_admin_to_visible

        restrict_admin_to_visible()
