"""Login bookkeeping for every login form (ours, the admin's, the browsable API's)."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import throttling
from .backends import THROTTLED_FLAG


@receiver(user_login_failed, dispatch_uid="accounts.login_failed")
def remember_failure(sender, credentials, request=None, **kwargs):
    # An attempt refused by the throttle is not another failure: retrying must not extend the lockout.
    if request is None or getattr(request, THROTTLED_FLAG, None):
        return
    throttling.record_failure(credentials.get("username", ""), throttling.client_ip(request))


@receiver(user_logged_in, dispatch_uid="accounts.logged_in")
def forgive_failures(sender, user, request=None, **kwargs):
    ip = throttling.client_ip(request) if request is not None else None
    throttling.clear_account(user.get_username(), ip)
