"""Permission matrix of the search API."""

from tests.factories import LibraryFactory
from tests.permission_matrix import ANY_SIGNED_IN, OWNER, SUPERADMIN, Endpoint, PermissionMatrix

from .helpers import indexed


def counts_only_visible(response, asset, caller):
    [cameras] = response.json()
    counts = {o["value"]: o["count"] for o in cameras["options"]}
    assert counts.get("Matrix Cam") == (1 if caller in (OWNER, SUPERADMIN) else None), (caller, counts)


def coverage_counts_only_visible(response, asset, caller):
    totals = {row["embedding"]: row["total"] for row in response.json()["embeddings"]}
    assert totals["search"] == (1 if caller in (OWNER, SUPERADMIN) else 0), (caller, totals)


class TestSearchMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/search/", ANY_SIGNED_IN, query={"q": "matrix"}, listed={OWNER, SUPERADMIN}),
        Endpoint("GET", "/api/search/filter-options/", ANY_SIGNED_IN, query={"dimension": "cameras"},
                 check=counts_only_visible),
        Endpoint("GET", "/api/search/coverage/", ANY_SIGNED_IN, check=coverage_counts_only_visible),
    ]

    def make_object(self, owner):
        return indexed(library=LibraryFactory(owner=owner), path="matrix/IMG_1.jpg", camera_model="Matrix Cam")
