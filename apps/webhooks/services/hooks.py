"""Registering hooks. Only admins may: a hook hears everything its owner sees, and sends it off the
server, so it is an admin's decision (README "Webhooks" says who hears what)."""

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from apps.accounts.roles import Role
from apps.core.errors import BadInput, Refused
from apps.core.events import EVENTS
from apps.core.querysets import Action, check_action

from ..models import Webhook

EDITABLE = ("name", "url", "events", "active")


def check_url(url: str) -> str:
    """An absolute http(s) URL with a host; BadInput naming `url` otherwise."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number or out of range
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(_("give an http:// or https:// URL with a host"), field="url")
    if parts.username or parts.password:
        raise BadInput(
            _("put no user name or password in the URL: deliveries are signed instead"), field="url"
        )
    if len(url) > 2000:
        raise BadInput(_("at most 2,000 characters"), field="url")
    return url


def check_events(events) -> list[str]:
    events = list(dict.fromkeys(events or []))
    unknown = [e for e in events if e not in EVENTS]
    if unknown or not events:
        raise BadInput(_("one or more of: %(names)s") % {"names": ", ".join(EVENTS)}, field="events")
    return events


def _check_admin(user) -> None:
    if not user.has_role(Role.ADMIN):
        raise Refused(_("only admins may register webhooks"))


def create_hook(user, *, name: str, url: str, events, active: bool = True, secret: str = "") -> Webhook:
    _check_admin(user)
    if not (name or "").strip():
        raise BadInput(_("give the webhook a name"), field="name")
    hook = Webhook(
        owner=user, name=name.strip()[:100], url=check_url(url), events=check_events(events), active=active
    )
    if secret:
        hook.secret = secret
    hook.save()
    return hook


def update_hook(user, hook: Webhook, **changes) -> Webhook:
    _check_admin(user)
    check_action(hook, user, Action.CHANGE)
    if "url" in changes:
        changes["url"] = check_url(changes["url"])
    if "events" in changes:
        changes["events"] = check_events(changes["events"])
    if "name" in changes and not (changes["name"] or "").strip():
        raise BadInput(_("give the webhook a name"), field="name")
    fields = [field for field in EDITABLE if field in changes]
    for field in fields:
        setattr(hook, field, changes[field])
    if fields:
        hook.save(update_fields=fields)
    return hook


def delete_hook(user, hook: Webhook) -> None:
    check_action(hook, user, Action.DELETE)
    hook.delete()
