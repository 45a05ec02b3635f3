"""People and faces domain logic; views, tasks, commands and admin call these, never each other.

- detection: finding faces in assets, crops, status
- face_settings: env defaults overridden by what an admin saved
- assignment: a user says who a face is or is not
- people: rename, hide, cover, delete, merge, smart merge
- faces_control: detection and re-cluster jobs, stop, clear
- refresh: counts, centroids, covers and search documents after any change
"""

from .detection import (  # noqa: F401 - the package's public face, as the single module had
    INHERIT_IOU,
    NoPreview,
    detect_faces,
    face_crop,
    faces_applicable,
    faces_status,
    find_faces,
    iou,
    load_preview,
    queue_face_detection,
    refresh_face_counts,
)
from .errors import Conflict, InvalidRequest, NotAllowed, PeopleError  # noqa: F401
