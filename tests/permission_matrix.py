"""A permission matrix for API endpoints, in the style of NetBox's APIViewTestCases.

A test class declares its endpoints, how to build an object owned by a given user, and the status
each class of caller must get; the mixin generates one test per (endpoint, caller):

    class TestAssetMatrix(PermissionMatrix):
        endpoints = [
            Endpoint("GET", "/api/assets/", expect(anonymous=401, other=200, owner=200, admin=200, superadmin=200),
                     listed={OWNER, SUPERADMIN}),
            Endpoint("GET", "/api/assets/{pk}/", expect(401, 404, 200, 404, 200)),
        ]

        def make_object(self, owner):
            return AssetFactory(library=LibraryFactory(owner=owner))

The callers: `anonymous`; `owner` (a plain user who owns the object); `other` (a plain user who does
not); `admin` (the admin role, not the owner, nothing shared with them); `superadmin`.
Each app declares its matrix beside its other tests, in tests/<app>/test_matrix_*.py.

Album matrices add three callers (`callers = CALLERS + ALBUM_CALLERS`, rows with
`expect(..., viewer=, contributor=, stranger=)`): `album_viewer` and `album_contributor`, members
with that role of the owner's album the object is or is in, and `stranger`, a member of another of
the owner's albums only. make_object reads `self.users[caller]` to share with them
(tests/albums/matrix.py). URLs may name more than `{pk}`: `url_kwargs(obj)` fills the rest.
tests/core/test_matrix_completeness.py fails when a route under /api/ has no declaration, so a new
endpoint is not done until its matrix is.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from apps.accounts import services
from tests.factories import UserFactory

ANONYMOUS, OTHER, OWNER, ADMIN, SUPERADMIN = "anonymous", "other", "owner", "admin", "superadmin"
CALLERS = (ANONYMOUS, OTHER, OWNER, ADMIN, SUPERADMIN)
VIEWER, CONTRIBUTOR, STRANGER = "album_viewer", "album_contributor", "stranger"
ALBUM_CALLERS = (VIEWER, CONTRIBUTOR, STRANGER)
# Stands in for any pk when a declared URL is matched against the URL patterns.
PLACEHOLDER_PK = "00000000-0000-0000-0000-000000000001"


def expect(
    anonymous: int, other: int, owner: int, admin: int, superadmin: int, *,
    viewer: int | None = None, contributor: int | None = None, stranger: int | None = None,
) -> dict[str, int]:
    """One row of the matrix, in the order of CALLERS; album matrices add the album callers."""
    row = dict(zip(CALLERS, (anonymous, other, owner, admin, superadmin), strict=True))
    album = {VIEWER: viewer, CONTRIBUTOR: contributor, STRANGER: stranger}
    row.update({caller: status for caller, status in album.items() if status is not None})
    return row


# Common rows.
PRIVATE_OBJECT = expect(401, 404, 200, 404, 200)  # visible to its owner and the superadmin only
ANY_SIGNED_IN = expect(401, 200, 200, 200, 200)
SUPERADMIN_ONLY = expect(401, 403, 403, 403, 200)
PUBLIC = expect(200, 200, 200, 200, 200)


@dataclass(frozen=True)
class Endpoint:
    method: str
    url: str  # "{pk}" is replaced by the pk of the object make_object built
    expect: dict[str, int]
    data: Any = None  # a dict, or a callable taking the object
    listed: frozenset | set | None = None  # for lists: the callers whose answer contains the object
    check: Callable | None = None  # check(response, obj, caller) on success, for what a status cannot say
    query: dict = field(default_factory=dict)
    url_kwargs: Callable | None = None  # url_kwargs(obj) -> the URL's other {names}

    def __str__(self):
        return f"{self.method} {self.url}"


class PermissionMatrix:
    endpoints: list[Endpoint] = []
    callers: tuple[str, ...] = CALLERS

    def make_object(self, owner):
        """The object the endpoints act on, owned by `owner`; None when the endpoints need none."""
        return None

    def client_for(self, user) -> APIClient:
        """Session login (the real authentication path), CSRF checks off as for any API test client."""
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    # pytest calls this on the class: one test per (endpoint, caller).
    def pytest_generate_tests(self, metafunc):
        if "matrix_case" not in metafunc.fixturenames:
            return
        cases = [(endpoint, caller) for endpoint in self.endpoints for caller in self.callers]
        metafunc.parametrize("matrix_case", cases, ids=[f"{e}-as-{c}" for e, c in cases])

    @pytest.fixture
    def matrix_users(self, db):
        users = {
            OWNER: UserFactory(username="matrix-owner", password=None),
            OTHER: UserFactory(username="matrix-other", password=None),
            ADMIN: UserFactory(username="matrix-admin", password=None),
            SUPERADMIN: UserFactory(username="matrix-superadmin", password=None),
        }
        services.set_role(users[SUPERADMIN], "superadmin")
        services.set_role(users[ADMIN], "admin")
        for caller in set(self.callers) & set(ALBUM_CALLERS):
            users[caller] = UserFactory(username=f"matrix-{caller.replace('_', '-')}", password=None)
        return users

    @pytest.mark.django_db
    def test_permission_matrix(self, matrix_case, matrix_users):
        endpoint, caller = matrix_case
        assert set(endpoint.expect) == set(self.callers), f"{endpoint}: declare a status for every caller"
        self.users = matrix_users
        obj = self.make_object(matrix_users[OWNER])
        more = endpoint.url_kwargs(obj) if endpoint.url_kwargs else {}
        url = endpoint.url.format(pk=getattr(obj, "pk", None), **more)
        data = endpoint.data(obj) if callable(endpoint.data) else endpoint.data
        client = self.client_for(matrix_users.get(caller))
        if endpoint.method == "GET":
            response = client.get(url, {**endpoint.query, **(data or {})})
        else:
            response = client.generic(endpoint.method, url + _query(endpoint.query), **_json(data))
        expected = endpoint.expect[caller]
        assert response.status_code == expected, (
            f"{endpoint} as {caller}: {response.status_code}, expected {expected}: {_body(response)}"
        )
        if endpoint.listed is not None and response.status_code == 200:
            ids = {str(row["id"]) for row in _rows(response.json())}
            assert (str(obj.pk) in ids) is (caller in endpoint.listed), f"{endpoint} as {caller}: listing is wrong"
        if endpoint.check is not None and response.status_code < 400:
            endpoint.check(response, obj, caller)


def _json(data) -> dict:
    if data is None:
        return {}
    return {"data": JSONRenderer().render(data), "content_type": "application/json"}


def _query(query: dict) -> str:
    return f"?{urlencode(query)}" if query else ""


def _rows(body):
    return body["results"] if isinstance(body, dict) and "results" in body else body


def _body(response) -> str:
    return "<stream>" if response.streaming else response.content[:300].decode(errors="replace")
