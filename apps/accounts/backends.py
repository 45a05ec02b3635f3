from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import throttling
from .totp import has_second_factor

THROTTLED_FLAG = "_mediahub_login_throttled"


class MediaHubBackend(ModelBackend):
    """Username + password, refused while the account or address is throttled.

    A user with a second factor (app or passkey) is refused here unless the caller asks for the first
    factor only: only MediaHub's login view does, and it asks for the code or passkey next. So the admin's and the browsable
    API's login forms cannot skip the second factor.
    """

    def authenticate(self, request, username=None, password=None, first_factor_only=False, **kwargs):
        if request is not None and username:
            ip = throttling.client_ip(request)
            wait = throttling.seconds_to_wait(username, ip)
            if wait:
                setattr(request, THROTTLED_FLAG, wait)
                throttling.log_refusal(username, ip, wait)
                raise PermissionDenied("too many failed logins")  # stops every backend
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not first_factor_only and has_second_factor(user):
            return None
        return user
