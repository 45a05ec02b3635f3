from django.urls import path

from .views import AssetFacesView, FaceThumbnailView, FaceViewSet, FacesStatusView

urlpatterns = [
    path("faces/", FaceViewSet.as_view({"get": "list"}), name="face-list"),
    path("faces/status", FacesStatusView.as_view(), name="faces-status"),
    path("faces/<str:pk>/", FaceViewSet.as_view({"get": "retrieve"}), name="face-detail"),
    path("faces/<str:pk>/thumbnail", FaceThumbnailView.as_view(), name="face-thumbnail"),
    path("assets/<uuid:pk>/faces/", AssetFacesView.as_view(), name="asset-faces"),
]
