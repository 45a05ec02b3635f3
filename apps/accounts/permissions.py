"""DRF permission classes built on the roles of apps/accounts/roles.py (the one source of truth).

They live in apps/accounts, beside the roles, because apps/core imports no app.

Visibility is not decided here: querysets go through `visible_to(user)`, so objects a user cannot
see answer 404. These classes only gate *actions* by role, e.g.

    permission_classes = [HasRole("admin")]
    permission_classes = [IsAuthenticated, HasRole("superadmin") | ReadOnly]
"""

from rest_framework.permissions import AND, OR, SAFE_METHODS, BasePermission, OperandHolder

from .roles import Role


class HasRole(BasePermission):
    """Authenticated, active, and holding at least `role` (superadmin > admin > user)."""

    def __init__(self, role: Role | str):
        self.role = Role(role)

    def __call__(self):
        # DRF instantiates each entry of permission_classes; an instance stands in for its class.
        return self

    # Let `HasRole("admin") | ReadOnly` compose like a class does.
    def __or__(self, other):
        return OperandHolder(OR, self, other)

    def __and__(self, other):
        return OperandHolder(AND, self, other)

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_role(self.role))

    def __repr__(self):
        return f"HasRole({self.role.value!r})"


class ReadOnly(BasePermission):
    def has_permission(self, request, view):
        return request.method in SAFE_METHODS

