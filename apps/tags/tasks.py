"""Worker entry points of the tags app: thin, idempotent."""

from apps.tags.search import index_by_id


def reindex_assets(asset_ids: list[str]) -> int:
    """Rewrite the search documents of assets whose tags changed (many at once)."""
    return index_by_id(asset_ids)
