"""People and faces domain logic; views, tasks, commands and admin call these, never each other.

- detection: finding faces in assets, crops
- face_settings: env defaults overridden by what an admin saved
- face_jobs: detection and re-cluster jobs (start, run, stop), clear
- status: how far detection has come, over what a user sees
- assignment: a user says who a face is or is not
- lookalikes: groups of look-alike unassigned faces to name in one action
- people: rename, hide, cover, delete, merge, smart merge
- refresh: counts, centroids, covers and search documents after any change
"""

from .detection import (  # noqa: F401 - the package's public face, as the single module had
    INHERIT_IOU,
    NoPreview,
    detect_faces,
    face_crop,
    faces_applicable,
    find_faces,
    iou,
    load_preview,
)
from .status import faces_status  # noqa: F401
