from django.apps import AppConfig


class AlbumsConfig(AppConfig):
    name = "apps.albums"
    label = "albums"

    def ready(self):
        from apps.albums import search  # noqa: F401 - registers album names with the search documents
