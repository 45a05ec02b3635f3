"""A real django-q2 worker delivers a real event to a local receiver, signed."""

import json

import pytest

from apps.albums import services as albums
from apps.webhooks import signing
from apps.webhooks.models import Delivery
from tests.scanning.subprocess_env import child_env, qcluster
from tests.scanning.test_crash import wait_for


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_an_album_shared_event_to_the_admins_receiver(
    admin, bob, hook_for, receiver, tmp_path
):
    hook = hook_for(admin, "album.shared")
    album = albums.create_album(admin, "Team")
    with qcluster(child_env(tmp_path / "worker-data")) as cluster:
        albums.add_member(admin, album, bob.pk)  # autocommit: the event fans out at once, queued
        wait_for(lambda: Delivery.objects.filter(hook=hook, state="delivered").exists(), cluster,
                 "the delivery to be sent by the worker")
    [got] = receiver.received
    assert signing.verify(hook.secret, got.headers["MediaHub-Signature"], got.body)
    body = json.loads(got.body)
    assert (body["event"], body["data"]["album"], body["data"]["user"]) == ("album.shared", album.pk, bob.pk)
    assert Delivery.objects.get(hook=hook).attempt_log.get().status_code == 200
