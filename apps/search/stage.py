from apps.scanning.pipeline import Stage

from .services import index_assets


class SearchIndexStage(Stage):
    """Places from GPS and the full-text document. Listed after "metadata", whose fields it reads."""

    name = "search"

    def run(self, asset) -> None:
        index_assets([asset])
