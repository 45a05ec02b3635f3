from django.urls import path

from apps.core.views import feature_page

urlpatterns = [path("people/", feature_page("people/index.html"), name="people")]
