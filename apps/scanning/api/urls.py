from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.scanning.uploads.api import tus
from apps.scanning.uploads.api.views import FileUploadView

from .fileops import FileOperationViewSet
from .views import LibraryViewSet, ScanRunViewSet

router = SimpleRouter()
router.register("libraries", LibraryViewSet, basename="library")
router.register("scans", ScanRunViewSet, basename="scanrun")
router.register("file-operations", FileOperationViewSet, basename="file-operation")
urlpatterns = [
    *router.urls,
    path("uploads/", FileUploadView.as_view(), name="upload-file"),
    path("uploads/tus/", tus.collection, name="tus-upload-list"),
    path("uploads/tus/<uuid:pk>/", tus.detail, name="tus-upload-detail"),
]
