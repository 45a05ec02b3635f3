"""API tokens page: the same create / list / revoke as /api/auth/tokens/, for people who are not scripts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.models import ApiToken
from apps.accounts.tokens import create_token
from apps.core.querysets import Action, get_visible


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    context = {}
    action = request.POST.get("action")
    if action == "create":
        name = request.POST.get("name", "").strip()[:100]
        if not name:
            messages.error(request, _("Give the token a name, e.g. the script that will use it."))
        else:
            token, key = create_token(request.user, name)
            context = {"new_token": token, "new_key": key}
    elif action == "revoke":
        token = get_visible(ApiToken.objects.all(), request.user, Action.DELETE, pk=request.POST.get("id"))
        token.delete()
        messages.success(request, _("Revoked “%(name)s”.") % {"name": token.name})
        return redirect("api-tokens")
    context["tokens"] = ApiToken.objects.visible_to(request.user)
    return render(request, "accounts/tokens.html", context)
