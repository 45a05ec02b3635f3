from django.urls import path

from . import views

urlpatterns = [
    path("", views.photos, name="photos"),
    path("photos/<uuid:pk>/", views.photo_detail, name="photo-detail"),
]

from apps.core.views import feature_page  # noqa: E402

urlpatterns += [
    path("map/", feature_page("assets/map.html"), name="map"),
]
