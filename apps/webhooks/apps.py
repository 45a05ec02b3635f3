from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "apps.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        # Events reach hooks through apps.core.events, so the apps that emit them never import this one;
        # the retry loop rides on each worker cluster's tick, as scans and stages do.
        from apps.webhooks import receivers  # noqa: F401
