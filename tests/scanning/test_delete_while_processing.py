"""Removing a library or a file while pipeline workers process it: safe for the request and the worker.

Two real database connections (threads), with the interleavings forced by events and by watching
PostgreSQL's lock waits, never by sleeping.
"""

import logging
import threading
import time

import pytest
from django.db import connection, transaction
from django.urls import get_resolver

from apps.assets.metadata.stage import MetadataStage
from apps.assets.models import Asset, AssetMetadata
from apps.scanning.models import AssetStage, Library
from apps.scanning.pipeline import run_stages
from tests.conftest import client_for

from .conftest import make_tree

FILES = 3
DEADLINE = 30


class GatedMetadataStage(MetadataStage):
    """The real metadata stage, held at the gate before its first write until the test opens it."""

    reached = threading.Event()
    gate = threading.Event()

    def run(self, asset):
        type(self).reached.set()
        assert type(self).gate.wait(DEADLINE), "the test never opened the gate"
        super().run(asset)


@pytest.fixture
def photos(library, library_root):
    for relative in make_tree(library_root, FILES):
        Asset.objects.create(
            library=library,
            path=relative,
            filename=relative.rsplit("/", 1)[-1],
            kind="photo",
            size=1,
            status=Asset.Status.PENDING,
        )
    return list(Asset.objects.filter(library=library).order_by("path"))


class Thread(threading.Thread):
    """Runs `target` on its own database connection and keeps its result or exception."""

    def __init__(self, target):
        super().__init__(daemon=True)
        self.target, self.result, self.error = target, None, None

    def run(self):
        try:
            self.result = self.target()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            self.error = exc
        finally:
            connection.close()

    def outcome(self):
        self.join(DEADLINE)
        assert not self.is_alive(), "the thread did not finish"
        if self.error:
            raise self.error
        return self.result


def wait_until(condition, what):
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def another_session_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else a transaction sees its first reading
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_worker_whose_assets_are_deleted_mid_stage_drops_its_work_quietly(
    settings, superuser, library, photos, caplog
):
    settings.MEDIAHUB_PIPELINE_STAGES = [f"{__name__}.GatedMetadataStage"]
    GatedMetadataStage.reached.clear()
    GatedMetadataStage.gate.clear()
    worker = Thread(lambda: run_stages([asset.pk for asset in photos]))
    worker.start()
    try:
        assert GatedMetadataStage.reached.wait(DEADLINE)
        response = client_for(superuser).delete(f"/api/libraries/{library.pk}/")
    finally:
        GatedMetadataStage.gate.set()
    report = worker.outcome()

    assert response.status_code == 204
    assert not Library.objects.filter(pk=library.pk).exists()
    assert (report.failed, report.vanished, report.errors) == (0, FILES, [])
    assert not AssetStage.objects.exists() and not AssetMetadata.objects.exists()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], "the worker complained"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("what", ["library", "asset"])
def test_a_delete_while_a_worker_commits_a_stage_row_succeeds(superuser, library, photos, what):
    get_resolver().url_patterns  # imports every view now, not in the request thread against the deadline
    url = f"/api/libraries/{library.pk}/" if what == "library" else f"/api/assets/{photos[0].pk}/?permanent=true"
    request = Thread(lambda: client_for(superuser).delete(url))
    # The worker's side: a stage status for the asset, not committed yet. Immediate constraints
    # make it hold its lock on the asset now, as a deferred check does at commit.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        AssetStage.objects.create(asset=photos[0], stage="metadata")
        request.start()
        wait_until(lambda: another_session_waits_on_a_lock() or not request.is_alive(), "the delete to wait")
    response = request.outcome()

    assert response.status_code in (204, 409), (response.status_code, response.content)
    if response.status_code == 204:
        assert not Asset.objects.filter(pk=photos[0].pk).exists()
        assert not AssetStage.objects.filter(asset_id=photos[0].pk).exists()
