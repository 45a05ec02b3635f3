"""Every HTML page of the URLconf, for the walks of tests/ui/test_every_page.py.

Routes come from the URLconf, so a page added later is walked too. A route with parameters needs
them: FILL says how to fill them from the seeded objects, SKIP names the parameterised routes that
are not pages (POST actions, htmx fragments, media). A parameterised route in neither fails the walk.
"""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.albums import services as albums
from apps.assets.derivatives.images import make_photo_derivatives
from apps.assets.stacks import services as stacks
from apps.scanning.models import AssetStage, ScanRun
from apps.search.ocr import engine as ocr, reading as ocr_reading
from apps.tags import services as tags
from tests.assets.media_samples import asset_for, library_at, quadrant_pattern
from tests.people.factories import FaceFactory, PersonFactory, unit

# Prefixes of other people's UIs (Django's admin) and of the API, whose pages are DRF's: only the
# browsable API's root is walked (it must fit a phone), and third-party pages skip the axe check.
NOT_WALKED = ("admin/", "api/")
WALKED_API = ["/api/", "/api/libraries/"]
THIRD_PARTY = ("/api/",)

# name -> a function of the seed giving the route's kwargs.
FILL = {
    "photo-detail": lambda s: {"pk": s["photo"].pk},
    "person": lambda s: {"pk": s["person"].pk},
    "album": lambda s: {"pk": s["album"].pk},
    "album-viewer": lambda s: {"pk": s["album"].pk, "asset_id": s["photo"].pk},
    "user-edit": lambda s: {"pk": s["user"].pk},
    "scan-errors": lambda s: {"pk": s["scan"].pk},
    "folder": lambda s: {"library": s["photo"].library_id},
    "asset-tags": lambda s: {"asset_id": s["photo"].pk},  # a fragment: the walk keeps whole pages only
    "shared-link": lambda s: {"token": s["link"].token},
    "shared-link-asset": lambda s: {"token": s["link"].token, "asset_id": s["photo"].pk},
}
SKIP = {
    "user-libraries", "user-reset-password", "album-share", "album-zip", "asset-albums",
    "shared-link-zip", "shared-link-thumbnail", "shared-link-preview", "shared-link-video",
    "shared-link-original", "duplicate-action", "photo-similar", "people-suggestion-dismiss",
    "person-faces", "library-action", "scan-progress", "scan-retry", "job-action",
    "signup-invited",  # a page for visitors with a valid invitation only (tests/accounts/test_signup.py)
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def page_urls(seed) -> tuple[list[str], list[str]]:
    """(URLs to walk, parameterised route names nobody said how to fill)."""
    urls, unknown = [], []
    for route, entry in _walk(get_resolver().url_patterns):
        if route.startswith(NOT_WALKED) or not entry.name:
            continue
        has_params = "<" in route or "(?P" in route or entry.pattern.regex.groups
        if not has_params:
            urls.append(reverse(entry.name))
        elif entry.name in FILL:
            urls.append(reverse(entry.name, kwargs=FILL[entry.name](seed)))
        elif entry.name not in SKIP:
            unknown.append(entry.name)
    return sorted(set(urls)) + WALKED_API, unknown


def seed(root, superuser, other) -> dict:
    """Some of everything, owned by the superuser: photos with previews (tagged, stacked, with text), a
    person, an album and its link, a scan with a failed file, another user."""
    root.mkdir(parents=True, exist_ok=True)
    library = library_at(root, superuser)
    library.read_only = False  # the folder page then shows its file operations (the walk clicks nothing)
    library.save(update_fields=["read_only"])
    photos = []
    for n, size in enumerate([(1200, 800), (800, 1200)]):
        quadrant_pattern(*size).save(root / f"IMG_{n}.jpg", quality=80)
        photo = asset_for(library, f"IMG_{n}.jpg", mime="image/jpeg", width=size[0], height=size[1])
        make_photo_derivatives(root / f"IMG_{n}.jpg", photo.pk)
        photos.append(photo)
    person = PersonFactory(name="Ada")
    FaceFactory(asset=photos[0], person=person)
    # Two unassigned look-alikes: the Unassigned page shows them as a group too.
    FaceFactory(asset=photos[1], embedding=unit(1.0, 0.1))
    FaceFactory(asset=photos[0], x=120, embedding=unit(1.0, 0.0))
    album = albums.create_album(superuser, "Summer")
    albums.add_items(superuser, album, [p.pk for p in photos])
    link = albums.create_link(superuser, album=album)
    scan = ScanRun.objects.create(
        library=library, state="done", errors=1, error_log=[{"path": "bad.jpg", "error": "unreadable"}]
    )
    AssetStage.objects.create(asset=photos[1], stage="metadata", error="ValueError: broken", attempts=1)
    tags.add_tags(superuser, [photos[0].pk], ["Places/Italy/Rome", "Family"], colour="#b45309")
    # Text read in the photo: the info panel lists it under a toggle for the overlay.
    ocr_reading.store([(photos[0], [ocr.Line("VIA APPIA ANTICA", 0.93, [[0.1, 0.1], [0.6, 0.1], [0.6, 0.2], [0.1, 0.2]])])])
    stacks.stack_by_hand(superuser, [p.pk for p in photos], cover_id=photos[0].pk)  # the strip, the badge
    return {"photo": photos[0], "person": person, "album": album, "link": link, "scan": scan, "user": other}
