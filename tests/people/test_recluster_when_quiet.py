"""The faces stage asks for one re-cluster once ingest goes quiet (debounced through a django-q2
schedule); the end-to-end run with a real worker is in test_people_from_a_new_library.py."""

import pytest
from django_q.models import Schedule

from apps.people.models import FaceJob
from apps.people.services import face_jobs
from apps.people.tasks import recluster_if_idle

pytestmark = pytest.mark.django_db


def test_each_call_pushes_the_one_pending_recluster_later(settings):
    settings.MEDIAHUB_FACE_RECLUSTER_DELAY = 60
    face_jobs.recluster_when_quiet()
    first = Schedule.objects.get(name=face_jobs.RECLUSTER_SCHEDULE).next_run
    face_jobs.recluster_when_quiet()
    pending = Schedule.objects.filter(name=face_jobs.RECLUSTER_SCHEDULE)
    assert pending.count() == 1 and pending.get().next_run > first


def test_no_schedule_when_the_delay_is_zero_and_no_second_job_while_one_is_queued(settings):
    settings.MEDIAHUB_FACE_RECLUSTER_DELAY = 0
    face_jobs.recluster_when_quiet()
    assert not Schedule.objects.filter(name=face_jobs.RECLUSTER_SCHEDULE).exists()
    assert recluster_if_idle().startswith("re-cluster job")
    assert recluster_if_idle().startswith("re-cluster not queued")
    assert FaceJob.objects.filter(kind=FaceJob.Kind.RECLUSTER).count() == 1
