from django.urls import path, re_path

from . import metrics_view, views

urlpatterns = [
    path("health", views.health, name="health"),
    path("ready", views.ready, name="ready"),
    path("stats/", views.stats_page, name="stats"),
    path("jobs/", views.jobs_page, name="jobs"),
    re_path(
        r"^jobs/(?P<kind>[a-z_]+)/(?P<action>missing|all|failed|pause|resume)/$",
        views.job_action,
        name="job-action",
    ),
    path("metrics", metrics_view.metrics, name="metrics"),
]
