"""The kinds of background work the Jobs page shows, and what each is made of.

A pipeline kind is one or more stages of MEDIAHUB_PIPELINE_STAGES (its counts come from the
stage-status table); the others are scans (ScanRun), face jobs (FaceJob: detection runs and
re-clusters), duplicate searches (django-q2's task results), uploads and file operations
(FileOperation). A kind is paused by pausing
its keys (apps.core.pauses): its stage names, or its own key for the others.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy
from django.utils.translation import gettext as _

from apps.assets.models import Asset
from apps.core.errors import NotFound
from apps.core.queue import LONG, ML, SHORT

PHOTO, VIDEO, AUDIO = Asset.Kind.PHOTO, Asset.Kind.VIDEO, Asset.Kind.AUDIO


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    queue: str  # where its tasks wait (apps.core.queue)
    stages: tuple[str, ...] = ()  # pipeline stages; empty for the kinds that are not stages
    asset_kinds: tuple[str, ...] = ()  # the assets its stages apply to (their applies_to, roughly)
    pause_key: str = ""  # for the kinds that are not stages
    actions: tuple[str, ...] = ("missing", "all", "failed")

    @property
    def is_pipeline(self) -> bool:
        return bool(self.stages)

    @property
    def pause_keys(self) -> tuple[str, ...]:
        return self.stages or ((self.pause_key,) if self.pause_key else ())


KINDS = (
    JobKind("metadata", gettext_lazy("Metadata"), SHORT, ("metadata",), (PHOTO, VIDEO, AUDIO)),
    # A video's grid image is its poster: the poster stage writes both its thumbnail and its preview.
    JobKind("thumbnails", gettext_lazy("Thumbnails"), SHORT, ("thumbnail", "poster"), (PHOTO, VIDEO)),
    JobKind("previews", gettext_lazy("Previews"), SHORT, ("preview",), (PHOTO,)),
    JobKind("transcode", gettext_lazy("Video transcodes"), LONG, ("transcode",), (VIDEO,)),
    JobKind("faces", gettext_lazy("Faces"), ML, ("faces",), (PHOTO, VIDEO)),
    JobKind("quality", gettext_lazy("Quality scores"), ML, ("quality",), (PHOTO,)),
    JobKind("clip", gettext_lazy("CLIP embeddings"), ML, ("clip",), (PHOTO, VIDEO)),
    JobKind("ocr", gettext_lazy("Text in photos"), ML, ("ocr",), (PHOTO,)),
    # "Run missing" here (or `manage.py run_stages --stage tags`) backfills libraries indexed before tags.
    JobKind("tags", gettext_lazy("File keywords as tags"), SHORT, ("tags",),
            (PHOTO, VIDEO, AUDIO, Asset.Kind.OTHER)),
    JobKind("search", gettext_lazy("Search index"), SHORT, ("search",),
            (PHOTO, VIDEO, AUDIO, Asset.Kind.OTHER)),
    # Paused through "faces": its detection batches run that stage.
    JobKind("face_jobs", gettext_lazy("Face detection and re-cluster jobs"), ML),
    JobKind("duplicates", gettext_lazy("Duplicate finding"), LONG, pause_key="duplicates",
            actions=("missing", "all")),
    JobKind("scans", gettext_lazy("Library scans"), LONG, pause_key="scan"),
    # Uploads are indexed by the pipeline kinds above; this kind only pauses accepting them.
    JobKind("uploads", gettext_lazy("Uploads"), SHORT, pause_key="upload", actions=()),
    # Moves, copies, renames... in writable libraries (apps/scanning/fileops): shown, not run from here.
    JobKind("file_operations", gettext_lazy("File operations"), LONG, actions=()),
)
BY_NAME = {kind.name: kind for kind in KINDS}
ACTIONS = ("missing", "all", "failed")


def kind_named(name: str) -> JobKind:
    try:
        return BY_NAME[name]
    except KeyError:
        raise NotFound(_("no job kind '%(name)s'") % {"name": name}) from None


def kind_of_stage(stage: str) -> JobKind | None:
    return next((kind for kind in KINDS if stage in kind.stages), None)
