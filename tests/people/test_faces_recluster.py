"""POST /api/faces/recluster queues one re-cluster job (needs apps/people/clustering)."""

import pytest
from django_q.models import OrmQ

from apps.people import tasks
from apps.people.models import FaceJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def recluster(admin_client, django_capture_on_commit_callbacks):
    def post(body=None):
        with django_capture_on_commit_callbacks(execute=True):
            return admin_client.post("/api/faces/recluster", body or {}, format="json")

    return post


def test_a_recluster_is_queued_once_and_runs_with_its_parameters(recluster):
    response = recluster({"max_distance": 0.4, "min_cluster_size": 2})
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    assert response.json()["state"] == "queued" and OrmQ.objects.count() == 1
    assert FaceJob.objects.get(pk=job_id).params == {"max_distance": 0.4, "min_cluster_size": 2}
    second = recluster()
    assert second.status_code == 409 and "already running" in second.json()["detail"]
    tasks.recluster_faces(job_id)  # what the worker runs
    job = FaceJob.objects.get(pk=job_id)
    assert job.state == "done" and job.finished and not job.error
    assert recluster().status_code == 202


@pytest.mark.parametrize(
    "body, field",
    [
        ({"max_distance": 5}, "max_distance"),
        ({"algorithm": "kmeans"}, "algorithm"),
        ({"min_cluster_size": 1}, "min_cluster_size"),
    ],
)
def test_bad_parameters_are_a_400_and_queue_nothing(recluster, body, field):
    response = recluster(body)
    assert response.status_code == 400 and field in response.json()
    assert not FaceJob.objects.exists() and OrmQ.objects.count() == 0


def test_stop_drops_a_queued_recluster(recluster, admin_client):
    job_id = recluster().json()["id"]
    stopped = admin_client.post("/api/faces/stop").json()["stopped"]
    assert [job["id"] for job in stopped] == [job_id]
    assert "skipped" in tasks.recluster_faces(job_id)
    assert FaceJob.objects.get(pk=job_id).state == "stopped"
