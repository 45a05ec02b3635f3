from django.urls import path

from .views import AssetTextView, CoverageView, FilterOptionsView, SearchView

urlpatterns = [
    path("search/", SearchView.as_view(), name="search-api"),
    path("search/filter-options/", FilterOptionsView.as_view(), name="search-filter-options"),
    path("search/coverage/", CoverageView.as_view(), name="search-coverage"),
    path("assets/<uuid:pk>/text/", AssetTextView.as_view(), name="asset-text"),
]
