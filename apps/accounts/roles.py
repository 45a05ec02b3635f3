"""Roles are the one source of truth for who may do what.

A role is a Django group (`user`, `admin`) holding Django permissions, so the admin site and
the DRF permission classes (apps/accounts/permissions.py) read the same data. `superadmin` is
Django's `is_superuser`: it holds every permission without a group.
"""

from enum import StrEnum


class Role(StrEnum):
    USER = "user"
    ADMIN = "admin"
    SUPERADMIN = "superadmin"

    @property
    def rank(self) -> int:
        return ROLE_ORDER.index(self)


ROLE_ORDER = [Role.USER, Role.ADMIN, Role.SUPERADMIN]

# Permissions per group, as "app_label.codename"; "app_label.*" is every permission of that app
# (apps such as people and albums get models later, and their permissions join on the next migrate).
# Each role also holds the permissions of the roles below it.
ROLE_PERMISSIONS: dict[Role, set[str]] = {
    # View own + shared, rate/favourite/reject, manage own albums.
    Role.USER: {
        "assets.view_asset",
        "scanning.view_library",
        "assets.view_assetuserstate",
        "assets.add_assetuserstate",
        "assets.change_assetuserstate",
        "assets.delete_assetuserstate",
        "albums.*",
    },
    # Also manage people/faces and curate shared libraries (their metadata, not their roots).
    Role.ADMIN: {
        "people.*",
        "assets.change_asset",
        "scanning.change_library",
        "scanning.view_scanrun",
        "webhooks.*",  # their own hooks only (Webhook.objects.visible_to)
    },
}

# Roles whose holders may open the Django admin (it filters what they see by the permissions above).
STAFF_ROLES = {Role.ADMIN, Role.SUPERADMIN}


def permissions_of(role: Role) -> set[str]:
    """The role's own permissions plus those of every role below it."""
    return set().union(*(ROLE_PERMISSIONS.get(r, set()) for r in ROLE_ORDER[: role.rank + 1]))


def sync_role_groups(Group, Permission, using="default") -> None:
    """Create the role groups and set their permissions (idempotent: migrations and post_migrate call it)."""
    for role in (Role.USER, Role.ADMIN):
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        wanted = permissions_of(role)
        exact = {tuple(p.split(".", 1)) for p in wanted if not p.endswith(".*")}
        whole_apps = {p[: -len(".*")] for p in wanted if p.endswith(".*")}
        permissions = [
            perm
            for perm in Permission.objects.using(using).select_related("content_type")
            if (app := perm.content_type.app_label) in whole_apps or (app, perm.codename) in exact
        ]
        group.permissions.set(permissions)
