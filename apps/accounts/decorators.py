from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .roles import Role


def role_required(role: Role | str):
    """HTML views: log in first, then at least `role` (403 otherwise; the page itself is no secret)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(role):
                raise PermissionDenied(f"this page needs the {Role(role).value} role")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
