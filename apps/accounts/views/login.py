"""Login in one or two steps (password, then the authenticator code when two-factor is on), throttled."""

import time

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.accounts import throttling
from apps.accounts.forms import CodeForm, LoginForm
from apps.accounts.totp import has_totp, verify_second_factor

PENDING = "mediahub_2fa_pending"
PENDING_SECONDS = 300
BACKEND = "apps.accounts.backends.MediaHubBackend"


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

    def post(self, request, *args, **kwargs):
        username, ip = request.POST.get("username", ""), throttling.client_ip(request)
        if wait := throttling.seconds_to_wait(username, ip):
            throttling.log_refusal(username, ip, wait)
            return throttled(request, self.template_name, wait, self.get_context_data(form=self.get_form()))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if has_totp(user):
            pending = {"user": user.pk, "at": time.time(), "next": self.get_success_url()}
            self.request.session[PENDING] = pending
            return redirect("login-code")
        return super().form_valid(form)


class LoginCodeView(View):
    """Second step: the code from the authenticator app, or a one-time recovery code."""

    template_name = "registration/login_code.html"

    def _pending_user(self, request):
        pending = request.session.get(PENDING)
        if not pending or time.time() - pending["at"] > PENDING_SECONDS:
            return None
        return get_user_model().objects.filter(pk=pending["user"], is_active=True).first()

    def get(self, request):
        if self._pending_user(request) is None:
            return redirect("login")
        return render(request, self.template_name, {"form": CodeForm()})

    def post(self, request):
        user = self._pending_user(request)
        if user is None:
            messages.error(request, _("That took too long; please log in again."))
            return redirect("login")
        form = CodeForm(request.POST)
        ip = throttling.client_ip(request)
        if wait := throttling.seconds_to_wait(user.get_username(), ip):
            throttling.log_refusal(user.get_username(), ip, wait)
            return throttled(request, self.template_name, wait, {"form": form})
        if form.is_valid() and verify_second_factor(user, form.cleaned_data["code"]):
            next_url = request.session.pop(PENDING)["next"]
            login(request, user, backend=BACKEND)
            return redirect(next_url)
        throttling.record_failure(user.get_username(), ip, reason="totp")
        form.add_error("code", "That code is not valid (or was already used).")
        return render(request, self.template_name, {"form": form})
