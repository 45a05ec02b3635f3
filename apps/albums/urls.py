from django.urls import path

from apps.core.views import feature_page

urlpatterns = [path("albums/", feature_page("albums/index.html"), name="albums")]
