""""Not the same": merge suggestions a user turned down, remembered in the database per user."""

from django.utils.translation import gettext as _

from apps.core.errors import NotFound

from ..models import DismissedSuggestion, Person


def dismiss_pair(user, a: int, b: int) -> None:
    """Never suggest merging these two people to this user again (both must be theirs to see)."""
    if a == b or Person.objects.visible_to(user).filter(pk__in=[a, b]).count() != 2:
        raise NotFound(_("no such pair of people"))
    low, high = sorted((a, b))
    DismissedSuggestion.objects.get_or_create(user=user, person_a_id=low, person_b_id=high)


def dismissed_pairs(user) -> set[tuple[int, int]]:
    """(lower id, higher id) of every pair this user said are not the same person."""
    return set(DismissedSuggestion.objects.filter(user=user).values_list("person_a_id", "person_b_id"))
