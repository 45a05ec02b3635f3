from django.db import transaction

from apps.scanning.pipeline import Stage

from .services.files import read_file_tags


class FileTagsStage(Stage):
    """The file's keywords as file tags. Listed after "metadata" (it reads the tag dump) and before
    "search" (tag names join the document). A whole batch costs a handful of statements."""

    name = "tags"

    def run(self, asset) -> None:
        read_file_tags([asset.pk])

    def run_batch(self, assets) -> dict:
        with transaction.atomic():
            read_file_tags([asset.pk for asset in assets])
        return {}
