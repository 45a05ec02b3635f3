"""Permission matrix of the accounts API and the API's own pages (root, schema, docs, browsable login)."""

from apps.accounts.tokens import create_token
from tests.permission_matrix import ANY_SIGNED_IN, OWNER, PUBLIC, Endpoint, PermissionMatrix, expect


class TestApiPagesMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/", ANY_SIGNED_IN),
        Endpoint("GET", "/api/auth/me", ANY_SIGNED_IN),
        # The schema and its viewer describe the API, not anyone's data.
        Endpoint("GET", "/api/schema/", PUBLIC),
        Endpoint("GET", "/api/docs/", PUBLIC),
        # The browsable API's login form goes through MediaHubBackend (throttled, no 2FA bypass).
        Endpoint("GET", "/api/auth/browsable/login/", PUBLIC),
        Endpoint("POST", "/api/auth/browsable/login/", PUBLIC, data={"username": "x", "password": "y"}),
        Endpoint("PUT", "/api/auth/browsable/login/", PUBLIC, data={"username": "x", "password": "y"}),
        Endpoint("POST", "/api/auth/browsable/logout/", expect(302, 302, 302, 302, 302)),
    ]


class TestApiTokenMatrix(PermissionMatrix):
    """Tokens are secrets: each user sees only their own, superadmins included."""

    own_only = expect(401, 404, 200, 404, 404)
    endpoints = [
        Endpoint("GET", "/api/auth/tokens/", ANY_SIGNED_IN, listed={OWNER}),
        Endpoint("POST", "/api/auth/tokens/", expect(401, 201, 201, 201, 201), data={"name": "script"}),
        Endpoint("GET", "/api/auth/tokens/{pk}/", own_only),
        Endpoint("DELETE", "/api/auth/tokens/{pk}/", expect(401, 404, 204, 404, 404)),
    ]

    def make_object(self, owner):
        return create_token(owner, "owner's token")[0]

