from django.urls import path

from .views import FilterOptionsView, SearchView

urlpatterns = [
    path("search/", SearchView.as_view(), name="search-api"),
    path("search/filter-options/", FilterOptionsView.as_view(), name="search-filter-options"),
]
