from django.urls import path
from rest_framework.routers import SimpleRouter

from .library_views import ActivityView, CalendarView, ExposureView, GearView, OverviewView
from .views import JobsView, JobViewSet, SystemView

router = SimpleRouter()
router.register("jobs", JobViewSet, basename="job")
urlpatterns = [
    path("jobs/", JobsView.as_view(), name="jobs-list"),
    *router.urls,
    path("system/", SystemView.as_view(), name="system"),
    path("stats/overview/", OverviewView.as_view(), name="stats-overview"),
    path("stats/activity/", ActivityView.as_view(), name="stats-activity"),
    path("stats/calendar/", CalendarView.as_view(), name="stats-calendar"),
    path("stats/gear/", GearView.as_view(), name="stats-gear"),
    path("stats/exposure/", ExposureView.as_view(), name="stats-exposure"),
]
