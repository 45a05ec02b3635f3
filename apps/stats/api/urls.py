from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import JobsView, JobViewSet, SystemView

router = SimpleRouter()
router.register("jobs", JobViewSet, basename="job")
urlpatterns = [
    path("jobs/", JobsView.as_view(), name="jobs-list"),
    *router.urls,
    path("system/", SystemView.as_view(), name="system"),
]
