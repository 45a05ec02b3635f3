from rest_framework.routers import SimpleRouter

from .views import AlbumViewSet, ShareLinkViewSet

router = SimpleRouter()
router.register("albums", AlbumViewSet, basename="album")
router.register("links", ShareLinkViewSet, basename="sharelink")
urlpatterns = router.urls
