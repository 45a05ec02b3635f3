from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin

from apps.core.errors import ServiceError

from . import services
from .models import ApiToken, LoginFailure, TotpDevice, User
from .roles import Role


def _role_action(role: Role):
    def action(modeladmin, request, queryset):
        for user in queryset:
            try:
                services.set_role(user, role)
            except ServiceError as exc:
                modeladmin.message_user(request, f"{user}: {exc}", messages.ERROR)

    action.__name__ = f"make_{role.value}"
    action.short_description = f"Give the {role.value} role"
    return action


@admin.register(User)
class MediaHubUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("Profile", {"fields": ("display_name", "avatar")}),)
    raw_id_fields = ("avatar",)
    list_display = ("username", "display_name", "email", "role", "is_active", "last_login")
    list_filter = ("is_active", "is_superuser", "groups")
    search_fields = ("username", "display_name", "email")
    # Roles go through services.set_role so is_superuser, is_staff and groups never disagree.
    actions = [_role_action(role) for role in Role]

    @admin.display(description="role")
    def role(self, user):
        return user.role


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created", "last_used")
    search_fields = ("name", "user__username", "prefix")
    list_select_related = ("user",)
    readonly_fields = ("user", "name", "prefix", "key_hash", "created", "last_used")

    def has_add_permission(self, request):
        return False  # keys are shown once to their owner: create them at /api/auth/tokens/


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    """Deleting a device turns two-factor off for a user who lost their phone and codes."""

    list_display = ("user", "confirmed_at", "created")
    search_fields = ("user__username",)
    exclude = ("secret",)
    readonly_fields = ("user", "confirmed_at", "last_step")

    def has_add_permission(self, request):
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "ip", "reason")
    list_filter = ("reason",)
    search_fields = ("username", "ip")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
