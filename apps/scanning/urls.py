from django.urls import path, re_path

from . import views

urlpatterns = [
    path("libraries/", views.libraries, name="libraries"),
    path("libraries/add/", views.library_add, name="library-add"),
    path("libraries/browse/", views.browse, name="library-browse"),
    re_path(
        r"^libraries/(?P<pk>\d+)/(?P<action>rename|writable|read-only|pause|resume|remove|scan|share|unshare|include)/$",
        views.library_action,
        name="library-action",
    ),
    path("scans/<int:pk>/progress/", views.scan_progress, name="scan-progress"),
    path("scans/<int:pk>/errors/", views.scan_errors, name="scan-errors"),
    path("scans/<int:pk>/retry/", views.scan_retry, name="scan-retry"),
]
