"""Public share links: made by an album's owner (or anyone for photos of their own libraries),
opened by people without an account under /s/<token>/.

A link shows its album's items (or its hand-picked assets) not in the trash, and nothing else.
Unknown and revoked tokens are the same 404; an expired link is 410. Wrong passwords are throttled
like logins (apps.accounts.throttling, keyed by the link).
"""

from datetime import timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import throttling
from apps.albums.models import Album, AlbumItem, ShareLink
from apps.assets.models import Asset
from apps.core import events, keyset
from apps.core.errors import BadInput, Conflict, NotFound, ServiceError
from apps.core.querysets import Action, check_action

from .items import ORDER_KEYS, row_with_neighbours

MIN_PASSWORD = 4
MAX_ASSETS = 10_000
# Opening a link records when, but a page and its thumbnails are one visit, not fifty writes.
LAST_OPENED_GRANULARITY = timedelta(minutes=1)
CHANGEABLE = ("title", "expires_at", "password", "allow_download", "show_metadata", "revoked")


class LinkExpired(ServiceError):
    status = 410

    def __init__(self, link: ShareLink):
        super().__init__(f"This link expired on {timezone.localtime(link.expires_at):%d %B %Y at %H:%M}.")
        self.link = link


class TooManyAttempts(ServiceError):
    status = 429

    def __init__(self, retry_after: int):
        super().__init__(f"Too many wrong passwords; try again in {retry_after} s.")
        self.retry_after = retry_after


def create_link(user, *, album: Album | None = None, asset_ids=None, **options) -> ShareLink:
    """A link to `album` (its owner only) or to hand-picked assets the user sees through their own
    libraries. Options: title, expires_at, password, allow_download, show_metadata."""
    if (album is None) == (not asset_ids):
        raise BadInput(_("a link shares either an album or a list of assets"), field="assets")
    picked = []
    if album is not None:
        check_action(album, user, Action.MANAGE)
        if album.is_smart:
            raise Conflict(_("a smart album changes with each viewer; freeze it before sharing it by link"))
    else:
        picked = _own_assets(user, asset_ids)
    link = ShareLink(owner=user, album=album)
    _apply(link, {k: v for k, v in options.items() if v is not None})
    link.save()
    if album is not None:
        events.emit(events.ALBUM_SHARED, album, {"album": album.pk, "via": "link", "link": link.pk})
    if picked:
        # In the order picked: the link shows them so (set() would add them in any order).
        through = ShareLink.assets.through
        through.objects.bulk_create([through(sharelink_id=link.pk, asset_id=pk) for pk in picked])
    return link


def _own_assets(user, asset_ids) -> list:
    ids = list(dict.fromkeys(asset_ids))
    if len(ids) > MAX_ASSETS:
        raise BadInput(_("at most %(MAX_ASSETS)s assets") % {"MAX_ASSETS": MAX_ASSETS}, field="assets")
    found = set(Asset.objects.in_libraries_of(user).alive().filter(pk__in=ids).values_list("pk", flat=True))
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise BadInput(_("not found: %(names)s") % {"names": ', '.join(missing[:20])}, field="assets")
    return ids


def update_link(user, link: ShareLink, **changes) -> ShareLink:
    check_action(link, user, Action.CHANGE)
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise BadInput(_("cannot be changed: %(names)s") % {"names": ', '.join(sorted(unknown))})
    _apply(link, changes)
    link.save()
    return link


def _apply(link: ShareLink, changes: dict) -> None:
    if "expires_at" in changes:
        expires = changes["expires_at"]
        if expires is not None and expires <= timezone.now():
            raise BadInput(_("the expiry must be in the future"), field="expires_at")
        link.expires_at = expires
    if "password" in changes:
        password = changes["password"] or ""
        if password and len(password) < MIN_PASSWORD:
            raise BadInput(_("at least %(MIN_PASSWORD)s characters (or none)")
                           % {"MIN_PASSWORD": MIN_PASSWORD}, field="password")
        link.password = make_password(password) if password else ""
    if "revoked" in changes:
        if link.revoked_at and not changes["revoked"]:
            raise BadInput(_("a revoked link stays revoked; make a new one"), field="revoked")
        if changes["revoked"] and not link.revoked_at:
            link.revoked_at = timezone.now()
    for name in ("title", "allow_download", "show_metadata"):
        if name in changes:
            setattr(link, name, changes[name])


def open_link(token: str) -> ShareLink:
    """The active link for `token`: NotFound for unknown or revoked, LinkExpired past its expiry."""
    link = ShareLink.objects.active().select_related("album").filter(token=token).first() if token else None
    if link is None:
        raise NotFound(_("There is no such link, or it was revoked."))
    if link.expired:
        raise LinkExpired(link)
    now = timezone.now()
    if link.last_opened is None or now - link.last_opened > LAST_OPENED_GRANULARITY:
        ShareLink.objects.filter(pk=link.pk).update(last_opened=now)
        link.last_opened = now
    return link


def unlock_link(link: ShareLink, password: str, ip: str | None) -> bool:
    """Whether `password` opens the link; wrong ones count like failed logins (TooManyAttempts)."""
    key = f"share-link:{link.pk}"
    wait = throttling.seconds_to_wait(key, ip)
    if wait:
        raise TooManyAttempts(wait)
    if check_password(password or "", link.password):
        throttling.clear_account(key, ip)
        return True
    throttling.record_failure(key, ip, reason="share-link")
    return False


def link_assets(link: ShareLink):
    """The assets a link shows, not in the trash: its album's items or its hand-picked assets."""
    rows, _field, _descending = _rows(link)
    return Asset.objects.alive().filter(pk__in=rows.values("asset_id"))


def _rows(link: ShareLink):
    """(rows with an `asset`, order field, descending): the album's items in the album's order, or
    the hand-picked assets in the order they were picked; none in the trash."""
    if link.album_id is not None:
        field, descending = ORDER_KEYS[link.album.sort]
        return AlbumItem.objects.filter(album_id=link.album_id).alive(), field, descending
    picked = ShareLink.assets.through.objects.filter(sharelink_id=link.pk, asset__deleted_at__isnull=True)
    return picked, "id", False


def link_page(link: ShareLink, cursor: str | None = None, size: int = 60) -> keyset.Page:
    """A page of the link's rows (each with `.asset`), in its order. ValueError for a bad cursor."""
    rows, field, descending = _rows(link)
    return keyset.page(rows.select_related("asset"), field, descending, cursor, size)


def link_asset(link: ShareLink, asset_id):
    """One asset the link shows, with (previous, next) asset ids in the link's order; NotFound for
    any other asset, whoever owns it."""
    rows, field, descending = _rows(link)
    try:
        row, before, after = row_with_neighbours(rows, field, descending, asset_id)
    except NotFound:
        raise NotFound(_("This link does not show that photo.")) from None
    return row.asset, before, after


def link_entries(link: ShareLink):
    """Every asset of the link in its order, streamed from the database (for the ZIP)."""
    rows, field, descending = _rows(link)
    return (
        row.asset
        for row in keyset.ordered(rows, field, descending).select_related("asset__library").iterator(500)
    )
