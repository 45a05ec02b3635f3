from django.urls import path

from apps.core.views import feature_page

from . import public

urlpatterns = [
    path("albums/", feature_page("albums/index.html"), name="albums"),
]

# The public side of share links: everything a visitor can reach lives under the token.
urlpatterns += [
    path("s/<str:token>/", public.link_page, name="shared-link"),
    path("s/<str:token>/download.zip", public.link_zip, name="shared-link-zip"),
    path("s/<str:token>/<uuid:asset_id>/", public.link_detail, name="shared-link-asset"),
    path("s/<str:token>/<uuid:asset_id>/thumbnail", public.link_thumbnail, name="shared-link-thumbnail"),
    path("s/<str:token>/<uuid:asset_id>/preview", public.link_preview, name="shared-link-preview"),
    path("s/<str:token>/<uuid:asset_id>/video", public.link_video, name="shared-link-video"),
    path("s/<str:token>/<uuid:asset_id>/original", public.link_original, name="shared-link-original"),
]
