"""The asset API's routes. Two routers because clients already call two URL styles: resources and
their actions end in a slash (`assets/<id>/rotate/`), media files and per-asset read-outs do not
(`assets/<id>/thumbnail`, `<img src>` and players use them as they are)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .culling import CullingViewSet
from .downloads import AssetExportViewSet, ExportBatchView, FolderDownloadView, SelectionDownloadView
from .duplicates import DuplicateGroupViewSet, SimilarViewSet
from .explore import FolderView, HideMemoryView, MemoriesView, TimelineBucketsView
from .media import AssetMediaViewSet
from .stacks import StackViewSet
from .trash import TrashViewSet
from .user_state import AssetStateViewSet
from .views import AssetViewSet

router = SimpleRouter()
router.register("assets", AssetViewSet, basename="asset")
router.register("duplicates", DuplicateGroupViewSet, basename="duplicate-group")
router.register("trash", TrashViewSet, basename="trash")
router.register("stacks", StackViewSet, basename="stack")

media = SimpleRouter(trailing_slash=False, use_regex_path=False)
media.register("assets", AssetMediaViewSet, basename="asset")

# One route each, under "asset-" names a router gives only one viewset per prefix. Before the
# router: "assets/batch/" must not be read as the detail route of an asset called "batch".
state_urls = [
    path("assets/batch/", AssetStateViewSet.as_view({"post": "batch"}), name="asset-batch"),
    path("assets/<uuid:pk>/state", AssetStateViewSet.as_view(
        {"get": "retrieve", "patch": "partial_update", "post": "create"}), name="asset-state"),
]
similar_urls = [
    path("assets/<uuid:pk>/similar", SimilarViewSet.as_view({"get": "similar"}), name="asset-similar"),
]
# Before the router too: "assets/download/" and "assets/export/" are not assets.
download_urls = [
    path("assets/download/", SelectionDownloadView.as_view(), name="asset-download"),
    path("assets/export/", ExportBatchView.as_view(), name="asset-export-batch"),
    path("assets/<uuid:pk>/export/", AssetExportViewSet.as_view({"get": "export", "post": "export"}),
         name="asset-export"),
    path("folders/download/", FolderDownloadView.as_view(), name="folder-download"),
]
explore_urls = [
    path("timeline/buckets/", TimelineBucketsView.as_view(), name="timeline-buckets"),
    path("memories/", MemoriesView.as_view(), name="memories"),
    path("memories/hide/", HideMemoryView.as_view(), name="memories-hide"),
    path("folders/", FolderView.as_view(), name="folders"),
]
culling_urls = [
    path("culling/series/", CullingViewSet.as_view({"get": "series"}), name="culling-series"),
    path("culling/decisions/", CullingViewSet.as_view({"post": "decide"}), name="culling-decisions"),
]
urlpatterns = culling_urls + state_urls + download_urls + media.urls + similar_urls + explore_urls + router.urls
