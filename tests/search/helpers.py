from apps.search import services
from tests.factories import AssetFactory


def indexed(**fields):
    """An asset with its search document built, as the pipeline's search stage leaves it."""
    asset = AssetFactory(**fields)
    services.index_assets([asset])
    return asset
