from django.conf import settings


def map_tiles(request):
    """Where every page's maps take their tiles from (the Map, Places, Trips, a photo's page, Search)."""
    return {"MAP_TILE_URL": settings.MEDIAHUB_MAP_TILE_URL, "MAP_ATTRIBUTION": settings.MEDIAHUB_MAP_ATTRIBUTION}
