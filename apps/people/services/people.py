"""Curating people: rename, hide, cover, delete, merge (one, many, or every suggested pair).

Who may do what is `Person.objects.visible_to(user, action)`: the API's viewset checks it per
request, and the services here check it again for every person they change, because the admin
site and smart merge call them too.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.assets.models import Asset
from apps.core import events
from apps.core.errors import BadInput, Refused
from apps.core.querysets import Action

from .. import clustering
from ..models import Face, FaceRejection, Person, shows_person
from .face_settings import current
from .refresh import assets_of_people, refresh_people, reindex_assets


def people_with_covers(user):
    """Visible people, each with the face its card shows (`cover_id`) and how many of their faces
    the user can see (`visible_faces`): see PersonQuerySet.as_seen_by."""
    return Person.objects.visible_to(user).as_seen_by(user)


def photos_of(user, person: Person):
    """The visible, not trashed assets showing `person`."""
    return Asset.objects.visible_to(user).alive().filter(shows_person(person.pk))


def photos_to_download(user, person: Person):
    """The photos of `person` whose originals `user` may download (for the person's ZIP)."""
    return Asset.objects.visible_to(user, Action.DOWNLOAD).alive().filter(shows_person(person.pk))


def people_by_ids(user, ids, field: str) -> list[Person]:
    """People named in a request: all must be visible, else BadInput naming the missing (someone
    the caller cannot see is simply not there)."""
    found = {p.pk: p for p in people_with_covers(user).filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise BadInput(errors={field: f"no such person: {', '.join(map(str, missing))}"})
    return [found[pk] for pk in dict.fromkeys(ids)]


def check_people(user, people, action: Action) -> None:
    """Refused, naming them, unless `user` may `action` every one of `people`."""
    may = Person.objects.filter(pk__in=[p.pk for p in people]).visible_to(user, action)
    allowed = set(may.values_list("pk", flat=True))
    refused = [p for p in people if p.pk not in allowed]
    if refused:
        names = ", ".join(str(p) for p in refused)
        raise Refused(
            f"{names} also appears in photos you cannot see or change; "
            f"only an admin who sees them all can change {'them' if len(refused) > 1 else 'this person'}"
        )


def merge_order(people) -> list[Person]:
    """The people of a merge, the one that stays first: a named person over an unnamed one (its
    name and page stay), then the one with more faces (that the caller sees), then the older. The
    one rule for the suggestions page, smart merge and the admin's merge action."""
    return sorted(people, key=lambda p: (not p.name, -p.visible_faces, p.pk))


def update_person(user, person: Person, changes: dict) -> Person:
    """name, hidden, cover_face (the caller checked the cover is one of the person's faces)."""
    check_people(user, [person], Action.CHANGE)
    # Search documents hold the names of shown people: a rename or a hide changes them.
    searchable = any(
        field in changes and changes[field] != getattr(person, field) for field in ("name", "hidden")
    )
    named = bool(changes.get("name")) and changes["name"] != person.name
    for field, value in changes.items():
        setattr(person, field, value)
    with transaction.atomic():
        person.save(update_fields=list(changes) or None)
        if searchable:
            reindex_assets(assets_of_people([person.pk]))
        if named:
            tell_named(person)
    return person


def tell_named(person: Person) -> None:
    """The person.named event (webhooks): heard only by hooks whose owner sees the person."""
    events.emit(events.PERSON_NAMED, person, {"person": person.pk, "name": person.name})


def delete_person(user, person: Person) -> None:
    """The person goes; their faces stay, unassigned and free for clustering again."""
    check_people(user, [person], Action.DELETE)
    with transaction.atomic():
        assets = assets_of_people([person.pk])
        Face.objects.filter(person=person).update(person=None, assigned_by=Face.AssignedBy.AUTO)
        person.delete()  # its rejections go with it: there is no one left to reject
        reindex_assets(assets)


def merge_people(user, sources: list[Person], target: Person, by_user: bool = True) -> Person:
    """Merge `sources` into `target`: their faces and "not this person" rejections move, the target
    keeps its name (or takes the first source name when it has none) and its cover (or a source's).
    The sources go and the target changes, so the caller needs the right to delete the ones and
    change the other.

    `by_user`: the moved faces count as the user's assignment, so a re-cluster keeps them together;
    smart merge passes False and leaves them automatic."""
    sources = list(sources)
    if any(p.pk == target.pk for p in sources):
        raise BadInput(_("cannot merge a person into itself"), field="into")
    if not sources:
        raise BadInput(_("no people to merge"), field="people")
    check_people(user, sources, Action.DELETE)
    check_people(user, [target], Action.CHANGE)
    source_ids = [p.pk for p in sources]
    with transaction.atomic():
        assets = assets_of_people(source_ids)
        moved = Face.objects.filter(person__in=source_ids)
        if by_user:
            moved.update(person=target, assigned_by=Face.AssignedBy.USER)
        else:
            moved.update(person=target)
        _move_rejections(source_ids, target)
        if not target.name:
            target.name = next((p.name for p in sources if p.name), "")
        if target.cover_face_id is None:
            target.cover_face_id = next((p.cover_face_id for p in sources if p.cover_face_id), None)
        target.save(update_fields=["name", "cover_face"])
        Person.objects.filter(pk__in=source_ids).delete()
        refresh_people([target.pk])
        reindex_assets(assets)
    target.refresh_from_db()
    return target


def _move_rejections(source_ids, target: Person) -> None:
    """ "Not A" becomes "not B" once A is B; faces already in B are left alone (the user put them
    there, or a rejection would contradict where they are)."""
    rejected = (
        FaceRejection.objects.filter(person__in=source_ids)
        .exclude(face__person=target)
        .values_list("face_id", "created_by_id")
    )
    FaceRejection.objects.bulk_create(
        [FaceRejection(face_id=face, person=target, created_by_id=by) for face, by in dict(rejected).items()],
        ignore_conflicts=True,
    )


def merge_suggestions(user, max_distance: float | None = None) -> list[tuple[Person, Person, float]]:
    """Pairs of visible, not hidden people whose centroids lie closer than `max_distance`, each
    person as people_with_covers gives it."""
    if max_distance is None:
        max_distance = current().merge_distance
    try:
        shown = people_with_covers(user).filter(hidden=False)
        return clustering.merge_suggestions(shown, max_distance=max_distance)
    except ValueError as exc:
        raise BadInput(str(exc), field="max_distance") from None


def smart_merge(user, max_distance: float | None = None) -> dict:
    """Merge every suggested pair into the one merge_order keeps. Two named people are never
    merged into each other automatically (only a user can say two names are one person); pairs
    with a person the caller may not merge (faces in photos they cannot see) are skipped too."""
    pairs = sorted(merge_suggestions(user, max_distance), key=lambda pair: pair[2])
    people = {p.pk: p for a, b, _ in pairs for p in (a, b)}
    # Merging deletes one and changes the other: for people the same rule (Person.visible_to).
    may = Person.objects.filter(pk__in=people).visible_to(user, Action.DELETE)
    allowed = set(may.values_list("pk", flat=True))
    merged_into: dict[int, int] = {}
    report = {"merged": [], "skipped_named": 0, "skipped_not_visible": 0}

    def current_of(pk: int) -> Person:
        while pk in merged_into:
            pk = merged_into[pk]
        return people[pk]

    for first, second, distance in pairs:
        a, b = current_of(first.pk), current_of(second.pk)
        if a.pk == b.pk:
            continue
        if a.name and b.name:
            report["skipped_named"] += 1
            continue
        if not {a.pk, b.pk} <= allowed:
            report["skipped_not_visible"] += 1
            continue
        target, source = merge_order([a, b])
        faces = target.visible_faces + source.visible_faces
        merge_people(user, [source], target, by_user=False)
        target.visible_faces = faces  # the caller saw all of both (they may merge them)
        merged_into[source.pk] = target.pk
        merged = {"person": source.pk, "into": target.pk, "distance": round(float(distance), 4)}
        report["merged"].append(merged)
    return report


def thumbnail_face(person: Person) -> Face | None:
    """The face a person's thumbnail shows to the caller `person` was read for (people_with_covers):
    the cover when they can see it, else their best visible face of the person."""
    return Face.objects.filter(pk=person.cover_id).first() if person.cover_id else None
