"""Sign-up pages (MEDIAHUB_SIGNUP, apps/accounts/signup.py): the open form (approval mode), the form
behind an invitation link (invite mode), and the superadmin's Sign-ups page (invitations, approvals)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts import pending_login, signup, throttling
from apps.accounts.decorators import role_required
from apps.accounts.forms import InvitationForm, SignupForm, add_service_error
from apps.accounts.models import Invitation, SignupRequest
from apps.accounts.roles import Role
from apps.core.errors import BadInput, NotFound, TooManyAttempts
from apps.core.querysets import Action, get_visible
from apps.core.validators import plain_id


def _sign_up_page(request, token=None):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = signup.sign_up(
                data["username"], data["password1"], throttling.client_ip(request), token=token,
                display_name=data["display_name"], email=data["email"],
            )
        except TooManyAttempts as exc:
            form.add_error(None, str(exc))
            status = 429
        except BadInput as exc:
            add_service_error(form, exc)
        else:
            if user.is_active:  # invited: in at once
                login(request, user, backend=pending_login.BACKEND)
                messages.success(request, _("Welcome to MediaHub, %(name)s.") % {"name": user})
                return redirect(settings.LOGIN_REDIRECT_URL)
            return render(request, "registration/signup_done.html", {"subject": user})
    context = {"form": form, "invited": token is not None}
    response = render(request, "registration/signup.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(throttling.signup_wait(throttling.client_ip(request)) or 1)
    return response


@require_http_methods(["GET", "POST"])
def sign_up(request):
    """Open sign-up: only in approval mode (404 otherwise, as if it did not exist)."""
    if signup.mode() != signup.APPROVAL:
        raise NotFound(_("Sign-up is not open."))
    return _sign_up_page(request)


@require_http_methods(["GET", "POST"])
def sign_up_invited(request, token):
    signup.open_invitation(token)  # NotFound (404) for an unknown, used or expired link
    return _sign_up_page(request, token)


@role_required(Role.SUPERADMIN)
@require_http_methods(["GET", "POST"])
def signups(request):
    """Invitations (make one, see its link once, revoke) and the accounts waiting for approval."""
    action, context = request.POST.get("action"), {}
    form = InvitationForm(request.POST if action == "invite" else None)
    if action == "invite" and form.is_valid():
        if signup.mode() != signup.INVITE:
            messages.error(request, _("Sign-up by invitation is off (MEDIAHUB_SIGNUP)."))
        else:
            invitation, token = signup.create_invitation(request.user, form.cleaned_data["note"],
                                                         form.cleaned_data["days"])
            link = request.build_absolute_uri(signup.invitation_path(token))
            context = {"new_invitation": invitation, "new_link": link}
            form = InvitationForm()
    elif action == "revoke":
        pk = plain_id(request.POST.get("id", ""))
        get_visible(Invitation.objects.all(), request.user, Action.DELETE, pk=pk).delete()
        messages.success(request, _("Invitation revoked."))
        return redirect("signups")
    elif action in ("approve", "reject"):
        pending = get_visible(SignupRequest.objects.select_related("user"), request.user, Action.CHANGE,
                              pk=plain_id(request.POST.get("id", "")))
        name = pending.user.username
        if action == "approve":
            signup.approve(pending)
            messages.success(request, _("%(name)s can log in now.") % {"name": name})
        else:
            signup.reject(pending)
            messages.success(request, _("Rejected %(name)s; the account is deleted.") % {"name": name})
        return redirect("signups")
    context.update(
        form=form,
        mode=signup.mode(),
        invitations=Invitation.objects.visible_to(request.user).select_related("used_by")[:100],
        pending=signup.pending_requests(),
    )
    return render(request, "accounts/signups.html", context)
