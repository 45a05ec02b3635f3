"""A user says who a face is (assign) or is not (unassign). Clustering must never undo either:
assignments are marked `assigned_by=user`, and an unassign leaves a "not this person" rejection.

Rights: `Face.objects.visible_to(user, Action.CHANGE)`: changing a face needs the right to change
its photo (the library's owner or a superadmin); seeing the photo through a share is not enough.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core import events
from apps.core.errors import BadInput, Refused
from apps.core.querysets import Action

from ..models import Face, FaceRejection, Person
from .refresh import asset_ids_of, refresh_people, reindex_assets


def check_faces(user, faces) -> None:
    """Refused, naming them, unless `user` may change every one of `faces`."""
    ids = [face.pk for face in faces]
    changeable = Face.objects.filter(pk__in=ids).visible_to(user, Action.CHANGE)
    allowed = set(changeable.values_list("pk", flat=True))
    refused = sorted(set(ids) - allowed)
    if refused:
        raise Refused(_("only the owner of the library can change faces %(names)s")
                      % {"names": ', '.join(map(str, refused))})


def assign_faces(user, faces: list[Face], person: Person | None = None, name: str | None = None) -> Person:
    """Put `faces` into `person`, or into a new person called `name`; returns the person.

    `faces` are visible to `user` (the caller looked them up through `visible_to`)."""
    if (person is None) == (not name):
        raise BadInput(_("give either an existing person or a name for a new one"), field="person")
    if not faces:
        raise BadInput(_("no faces given"), field="faces")
    check_faces(user, faces)
    ids = [face.pk for face in faces]
    with transaction.atomic():
        if person is None:
            person = Person.objects.create(name=name.strip())
            events.emit(events.PERSON_NAMED, person, {"person": person.pk, "name": person.name})
        before = {face.person_id for face in faces}
        Face.objects.filter(pk__in=ids).update(person=person, assigned_by=Face.AssignedBy.USER)
        # The user has just said these faces *are* this person: an older "not this person" goes.
        FaceRejection.objects.filter(face__in=ids, person=person).delete()
        if person.cover_face_id is None:
            best = max(faces, key=lambda face: (face.score, face.width * face.height))
            Person.objects.filter(pk=person.pk).update(cover_face=best)
        refresh_people(before | {person.pk})
        reindex_assets(face.asset_id for face in faces)
    person.refresh_from_db()
    return person


def unassign_face(user, face: Face) -> Face:
    """Take the face out of its person for good: a rejection keeps clustering from putting it back.

    The face goes back to `assigned_by=auto`, so clustering may still place it with someone else."""
    check_faces(user, [face])
    if face.person_id is None:
        return face
    old = face.person_id
    with transaction.atomic():
        FaceRejection.objects.get_or_create(face=face, person_id=old, defaults={"created_by": user})
        face.person, face.assigned_by = None, Face.AssignedBy.AUTO
        face.save(update_fields=["person", "assigned_by"])
        refresh_people([old])
        reindex_assets(asset_ids_of(Face.objects.filter(pk=face.pk)))
    return face
