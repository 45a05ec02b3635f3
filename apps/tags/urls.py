from django.urls import path

from . import views

urlpatterns = [
    path("tags/", views.tags_page, name="tags"),
    path("photos/<uuid:asset_id>/tags", views.asset_tags, name="asset-tags"),
]
