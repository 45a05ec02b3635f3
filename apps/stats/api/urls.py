from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import JobViewSet, SystemView

router = SimpleRouter()
router.register("jobs", JobViewSet, basename="job")
urlpatterns = [*router.urls, path("system/", SystemView.as_view(), name="system")]
