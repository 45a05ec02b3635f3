from django.apps import AppConfig


class AlbumsConfig(AppConfig):
    name = "apps.albums"
    label = "albums"
