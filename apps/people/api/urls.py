from django.urls import path

from .downloads import PersonDownloadView
from .face_jobs import FaceJobViewSet
from .faces import AssetFacesView, FaceViewSet
from .people import PersonAssetsView, PersonViewSet
from .routers import Router

router = Router()
router.register("faces", FaceJobViewSet, basename="faces")  # faces/status, faces/detect, ...
router.register("faces", FaceViewSet, basename="face")  # faces/, faces/{pk}/, faces/{pk}/thumbnail, ...
router.register("people", PersonViewSet, basename="person")  # people/, people/{pk}/, people/{pk}/merge, ...

# Actions on a whole collection keep their plural names ("people-merge"): a router would name them
# after the object ("person-merge"), which is already the name of merging one person.
collection_urls = [
    path("faces/assign", FaceViewSet.as_view({"post": "assign_many"}), name="faces-assign"),
    # Groups, not a page of faces: no face filters, no paging.
    path(
        "faces/groups",
        FaceViewSet.as_view({"get": "groups"}, filter_backends=[], pagination_class=None),
        name="faces-groups",
    ),
    path("people/merge", PersonViewSet.as_view({"post": "merge_many"}), name="people-merge"),
    path(
        "people/merge-suggestions",
        # Pairs, not a page of people: no person filters, no paging.
        PersonViewSet.as_view({"get": "suggestions"}, filter_backends=[], pagination_class=None),
        name="people-merge-suggestions",
    ),
    path("people/smart-merge", PersonViewSet.as_view({"post": "smart_merge"}), name="people-smart-merge"),
]
# Lists of another resource seen through this one.
nested_urls = [
    path("assets/<uuid:pk>/faces/", AssetFacesView.as_view(), name="asset-faces"),
    path("people/<str:pk>/assets/", PersonAssetsView.as_view(), name="person-assets"),
    path("people/<str:pk>/download/", PersonDownloadView.as_view(), name="person-download"),
]
urlpatterns = collection_urls + nested_urls + router.urls
