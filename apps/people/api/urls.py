from django.urls import path

from . import assign_views, control_views, people_views
from .views import AssetFacesView, FacesStatusView, FaceThumbnailView, FaceViewSet

# Fixed words before "<str:pk>" routes: "people/merge" must not be read as a person called "merge".
face_urls = [
    path("faces/", FaceViewSet.as_view({"get": "list"}), name="face-list"),
    path("faces/status", FacesStatusView.as_view(), name="faces-status"),
    path("faces/settings", control_views.FaceSettingsView.as_view(), name="faces-settings"),
    path("faces/detect", control_views.DetectView.as_view(), name="faces-detect"),
    path("faces/stop", control_views.StopView.as_view(), name="faces-stop"),
    path("faces/recluster", control_views.ReclusterView.as_view(), name="faces-recluster"),
    path("faces/clear", control_views.ClearView.as_view(), name="faces-clear"),
    path("faces/assign", assign_views.FacesBatchAssignView.as_view(), name="faces-assign"),
    path("faces/<str:pk>/", FaceViewSet.as_view({"get": "retrieve"}), name="face-detail"),
    path("faces/<str:pk>/thumbnail", FaceThumbnailView.as_view(), name="face-thumbnail"),
    path("faces/<str:pk>/assign", assign_views.FaceAssignView.as_view(), name="face-assign"),
    path("faces/<str:pk>/unassign", assign_views.FaceUnassignView.as_view(), name="face-unassign"),
    path("assets/<uuid:pk>/faces/", AssetFacesView.as_view(), name="asset-faces"),
]
people_urls = [
    path("people/", people_views.PersonListView.as_view(), name="person-list"),
    path("people/merge", people_views.PeopleMergeView.as_view(), name="people-merge"),
    path("people/merge-suggestions", people_views.MergeSuggestionsView.as_view(),
         name="people-merge-suggestions"),
    path("people/smart-merge", people_views.SmartMergeView.as_view(), name="people-smart-merge"),
    path("people/<str:pk>/", people_views.PersonDetailView.as_view(), name="person-detail"),
    path("people/<str:pk>/merge", people_views.PersonMergeView.as_view(), name="person-merge"),
    path("people/<str:pk>/assets/", people_views.PersonAssetsView.as_view({"get": "list"}),
         name="person-assets"),
    path("people/<str:pk>/thumbnail", people_views.PersonThumbnailView.as_view(), name="person-thumbnail"),
    path("people/<str:pk>/refresh-centroid", people_views.PersonRefreshCentroidView.as_view(),
         name="person-refresh-centroid"),
]
urlpatterns = face_urls + people_urls
