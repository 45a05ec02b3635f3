from django.urls import path
from rest_framework.routers import SimpleRouter

from .duplicates import DuplicateGroupViewSet, SimilarView
from .media import media_route
from .user_state import AssetBatchView, AssetStateView
from .views import AssetViewSet

router = SimpleRouter()
router.register("assets", AssetViewSet, basename="asset")
router.register("duplicates", DuplicateGroupViewSet, basename="duplicate-group")
# Before the router: "assets/batch/" must not be read as the detail route of an asset called "batch".
user_state_urls = [
    path("assets/batch/", AssetBatchView.as_view(), name="asset-batch"),
    path("assets/<uuid:pk>/state", AssetStateView.as_view(), name="asset-state"),
]
media_urls = [
    path("assets/<uuid:pk>/thumbnail", media_route("thumbnail"), name="asset-thumbnail"),
    path("assets/<uuid:pk>/preview", media_route("preview"), name="asset-preview"),
    path("assets/<uuid:pk>/original", media_route("original"), name="asset-original"),
    path("assets/<uuid:pk>/video", media_route("video"), name="asset-video"),
    path("assets/<uuid:pk>/audio.mp3", media_route("audio"), name="asset-audio"),
]
similar_urls = [path("assets/<uuid:pk>/similar", SimilarView.as_view(), name="asset-similar")]
urlpatterns = user_state_urls + media_urls + similar_urls + router.urls
