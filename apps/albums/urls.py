from django.urls import path

from apps.core.views import feature_page

from . import public

urlpatterns = [
    path("albums/", feature_page("albums/index.html"), name="albums"),
    path("s/<str:token>/", public.link_page, name="shared-link"),
]
