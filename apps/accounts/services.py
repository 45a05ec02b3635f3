import secrets

from django.contrib.auth import get_user_model


def ensure_admin(username: str, password: str | None = None) -> tuple[object, str | None]:
    """Create the first superuser once. Returns the user and the password when one was generated."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, None
    generated = None
    if not password:
        password = generated = secrets.token_urlsafe(12)
    user = User.objects.create_superuser(username=username, email="", password=password)
    return user, generated
