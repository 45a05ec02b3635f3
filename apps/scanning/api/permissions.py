"""Who may manage libraries and scans: superadmins, by the roles of apps/accounts/roles.py."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.accounts.roles import Role


def can_manage_libraries(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.SUPERADMIN))


class LibraryPermission(BasePermission):
    """Reading what you can see is open to every signed-in user; changing needs a library manager.

    Object actions are decided per object, after the visible_to lookup, so a library the caller
    cannot see answers 404 and one they can see but not change answers 403.
    """

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS or getattr(view, "detail", False):
            return True
        return can_manage_libraries(request.user)

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or can_manage_libraries(request.user)


class IsLibraryManager(BasePermission):
    def has_permission(self, request, view):
        return can_manage_libraries(request.user)
