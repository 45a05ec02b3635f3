from django.urls import path

from . import views

urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("places/", views.places_page, name="places"),
    path("trips/", views.trips_page, name="trips"),
]
