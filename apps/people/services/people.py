"""Curating people: rename, hide, cover, delete, merge (one, many, or every suggested pair).

Rights: a person is changed by whoever sees it (sees one of its faces). Moving faces (merge,
delete) also needs every face that moves to be visible to the caller, so nobody reshuffles faces
in photos they cannot see.
"""

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from apps.assets.models import Asset

from ..models import Face, FaceRejection, Person, shows_person
from .errors import InvalidRequest, NotAllowed
from .refresh import assets_of_people, refresh_people, reindex_assets


def people_with_covers(user):
    """Visible people, each with the face its card shows and how many faces the user can see.

    The cover is the chosen cover face when the user can see it, else their best visible face: a
    cover on someone else's photo must not leak through the thumbnail.
    """
    faces = Face.objects.visible_to(user)
    chosen = faces.filter(pk=OuterRef("cover_face_id")).values("pk")
    best = faces.filter(person=OuterRef("pk")).order_by("-score", "pk").values("pk")[:1]
    counted = (
        faces.filter(person=OuterRef("pk")).order_by().values("person").annotate(n=Count("pk")).values("n")
    )
    return Person.objects.visible_to(user).annotate(
        cover_id=Coalesce(Subquery(chosen), Subquery(best)),
        visible_faces=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
    )


def photos_of(user, person: Person):
    """The visible, not trashed assets showing `person`."""
    return Asset.objects.visible_to(user).alive().filter(shows_person(person.pk))


def faces_hidden_from(user, person_ids) -> set[int]:
    """The people among `person_ids` with at least one face `user` cannot see."""
    visible = Face.objects.visible_to(user)
    hidden = Face.objects.filter(person__in=list(person_ids)).exclude(pk__in=visible.values("pk"))
    return set(hidden.order_by().values_list("person_id", flat=True).distinct())


def check_faces_visible(user, people) -> None:
    if user.is_superuser:
        return
    blocked = faces_hidden_from(user, [p.pk for p in people])
    if blocked:
        names = ", ".join(str(p) for p in people if p.pk in blocked)
        raise NotAllowed(
            f"{names} also appears in photos you cannot see; "
            "only someone who sees them all can move those faces"
        )


def update_person(person: Person, changes: dict) -> Person:
    """name, hidden, cover_face (the caller checked the cover is one of the person's faces)."""
    # Search documents hold the names of shown people: a rename or a hide changes them.
    searchable = any(
        field in changes and changes[field] != getattr(person, field) for field in ("name", "hidden")
    )
    for field, value in changes.items():
        setattr(person, field, value)
    with transaction.atomic():
        person.save(update_fields=list(changes) or None)
        if searchable:
            reindex_assets(assets_of_people([person.pk]))
    return person


def delete_person(user, person: Person) -> None:
    """The person goes; their faces stay, unassigned and free for clustering again."""
    check_faces_visible(user, [person])
    with transaction.atomic():
        assets = assets_of_people([person.pk])
        Face.objects.filter(person=person).update(person=None, assigned_by=Face.AssignedBy.AUTO)
        person.delete()  # its rejections go with it: there is no one left to reject
        reindex_assets(assets)


def merge_people(user, sources: list[Person], target: Person, by_user: bool = True) -> Person:
    """Merge `sources` into `target`: their faces and "not this person" rejections move, the target
    keeps its name (or takes the first source name when it has none) and its cover (or a source's).

    `by_user`: the moved faces count as the user's assignment, so a re-cluster keeps them together;
    smart merge passes False and leaves them automatic."""
    sources = [p for p in sources]
    if any(p.pk == target.pk for p in sources):
        raise InvalidRequest("cannot merge a person into itself", field="into")
    if not sources:
        raise InvalidRequest("no people to merge", field="people")
    check_faces_visible(user, sources)
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
    """Pairs of visible, not hidden people whose centroids lie closer than `max_distance`."""
    from .face_settings import current
    from .refresh import clustering_function

    suggest = clustering_function("merge_suggestions")
    if suggest is None:
        raise ImportError("apps.people.clustering.merge_suggestions is not installed")
    if max_distance is None:
        max_distance = current().merge_distance
    try:
        return suggest(Person.objects.visible_to(user).filter(hidden=False), max_distance=max_distance)
    except ValueError as exc:
        raise InvalidRequest(str(exc), field="max_distance") from None


def smart_merge(user, max_distance: float | None = None) -> dict:
    """Merge every suggested pair, the smaller person into the bigger. Two named people are never
    merged into each other automatically (only a user can say two names are one person); pairs with
    faces the caller cannot see are skipped too."""
    pairs = sorted(merge_suggestions(user, max_distance), key=lambda pair: pair[2])
    people = {p.pk: p for a, b, _ in pairs for p in (a, b)}
    blocked = set() if user.is_superuser else faces_hidden_from(user, people)
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
        if a.pk in blocked or b.pk in blocked:
            report["skipped_not_visible"] += 1
            continue
        source, target = sorted((a, b), key=lambda p: (p.face_count, -p.pk))
        merge_people(user, [source], target, by_user=False)
        people[target.pk] = target
        merged_into[source.pk] = target.pk
        report["merged"].append(
            {"person": source.pk, "into": target.pk, "distance": round(float(distance), 4)}
        )
    return report


def thumbnail_face(user, person: Person) -> Face | None:
    """The cover face when the caller can see it, else their best visible face of the person."""
    faces = Face.objects.visible_to(user).filter(person=person)
    if person.cover_face_id:
        cover = faces.filter(pk=person.cover_face_id).first()
        if cover is not None:
            return cover
    return faces.order_by("-score", "-width", "pk").first()
