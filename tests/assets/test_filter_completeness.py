"""AssetFilter covers every asset field that a filter could match, or says why not."""

from apps.assets.filters import AssetFilter
from tests.filtersets import FilterSetCompleteness

PLAYBACK = "decides how a video is played or transcoded; not something people look for"


class TestAssetFilterIsComplete(FilterSetCompleteness):
    filterset = AssetFilter
    covered_by = {
        "path": ("folder", "directory"), "longitude": ("bbox", "near"), "covered_by": ("stacked",),
        # The shape a photo is shown in reads its size and the quarter turns on top of it.
        "width": "orientation", "height": "orientation", "user_rotation": "orientation",
        "mime": "raw",
    }
    ignored = {
        "id": "an asset is fetched by its own URL; lists are not filtered by id",
        "created": "when it was indexed: bookkeeping; the timeline filters by taken_at",
        "updated": "bookkeeping, changed by every stage",
        "filename": "search's words part matches file names (and folders, and camera)",
        "derivatives_size": "storage bookkeeping for the Stats page (its thumbnails, previews, transcodes)",
        "size": "the list orders by size (largest first); no size range filter yet",
        "mtime": "the list orders by mtime; the file's own time is not the capture time",
        "content_hash": "duplicates group by it; nobody types a hash",
        "duration": "no duration filter yet",
        "capture_day": "derived from taken_at for 'on this day' memories, which read it (apps/assets/explore)",
        "capture_year": "derived from taken_at; taken_after/before filter by date",
        "taken_at_offset": "only shows taken_at on the clock of the place; taken_after/before use UTC",
        "altitude": "shown with the location; no filter by height above sea level yet",
        "taken_at_source": "which tag gave the capture time: for diagnosing metadata, in the admin",
        "video_codec": PLAYBACK,
        "audio_codec": PLAYBACK,
        "frame_rate": PLAYBACK,
        "rotation": PLAYBACK,
        "has_audio": PLAYBACK,
        "phash": "compared by distance (similar, duplicates), never matched by value",
        "live_photo_id": "pairs a still with its video; stacks will use it, people do not type it",
        "motion_photo": "no filter for motion photos yet (the kind filter finds videos)",
        "last_error": "the message for the admin; `errors` filters the assets that have one",
        "deleted_at": "the trash: every list shows what is not in it; /api/trash/ and the Trash page list the rest",
        "title": "search's words part matches it (q=): the search document holds the title, edited or not",
        "description": "search's words part matches it (q=), like the title",
        "stack": "lists show a stack as its cover (`stacked=true` shows every member); /api/stacks/{id}/ lists the members",
        "burst_id": "joins a burst into one stack (apps/assets/stacks/auto.py); nobody types it",
        "unstacked": "bookkeeping: automatic stacking leaves photos unstacked by hand alone",
    }
