"""A new library gets its people with nobody asking: a real django-q2 cluster scans corpus photos,
the faces stage finds strangers, and the quiet-time re-cluster it schedules makes them people."""

import shutil
from collections import defaultdict

import pytest

from apps.assets.models import Asset
from apps.people.models import Face, Person
from apps.scanning import services
from tests.corpus import needs_corpus
from tests.factories import LibraryFactory
from tests.people.corpus_faces import FACES, needs_faces_corpus, needs_ml
from tests.scanning.subprocess_env import child_env, qclusters
from tests.scanning.test_crash import wait_for

pytestmark = [*needs_corpus, needs_faces_corpus, needs_ml, pytest.mark.django_db(transaction=True)]


FOLDERS = ("deepface_id01", "deepface_id02", "deepface_id03")


def test_a_scanned_library_ends_with_one_person_per_identity(tmp_path, superuser):
    root = tmp_path / "photos"
    for folder in FOLDERS:
        shutil.copytree(FACES / folder, root / folder)
    library = LibraryFactory(root_path=str(root), owner=superuser, name="Family")
    photos = sum(1 for _ in root.rglob("*.jpg"))
    # The scheduler looks at schedules every 30 s, so a 1 s delay means "at its next look".
    env = child_env(tmp_path / "worker-data", MEDIAHUB_WORKERS=2, MEDIAHUB_FACE_RECLUSTER_DELAY=1)
    with qclusters(env) as (cluster, _long):
        services.start_scan(library)
        ready = Asset.objects.filter(library=library, status="ready")
        wait_for(lambda: ready.count() == photos, cluster, "the pipeline", timeout=180)
        wait_for(lambda: Person.objects.count() >= len(FOLDERS), cluster, "the quiet-time re-cluster", timeout=120)
    folders_of = defaultdict(set)
    for person_id, path in Face.objects.filter(person__isnull=False).values_list("person_id", "asset__path"):
        folders_of[person_id].add(path.split("/")[0])
    assert all(len(folders) == 1 for folders in folders_of.values()), f"people mixed up: {dict(folders_of)}"
    assert {next(iter(f)) for f in folders_of.values()} == set(FOLDERS)
