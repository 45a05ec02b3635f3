from rest_framework.routers import SimpleRouter

from .views import LibraryViewSet, ScanRunViewSet

router = SimpleRouter()
router.register("libraries", LibraryViewSet, basename="library")
router.register("scans", ScanRunViewSet, basename="scanrun")
urlpatterns = router.urls
