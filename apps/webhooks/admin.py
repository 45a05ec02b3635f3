"""Webhooks in the Django admin: admins register their own hooks here (apps.accounts.admin_visibility
narrows every list to `visible_to`, so an admin sees only their own hooks and deliveries) and read
the delivery log, with a "Redeliver" action."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Attempt, Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "events", "active", "owner", "created"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    readonly_fields = ["owner", "secret", "created"]
    fields = ["name", "url", "events", "active", "secret", "owner", "created"]
    actions = ["ping"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # what Django 6 will assume

    def save_model(self, request, obj, form, change):
        if not change:
            obj.owner = request.user  # a hook hears what its owner sees: the admin who made it
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Send a test delivery (ping)"))
    def ping(self, request, queryset):
        for hook in queryset:
            services.ping(request.user, hook)
        count = len(queryset)
        self.message_user(request, ngettext("%d ping queued.", "%d pings queued.", count) % count)


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = readonly_fields = ["number", "started", "duration_ms", "status_code", "response", "error"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "hook", "state", "attempts", "last_status", "created", "next_attempt_at"]
    list_filter = ["state", "event"]
    list_select_related = ["hook"]
    search_fields = ["=event_id", "hook__name"]
    readonly_fields = ["hook", "event", "event_id", "payload", "state", "attempts", "next_attempt_at",
                       "created", "finished"]
    inlines = [AttemptInline]
    actions = ["redeliver"]

    def has_add_permission(self, request):
        return False  # deliveries come from events

    def has_change_permission(self, request, obj=None):
        return False  # a log: read, redelivered, or deleted

    @admin.display(description=_("last answer"))
    def last_status(self, delivery):
        last = delivery.attempt_log.order_by("-number").first()
        return (last.status_code or last.error[:60]) if last else "-"

    @admin.action(description=_("Redeliver"))
    def redeliver(self, request, queryset):
        for delivery in queryset.select_related("hook"):
            services.redeliver(delivery)
        count = len(queryset)
        self.message_user(
            request, ngettext("%d delivery queued again.", "%d deliveries queued again.", count) % count,
            messages.SUCCESS,
        )
