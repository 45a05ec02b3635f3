"""Culling decisions: what the caller keeps and rejects from a series, written to their OWN rejected
flags (apps/assets/user_state.py). Nothing is deleted or moved: a rejected photo stays in the library,
hidden by the `rejected=false` filter, and one "unreject" brings it back."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.errors import BadInput

from .. import user_state


def decide(user, keep, reject) -> dict:
    """Unreject `keep`, reject `reject`; all or nothing: an id the caller cannot see fails the whole
    decision (user_state.AssetsNotFound) and nothing is written."""
    keep, reject = set(keep), set(reject)
    if not keep and not reject:
        raise BadInput(_("Name at least one photo to keep or reject."), field="keep")
    if both := keep & reject:
        raise BadInput(_("A photo cannot be kept and rejected at once: %(ids)s")
                       % {"ids": ", ".join(sorted(map(str, both)))}, field="reject")
    with transaction.atomic():
        kept = user_state.apply_action(user, keep, "unreject") if keep else 0
        rejected = user_state.apply_action(user, reject, "reject") if reject else 0
    return {"kept": kept, "rejected": rejected}
