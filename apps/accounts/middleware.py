"""The language a signed-in user chose in their profile wins over the browser's.

LocaleMiddleware (before this one) has already activated the browser's Accept-Language, which is
all an anonymous visitor (the login page, a shared link) gets. Language codes are checked against
settings.LANGUAGES, so a stored code that was later dropped falls back to the browser's choice.
"""

from django.conf import settings
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if chosen in SUPPORTED:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)
