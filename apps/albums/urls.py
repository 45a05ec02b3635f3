from django.urls import path

from . import public, views

urlpatterns = [
    path("albums/", views.albums_index, name="albums"),
    path("albums/new", views.album_create, name="album-create"),
    path("albums/new-smart", views.smart_album_create, name="smart-album-create"),
    path("albums/picker", views.album_picker, name="album-picker"),
    path("albums/<int:pk>/", views.album_page, name="album"),
    path("albums/<int:pk>/share", views.album_share, name="album-share"),
    path("albums/<int:pk>/download.zip", views.album_zip, name="album-zip"),
    path("albums/<int:pk>/<uuid:asset_id>/", views.album_viewer, name="album-viewer"),
    path("photos/<uuid:asset_id>/albums", views.asset_albums, name="asset-albums"),
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
