"""Events other programs may hear about (webhooks, apps/webhooks), told without importing the listener.

    events.emit(events.ALBUM_SHARED, album, {"album": album.pk, "via": "member", "user": member.pk})

A service calls `emit` where the thing happened, inside its transaction or not: listeners hear it only
once the transaction commits (a rolled-back share was never shared), and never at all when it rolls
back. `subject` is the model instance whose visibility decides who may hear of it: a listener asks
`type(subject).objects.visible_to(someone)` for `subject_pk`, so an event about a private library is
heard only by those who see that library. `data` holds ids and counts, never photo content: it
leaves the server as JSON.
"""

from django.db import transaction
from django.dispatch import Signal

SCAN_FINISHED = "scan.finished"
ASSETS_ADDED = "assets.added"
UPLOAD_DONE = "upload.done"
PERSON_NAMED = "person.named"
ALBUM_SHARED = "album.shared"
# A hook's test delivery (POST /api/webhooks/{id}/ping/); never emitted by a service.
PING = "ping"

# name -> what it means, for the API's schema, the admin's choices and the README.
EVENTS = {
    SCAN_FINISHED: "A scan of a library ended (done or failed), with its counts",
    ASSETS_ADDED: "New files were indexed in a library (by a scan or an upload)",
    UPLOAD_DONE: "An upload finished: a new asset, or a duplicate of one the uploader has",
    PERSON_NAMED: "A person was given a name (a new person or a rename)",
    ALBUM_SHARED: "An album was shared with a user or by a link",
}

# Sent after the commit with: event (a name above), subject_label ("app_label.model"), subject_pk,
# data (a JSON-able dict).
event_happened = Signal()


def emit(event: str, subject, data: dict) -> None:
    """Tell listeners `event` about `subject` (a model instance) once the current transaction commits."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    label, pk = subject._meta.label_lower, subject.pk
    transaction.on_commit(
        lambda: event_happened.send(sender=event, event=event, subject_label=label, subject_pk=pk, data=data),
        robust=True,  # a listener's failure must not fail the work that already committed
    )
