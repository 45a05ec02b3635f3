"""The "faces" pipeline stage: detect and embed faces from the stored preview, then let the new
faces join the people their nearest neighbours belong to."""

import logging

from apps.assets.models import Asset
from apps.scanning.pipeline import Stage

from . import backends, clustering, services
from .services import face_jobs, face_settings, refresh

logger = logging.getLogger(__name__)


class FaceStage(Stage):
    """Runs after the preview stages. Without the ML stack it does not apply, so ingest still
    completes (assets become ready) and `detect_faces --missing` picks them up once it is installed;
    the reason is logged once per process and shown by the faces status endpoint."""

    name = "faces"
    inference = True  # on the model inference queue: a face backlog never delays thumbnails
    _warned = False

    def applies_to(self, asset: Asset) -> bool:
        if not services.faces_applicable(asset):
            return False
        reason = backends.unavailable_reason()
        if reason is not None:
            if not FaceStage._warned:
                logger.warning("faces unavailable: %s", reason)
                FaceStage._warned = True
            return False
        return True

    def run(self, asset: Asset) -> None:
        faces = services.detect_faces(asset)
        # Faces that inherited a person from the previous detection keep it; the rest may join one,
        # with the clustering settings an admin saved.
        new = [face for face in faces if face.person_id is None]
        joined = clustering.assign_new_faces(new, face_settings.cluster_params()) if new else 0
        if joined < len(new):
            face_jobs.recluster_when_quiet()  # strangers may become people once ingest settles
        if joined:
            # The search stage ran before this one (model stages wait on their own queue): a face
            # that joined a named person puts the name into the asset's search document now.
            refresh.reindex_assets([asset.pk])
