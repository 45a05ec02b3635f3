"""Permission matrix of /api/jobs/, /api/system/ and /metrics.

Jobs and the system report act on, and tell about, the whole installation: the admin role's. /metrics
is guarded by token or address, not by account: the test client calls from 127.0.0.1, an allowed
address by default, so everyone gets it here (tests/stats/test_metrics.py refuses the others).
"""

from tests.factories import AssetFactory, LibraryFactory
from tests.permission_matrix import PUBLIC, Endpoint, PermissionMatrix, expect

ADMIN_ROLE = expect(401, 403, 403, 200, 200)
ADMIN_ROLE_ACCEPTED = expect(401, 403, 403, 202, 202)


def kinds_listed(response, asset, caller):
    names = {kind["name"] for kind in response.json()["kinds"]}
    assert {"metadata", "thumbnails", "faces", "clip", "scans", "duplicates"} <= names


class TestJobsMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/jobs/", ADMIN_ROLE, check=kinds_listed),
        Endpoint("POST", "/api/jobs/metadata/run/", ADMIN_ROLE_ACCEPTED, data={"action": "missing"}),
        Endpoint("POST", "/api/jobs/previews/pause/", ADMIN_ROLE_ACCEPTED),
        Endpoint("POST", "/api/jobs/previews/resume/", ADMIN_ROLE_ACCEPTED),
        Endpoint("GET", "/api/system/", ADMIN_ROLE),
        Endpoint("GET", "/metrics", PUBLIC),
    ]

    def make_object(self, owner):
        return AssetFactory(library=LibraryFactory(owner=owner))
