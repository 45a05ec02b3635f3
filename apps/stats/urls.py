from django.urls import path

from . import views

urlpatterns = [
    path("health", views.health, name="health"),
    path("ready", views.ready, name="ready"),
    path("stats/", views.stats_page, name="stats"),
]
