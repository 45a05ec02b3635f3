from django.urls import path

from . import views

urlpatterns = [
    path("", views.photos, name="photos"),
    path("photos/<uuid:pk>/", views.photo_detail, name="photo-detail"),
]

from . import culling_views, trash_views  # noqa: E402

urlpatterns += [
    path("trash/", trash_views.trash_page, name="trash"),
    path("culling/", culling_views.culling_page, name="culling"),
    path("photos/download", trash_views.download_selection, name="photos-download"),
]

from .duplicates import views as duplicates  # noqa: E402

urlpatterns += [
    path("duplicates/", duplicates.review, name="duplicates"),
    path("duplicates/find", duplicates.find, name="duplicates-find"),
    path("duplicates/<int:pk>/<slug:action>", duplicates.act, name="duplicate-action"),
    path("photos/<uuid:pk>/similar", duplicates.similar_panel, name="photo-similar"),
]

from .explore import views as explore  # noqa: E402

urlpatterns += [
    path("memories/", explore.memories_strip, name="memories-strip"),
    path("folders/", explore.folder_libraries, name="folders"),
    path("folders/<int:library>/", explore.folder_page, name="folder"),
]
