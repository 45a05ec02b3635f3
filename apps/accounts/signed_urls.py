"""Short-lived signed media URLs, so <img> and <video> tags work without putting an API token in a page.

The signature binds the user, the asset, the kind of media and an expiry time (plus a fragment of
the user's password hash, so a password change revokes every URL already handed out). It only
authenticates: the media view still filters by `visible_to(user)`, so a signed URL stops working as
soon as the user loses access; a URL made for one asset is refused on any other, and one made for a
thumbnail or preview does not fetch the original.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

SALT = "mediahub.media-url"
PARAM = "sig"
MEDIA_KINDS = ("thumbnail", "preview", "original", "video", "audio.mp3")
# The URL kwarg names media routes may use for the asset id.
ASSET_KWARGS = ("pk", "id", "asset_id")
# The media view's action for each kind (its route name is `asset-<action>`).
KIND_OF_ACTION = {kind.removesuffix(".mp3"): kind for kind in MEDIA_KINDS}


def _password_fragment(user) -> str:
    return user.get_session_auth_hash()[:12]


def sign_media(user, asset_id, kind: str, expires_in: int | None = None) -> str:
    ttl = settings.MEDIAHUB_SIGNED_URL_TTL if expires_in is None else expires_in
    payload = {
        "u": user.pk,
        "a": str(asset_id),
        "k": kind,
        "e": int(time.time()) + ttl,
        "h": _password_fragment(user),
    }
    return signing.dumps(payload, salt=SALT, compress=False)


def signed_media_url(user, asset, kind: str, expires_in: int | None = None) -> str:
    """`/api/assets/<id>/<kind>?sig=...`, valid `expires_in` seconds (default MEDIAHUB_SIGNED_URL_TTL)."""
    if kind not in MEDIA_KINDS:
        raise ValueError(f"unknown media kind '{kind}' (one of {', '.join(MEDIA_KINDS)})")
    asset_id = getattr(asset, "pk", asset)
    path = reverse(f"asset-{kind.removesuffix('.mp3')}", kwargs={"pk": asset_id})
    return f"{path}?{urlencode({PARAM: sign_media(user, asset_id, kind, expires_in)})}"


def user_for_signature(signature: str, asset_id: str, kind: str):
    """The user the signature was made for, if it is genuine, unexpired and made for this asset and kind."""
    try:
        payload = signing.loads(signature, salt=SALT)
    except signing.BadSignature:
        raise AuthenticationFailed("Invalid media signature.") from None
    if payload.get("e", 0) < time.time():
        raise AuthenticationFailed("This media link has expired.")
    if str(payload.get("a")) != str(asset_id):
        raise AuthenticationFailed("This media link was made for another file.")
    if payload.get("k") != kind:
        raise AuthenticationFailed("This media link was made for another rendition of the file.")
    user = get_user_model().objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None or _password_fragment(user) != payload.get("h"):
        raise AuthenticationFailed("This media link is no longer valid.")
    return user


class SignedMediaAuthentication(BaseAuthentication):
    """`?sig=` on media routes. Without the parameter it steps aside for the other authenticators."""

    def authenticate(self, request):
        signature = request.query_params.get(PARAM)
        if not signature:
            return None
        kwargs = (request.parser_context or {}).get("kwargs", {})
        asset_id = next((kwargs[name] for name in ASSET_KWARGS if name in kwargs), None)
        kind = KIND_OF_ACTION.get(getattr((request.parser_context or {}).get("view"), "action", None))
        if asset_id is None or kind is None:
            raise AuthenticationFailed("Media signatures only work on media routes.")
        return user_for_signature(signature, asset_id, kind), None

    def authenticate_header(self, request):
        return "Token"
