"""Self-service: profile (display name, avatar), password, two-factor login."""

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts import services, totp
from apps.accounts.forms import ProfileForm, add_service_error
from apps.accounts.models import Passkey
from apps.assets.models import Asset
from apps.core.errors import ServiceError

AVATAR_CHOICES = 60


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_avatar(request.user, request.POST.get("avatar") or None)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            form.save()
            # The message is in the language just chosen: the next page is.
            translation.activate(request.user.language or translation.get_language_from_request(request))
            messages.success(request, _("Profile saved."))
            return redirect("profile")
    # Newest first, as a grid of thumbnails to pick from (the current avatar stays on offer).
    photos = Asset.objects.visible_to(request.user).alive().filter(kind=Asset.Kind.PHOTO)
    photos = list(photos.order_by("-taken_at", "-pk").only("id", "filename")[:AVATAR_CHOICES])
    if request.user.avatar_id and request.user.avatar_id not in {p.pk for p in photos}:
        photos += list(Asset.objects.visible_to(request.user).filter(pk=request.user.avatar_id).only("id", "filename"))
    return render(request, "accounts/profile.html", {"form": form, "photos": photos})


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_password(request.user, form.cleaned_data["new_password1"])
        # Keep this session; every other session and every API token ends.
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Password changed. Your other sessions and API tokens were signed out."))
        return redirect("profile")
    return render(request, "accounts/password.html", {"form": form})


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput, strip=False)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("Wrong password."))
        return self.cleaned_data["password"]


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """One page driven by `action`: start (QR code), confirm (first code, shows the recovery codes),
    regenerate (new recovery codes), disable."""
    user, action, context = request.user, request.POST.get("action"), {}
    if action == "start":
        try:
            device = totp.start_enrolment(user)
        except ServiceError as exc:
            messages.error(request, str(exc))
            return redirect("two-factor")
        uri = totp.provisioning_uri(device)
        context = {"enrolling": True, "qr_svg": totp.qr_code_svg(uri), "secret": device.secret}
    elif action == "confirm":
        try:
            codes = totp.confirm_enrolment(user, request.POST.get("code", ""))
        except ServiceError as exc:
            messages.error(request, str(exc))
            return redirect("two-factor")
        context = {"recovery_codes": codes}
        messages.success(request, _("Two-factor login is on."))
    elif action in ("disable", "regenerate"):
        confirm = PasswordConfirmForm(user, request.POST)
        if not confirm.is_valid():
            messages.error(request, _("Wrong password; nothing changed."))
            return redirect("two-factor")
        if action == "disable":
            totp.disable(user)
            messages.success(request, _("Two-factor login is off."))
            return redirect("two-factor")
        context = {"recovery_codes": totp.regenerate_recovery_codes(user)}
    context.update(
        enabled=totp.has_totp(user),
        remaining=totp.remaining_recovery_codes(user),
        passkeys=Passkey.objects.filter(user=user).count(),
    )
    return render(request, "accounts/two_factor.html", context)
