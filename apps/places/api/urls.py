from django.urls import path

from .views import MapPointsView, PlacesView, TripsView

urlpatterns = [
    path("map/points/", MapPointsView.as_view(), name="map-points"),
    path("places/", PlacesView.as_view(), name="places-api"),
    path("trips/", TripsView.as_view(), name="trips-api"),
]
