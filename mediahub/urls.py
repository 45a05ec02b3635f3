from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.core.views import favicon

from .api_root import api_root

api_patterns = [
    path("", api_root, name="api-root"),
    path("", include("apps.accounts.api.urls")),
    path("", include("apps.scanning.api.urls")),
    path("", include("apps.people.api.urls")),  # before assets: it adds assets/<id>/faces/
    path("", include("apps.tags.api.urls")),  # before assets: it adds assets/<id>/tags/
    path("", include("apps.assets.api.urls")),
    path("", include("apps.search.api.urls")),
    path("", include("apps.places.api.urls")),
    path("", include("apps.albums.api.urls")),
    path("", include("apps.stats.api.urls")),
    path("", include("apps.webhooks.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("auth/browsable/", include("rest_framework.urls")),
]

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    # The words of static/js in the page's language (gettext/ngettext/interpolate; locale/*/djangojs.po).
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("accounts/", include("apps.accounts.urls")),
    path("", include("apps.stats.urls")),
    path("", include("apps.scanning.urls")),
    path("", include("apps.people.urls")),
    path("", include("apps.albums.urls")),
    path("", include("apps.search.urls")),
    path("", include("apps.places.urls")),
    path("", include("apps.tags.urls")),
    path("", include("apps.assets.urls")),
]

# JSON under /api/, pages elsewhere; a database that is away answers 503 (apps/core/error_views.py).
handler400 = "apps.core.error_views.bad_request"
handler403 = "apps.core.error_views.permission_denied"
handler404 = "apps.core.error_views.page_not_found"
handler500 = "apps.core.error_views.server_error"
