from django.urls import path
from rest_framework.routers import SimpleRouter

from .user_state import AssetBatchView, AssetStateView
from .views import AssetViewSet

router = SimpleRouter()
router.register("assets", AssetViewSet, basename="asset")
# Before the router: "assets/batch/" must not be read as the detail route of an asset called "batch".
user_state_urls = [
    path("assets/batch/", AssetBatchView.as_view(), name="asset-batch"),
    path("assets/<uuid:pk>/state", AssetStateView.as_view(), name="asset-state"),
]
urlpatterns = user_state_urls + router.urls
