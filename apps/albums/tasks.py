"""Worker entry points of the albums app: thin, idempotent."""

from apps.albums.search import index_by_id


def reindex_assets(asset_ids: list[str]) -> int:
    """Rewrite the search documents of assets whose albums changed (many at once)."""
    return index_by_id(asset_ids)
