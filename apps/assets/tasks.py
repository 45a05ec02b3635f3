"""django-q2 entry points of the assets app. Thin: the work is in the services.

`purge_trash` is called daily by the "Purge trash" schedule (created by migration 0005, editable in
the admin)."""

from . import trash


def purge_trash() -> str:
    result = trash.purge_expired()
    return f"{result.deleted} deleted for good, {len(result.kept)} kept"
