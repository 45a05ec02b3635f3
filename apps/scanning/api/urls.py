from rest_framework.routers import SimpleRouter

from .views import LibraryViewSet

router = SimpleRouter()
router.register("libraries", LibraryViewSet, basename="library")
urlpatterns = router.urls
