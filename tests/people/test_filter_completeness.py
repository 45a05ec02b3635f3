"""Every field of Face and Person has a filter in apps/people/filters.py, or a reason it has none
(vectors and JSON are never filters: tests/filtersets.py leaves them out)."""

from apps.people.filters import FaceFilter, PersonFilter
from tests.filtersets import FilterSetCompleteness

GEOMETRY = "pixels of the preview: a client draws boxes with them, nobody looks faces up by position"


class TestFaceFilterIsComplete(FilterSetCompleteness):
    filterset = FaceFilter
    ignored = {
        "id": "the detail route, /api/faces/{id}/",
        "x": GEOMETRY,
        "y": GEOMETRY,
        "width": GEOMETRY,
        "height": GEOMETRY,
        "preview_width": GEOMETRY,
        "preview_height": GEOMETRY,
        "score": "the detector's confidence; the face settings' min_score keeps weak faces out already",
        "backend": "one backend per installation; clustering compares only faces of one backend",
        "assigned_by": "who decided is shown on each face; the review lists unassigned faces (`unassigned`)",
        "created": "faces are listed in id order (keyset); a date says nothing about who is in them",
    }


class TestPersonFilterIsComplete(FilterSetCompleteness):
    filterset = PersonFilter
    ignored = {
        "id": "the detail route, /api/people/{id}/",
        "cover_face": "which face the card shows",
        "face_count": "an ordering (`ordering=face_count`), not a filter",
        "created": "an ordering (`ordering=created`), not a filter",
    }
