"""The Passkeys page: add one (static/js/passkeys.js runs the ceremony through the API), rename and
remove them, as /api/auth/passkeys/ does for scripts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts import passkeys, totp
from apps.accounts.models import Passkey
from apps.core.errors import ServiceError
from apps.core.querysets import Action, get_visible
from apps.core.validators import plain_id


@login_required
@require_http_methods(["GET", "POST"])
def passkey_list(request):
    action = request.POST.get("action")
    if action in ("rename", "remove"):
        needed = Action.CHANGE if action == "rename" else Action.DELETE
        pk = plain_id(request.POST.get("id", ""))
        passkey = get_visible(Passkey.objects.all(), request.user, needed, pk=pk)
        if action == "remove":
            passkeys.remove(passkey)
            messages.success(request, _("Removed the passkey “%(name)s”.") % {"name": passkey.name})
        else:
            try:
                passkeys.rename(passkey, request.POST.get("name", ""))
            except ServiceError as exc:
                messages.error(request, str(exc))
            else:
                message = _("Renamed the passkey to “%(name)s”.") % {"name": passkey.name}
                messages.success(request, message)
        return redirect("passkeys")
    context = {
        "passkeys": Passkey.objects.visible_to(request.user),
        "remaining": totp.remaining_recovery_codes(request.user),
    }
    return render(request, "accounts/passkeys.html", context)
