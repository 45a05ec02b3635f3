from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "apps.tags"
    label = "tags"

    def ready(self):
        from apps.tags import search  # noqa: F401 - registers tag names with the search documents
