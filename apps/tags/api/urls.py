from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import AssetTagsView, TagViewSet

router = SimpleRouter()
router.register("tags", TagViewSet, basename="tag")
urlpatterns = [
    path("assets/<uuid:pk>/tags/", AssetTagsView.as_view(), name="asset-tags-api"),
    *router.urls,
]
