"""Login in one or two steps (password, then an authenticator code or a passkey when a second factor
is on), or in one with a passkey alone; throttled."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.accounts import pending_login, throttling
from apps.accounts.forms import CodeForm, LoginForm
from apps.accounts.models import Passkey
from apps.accounts.totp import has_second_factor, has_totp, verify_second_factor


def throttled(request, template, wait: int, context=None):
    response = render(
        request,
        template,
        {**(context or {}), "throttled": f"Too many failed attempts. Try again in {wait} seconds."},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "signup_open": settings.MEDIAHUB_SIGNUP == "approval"}

    def post(self, request, *args, **kwargs):
        username, ip = request.POST.get("username", ""), throttling.client_ip(request)
        if wait := throttling.seconds_to_wait(username, ip):
            throttling.log_refusal(username, ip, wait)
            return throttled(request, self.template_name, wait, self.get_context_data(form=self.get_form()))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if has_second_factor(user):
            pending_login.start(self.request, user, self.get_success_url())
            return redirect("login-code")
        return super().form_valid(form)


class LoginCodeView(View):
    """Second step: a passkey, the code from the authenticator app, or a one-time recovery code."""

    template_name = "registration/login_code.html"

    def _context(self, user, form):
        has_passkey = Passkey.objects.filter(user=user).exists()
        return {"form": form, "has_totp": has_totp(user), "has_passkey": has_passkey}

    def get(self, request):
        user = pending_login.pending_user(request)
        if user is None:
            return redirect("login")
        return render(request, self.template_name, self._context(user, CodeForm()))

    def post(self, request):
        user = pending_login.pending_user(request)
        if user is None:
            messages.error(request, _("That took too long; please log in again."))
            return redirect("login")
        form = CodeForm(request.POST)
        ip = throttling.client_ip(request)
        if wait := throttling.seconds_to_wait(user.get_username(), ip):
            throttling.log_refusal(user.get_username(), ip, wait)
            return throttled(request, self.template_name, wait, self._context(user, form))
        if form.is_valid() and verify_second_factor(user, form.cleaned_data["code"]):
            return redirect(pending_login.finish(request, user))
        throttling.record_failure(user.get_username(), ip, reason="totp")
        form.add_error("code", "That code is not valid (or was already used).")
        return render(request, self.template_name, self._context(user, form))
