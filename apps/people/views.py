"""People pages: the people grid, one person's page, the unassigned-faces review, merge suggestions.

Pages read through `visible_to` only; every change goes through the JSON API from static/js/people.js,
so the UI and API clients share one set of rules.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from apps.assets.presentation import PAGE_SIZE, grid_rows
from apps.assets.stacks.services import one_per_stack
from apps.assets.user_state import with_user_state
from apps.core import keyset
from apps.core.querysets import Action
from apps.core.validators import plain_id

from . import backends
from .models import Face, Person
from .services.dismissals import dismiss_pair, dismissed_pairs
from .services.lookalikes import lookalike_groups
from .services.people import merge_order, merge_suggestions, people_with_covers, photos_of

PEOPLE_PER_PAGE = 120
FACES_PER_PAGE = 60
COVER_SIZE = 240  # px: crisp on a 2x screen at the grid's tile size
FACE_SIZE = 160


@login_required
def index(request):
    show_hidden = request.GET.get("hidden") == "1"
    people = people_with_covers(request.user)
    if not show_hidden:
        people = people.filter(hidden=False)
    # The stored count orders (all faces, one column): sorting by the visible count would count
    # every person's faces before LIMIT, five times slower at 3,000 people. Cards show visible counts.
    people = people.order_by("-face_count", "pk")
    offset = _offset(request)
    if offset is None:
        return HttpResponseBadRequest("offset must be a number")
    page = list(people[offset : offset + PEOPLE_PER_PAGE + 1])
    context = {
        "people": page[:PEOPLE_PER_PAGE],
        "next_offset": offset + PEOPLE_PER_PAGE if len(page) > PEOPLE_PER_PAGE else None,
        "show_hidden": show_hidden,
        "cover_size": COVER_SIZE,
    }
    if request.htmx:
        return render(request, "people/index.html#people-page", context)
    context |= {
        "unavailable": backends.unavailable_reason(),
        "hidden_count": Person.objects.visible_to(request.user).filter(hidden=True).count(),
        "unassigned_count": Face.objects.visible_to(request.user).filter(person__isnull=True).count(),
    }
    return render(request, "people/index.html", context)


def _offset(request) -> int | None:
    raw = request.GET.get("offset", "0")
    return plain_id(raw)


def _person_or_404(user, pk) -> Person:
    return get_object_or_404(people_with_covers(user), pk=pk)


def _may_change(user, person) -> bool:
    """Whether the page offers renaming, hiding and the cover (the API would refuse them)."""
    return Person.objects.visible_to(user, Action.CHANGE).filter(pk=person.pk).exists()


def _photos_page(request, person):
    assets = one_per_stack(photos_of(request.user, person), request.user)
    assets = with_user_state(assets, request.user)  # the tiles' badges
    page = keyset.timeline_page(assets.select_related("library"), request.GET.get("cursor"), PAGE_SIZE)
    rows = grid_rows(page.items, "")
    next_url = f"?cursor={page.next_cursor}" if page.next_cursor else None
    return rows, next_url


def _faces_page(request, person):
    faces = Face.objects.visible_to(request.user).filter(person=person).select_related("asset")
    after = request.GET.get("after", "")
    if plain_id(after) is not None:
        faces = faces.filter(pk__gt=plain_id(after))
    page = list(faces.order_by("pk")[: FACES_PER_PAGE + 1])
    more = page[FACES_PER_PAGE - 1].pk if len(page) > FACES_PER_PAGE else None
    return page[:FACES_PER_PAGE], more


@login_required
def person_detail(request, pk):
    person = _person_or_404(request.user, pk)
    try:
        rows, next_url = _photos_page(request, person)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    context = {"person": person, "rows": rows, "next_url": next_url, "cover_size": COVER_SIZE,
               "set_query": f"person={person.pk}"}  # the photo's previous/next stay with this person
    if request.htmx:
        return render(request, "people/person.html#photo-page", context)
    faces, faces_after = _faces_page(request, person)
    context |= {
        "faces": faces,
        "faces_after": faces_after,
        "face_size": FACE_SIZE,
        "photo_count": photos_of(request.user, person).count(),
        "may_change": _may_change(request.user, person),
    }
    return render(request, "people/person.html", context)


@login_required
def person_faces(request, pk):
    """The next page of a person's faces (the "more" row of the person page)."""
    person = _person_or_404(request.user, pk)
    faces, faces_after = _faces_page(request, person)
    context = {
        "person": person,
        "faces": faces,
        "faces_after": faces_after,
        "face_size": FACE_SIZE,
        "may_change": _may_change(request.user, person),
    }
    return render(request, "people/person.html#face-page", context)


@login_required
def unassigned(request):
    faces = Face.objects.visible_to(request.user).filter(person__isnull=True)
    before = request.GET.get("before", "")
    page_faces = faces.filter(pk__lt=plain_id(before)) if plain_id(before) is not None else faces
    page = list(page_faces.select_related("asset").order_by("-pk")[: FACES_PER_PAGE + 1])
    context = {
        "faces": page[:FACES_PER_PAGE],
        "before": page[FACES_PER_PAGE - 1].pk if len(page) > FACES_PER_PAGE else None,
        "face_size": FACE_SIZE,
    }
    if request.htmx:
        return render(request, "people/unassigned.html#face-page", context)
    context |= {
        "total": faces.count(),
        "groups": lookalike_groups(request.user),
        # Named people only: an unnamed cluster is picked by its face, not from a list of numbers
        # (merge it on the People page instead).
        "choices": Person.objects.visible_to(request.user)
        .filter(hidden=False)
        .exclude(name="")
        .order_by("name", "pk")
        .only("pk", "name"),
    }
    return render(request, "people/unassigned.html", context)


@login_required
def suggestions(request):
    dismissed = dismissed_pairs(request.user)
    max_distance = _max_distance(request)
    found = merge_suggestions(request.user, max_distance)  # people as people_with_covers reads them
    pairs = [
        _pair(a, b, distance)
        for a, b, distance in sorted(found, key=lambda pair: pair[2])
        if (min(a.pk, b.pk), max(a.pk, b.pk)) not in dismissed
    ]
    context = {"pairs": pairs, "cover_size": COVER_SIZE, "max_distance": max_distance}
    return render(request, "people/suggestions.html", context)


def _max_distance(request) -> float | None:
    """`?max_distance=` within cosine distance's range; anything else means the configured default."""
    try:
        value = float(request.GET.get("max_distance", ""))
    except ValueError:
        return None
    return value if 0 < value <= 2 else None


def _pair(a: Person, b: Person, distance: float) -> dict:
    """Side by side, with the one to keep first (the rule smart merge follows too)."""
    keep, merge = merge_order([a, b])
    return {"people": [a, b], "keep": keep, "merge": merge, "distance": distance}


@login_required
@require_POST
def dismiss_suggestion(request, a, b):
    """"Not the same": this pair is not suggested to this user again (the page fetches the rest anew)."""
    dismiss_pair(request.user, a, b)
    return HttpResponse("")
