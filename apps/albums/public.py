"""The public side of share links, for visitors without an account: /s/<token>/...

Everything here starts from the token (services.open_link: unknown or revoked 404, expired 410 with
its own page) and serves only the assets of that link: an asset id from anywhere else is a 404,
and no other page, API or id of the instance is reachable through it. A link with a password asks
for it once per browser session (wrong ones throttled like logins). With metadata off, pages show
no camera or place, and originals are sent without their tags (apps/albums/stripping.py).
"""

from functools import wraps

from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.throttling import client_ip
from apps.assets.derivatives import serving
from apps.assets.derivatives.storage import Derivative, existing
from apps.core.errors import NotFound
from apps.core.file_responses import content_disposition, file_response

from . import downloads, services, stripping

PAGE_SIZE = 60
CACHE = "private, max-age=300"  # short: a revoked link must stop showing soon, even from caches


def _unlocked(request, link) -> bool:
    # Bound to the password hash: changing the password locks every session out again.
    return not link.has_password or request.session.get(f"share-link-{link.pk}") == link.password[-16:]


def opened(view=None, *, asks_password: bool = False):
    """Open the link of the URL's token; render the expired page (410); send a visitor who has not
    given the password yet to the page that asks for it."""
    if view is None:
        return lambda view: opened(view, asks_password=asks_password)

    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        try:
            link = services.open_link(token)
        except services.LinkExpired as exc:
            return render(request, "albums/public/expired.html", {"error": exc}, status=410)
        if not asks_password and not _unlocked(request, link):
            return redirect("shared-link", token=link.token)
        return view(request, link, *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
@opened(asks_password=True)
def link_page(request, link):
    if not _unlocked(request, link):
        return _password_form(request, link)
    try:
        page = services.link_page(link, request.GET.get("cursor"), PAGE_SIZE)
    except ValueError:
        raise NotFound(_("no such page")) from None
    next_url = f"?cursor={page.next_cursor}" if page.next_cursor else None
    context = {"link": link, "rows": page.items, "next_url": next_url, "title": _title(link)}
    if request.htmx:
        return render(request, "albums/public/link.html#grid-page", context)
    context["count"] = services.link_assets(link).count()
    return render(request, "albums/public/link.html", context)


def _password_form(request, link):
    context = {"link": link, "title": _title(link), "wrong": False}
    if request.method != "POST":
        return render(request, "albums/public/password.html", context, status=401)
    try:
        if services.unlock_link(link, request.POST.get("password", ""), client_ip(request)):
            request.session[f"share-link-{link.pk}"] = link.password[-16:]
            return redirect("shared-link", token=link.token)
    except services.TooManyAttempts as exc:
        response = render(request, "albums/public/password.html", {**context, "error": exc}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    return render(request, "albums/public/password.html", {**context, "wrong": True}, status=401)


def _title(link) -> str:
    return link.album.title if link.album_id else (link.title or "Shared photos")


@require_GET
@opened
def link_detail(request, link, asset_id):
    asset, previous, following = services.link_asset(link, asset_id)
    context = {
        "link": link,
        "asset": asset,
        "previous": previous,
        "next": following,
        "title": _title(link),
        "original_available": link.allow_download and (link.show_metadata or stripping.strippable(asset)),
    }
    return render(request, "albums/public/detail.html", context)


def _media(view):
    @require_GET
    @opened
    @wraps(view)
    def wrapper(request, link, asset_id):
        asset, _previous, _next = services.link_asset(link, asset_id)
        try:
            return view(request, link, asset)
        except (serving.MediaUnavailable, stripping.CannotStrip) as exc:
            raise NotFound(str(exc)) from exc

    return wrapper


def _file(request, media, asset, **options):
    return file_response(
        request,
        media.path,
        content_type=media.content_type,
        cache_control=CACHE,
        etag_key=f"link:{asset.pk}:{asset.content_hash}:{media.kind}",
        **options,
    )


@_media
def link_thumbnail(request, link, asset):
    # Derivatives are written without tags (apps/assets/derivatives/images.py): safe either way.
    return _file(request, serving.image(asset, Derivative.THUMBNAIL), asset)


@_media
def link_preview(request, link, asset):
    return _file(request, serving.image(asset, Derivative.PREVIEW), asset)


@_media
def link_video(request, link, asset):
    if link.show_metadata or existing(asset.pk, Derivative.TRANSCODE) is not None:  # transcodes carry no tags
        return _file(request, serving.playable_video(asset), asset, ranges=True)
    source = serving.original(asset)
    return StreamingHttpResponse(stripping.video_without_tags(source.path), content_type="video/mp4")


@_media
def link_original(request, link, asset):
    if not link.allow_download:
        raise NotFound(_("The owner of this link does not allow downloads."))
    source = serving.original(asset)
    if link.show_metadata:
        return _file(request, source, asset, download_name=asset.filename, ranges=True)
    response = StreamingHttpResponse(stripping.stripped(asset, source.path), content_type=source.content_type)
    response["Content-Disposition"] = content_disposition(downloads.download_name(asset, strip=True))
    return response


@require_GET
@opened
def link_zip(request, link):
    """Every original of the link in one ZIP, written while it downloads."""
    if not link.allow_download:
        raise NotFound(_("The owner of this link does not allow downloads."))
    return downloads.zip_response(_title(link), services.link_entries(link), strip=not link.show_metadata)
