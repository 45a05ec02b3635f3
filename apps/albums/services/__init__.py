"""Albums as plain functions: the API, the pages, the admin and commands call these, never each other.

Each function is given objects the caller already fetched through `visible_to` (a 404 for what is
not seen) and checks the action it needs with `check_action` (a 403 for what is seen but not
allowed); failures are apps.core.errors.
"""

from .albums import create_album, delete_album, update_album  # noqa: F401
from .items import (  # noqa: F401
    MAX_BATCH,
    ItemResult,
    add_items,
    album_asset,
    album_entries,
    items_page,
    move_item,
    remove_items,
)
from .links import (  # noqa: F401
    LinkExpired,
    TooManyAttempts,
    create_link,
    link_asset,
    link_assets,
    link_entries,
    link_page,
    open_link,
    unlock_link,
    update_link,
)
from .members import add_member, remove_member  # noqa: F401
from .smart import evaluate, freeze, live_count  # noqa: F401
