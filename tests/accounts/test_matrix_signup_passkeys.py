"""Permission matrix of passkeys (each user's own, like tokens; signing in is open to anyone) and of
sign-up administration (superadmins, who manage users)."""

import pytest
from webauthn.helpers import bytes_to_base64url

from apps.accounts import signup
from apps.accounts.models import Passkey, SignupRequest
from tests.factories import UserFactory
from tests.permission_matrix import ANY_SIGNED_IN, OWNER, PUBLIC, SUPERADMIN_ONLY, Endpoint, PermissionMatrix, expect

OWN_ONLY = expect(401, 404, 200, 404, 404)
NO_CEREMONY = expect(400, 400, 400, 400, 400)  # nobody started one: a clean 400, never a 500


class TestPasskeyMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/auth/passkeys/", ANY_SIGNED_IN, listed={OWNER}),
        Endpoint("GET", "/api/auth/passkeys/{pk}/", OWN_ONLY),
        Endpoint("PATCH", "/api/auth/passkeys/{pk}/", OWN_ONLY, data={"name": "renamed"}),
        Endpoint("DELETE", "/api/auth/passkeys/{pk}/", expect(401, 404, 204, 404, 404)),
        Endpoint("POST", "/api/auth/passkeys/register/options/", expect(401, 200, 200, 200, 200)),
        Endpoint("POST", "/api/auth/passkeys/register/", expect(401, 400, 400, 400, 400),
                 data={"name": "phone", "credential": {"id": "AAAA"}}),
        # Password-less sign-in starts for anyone and names no account.
        Endpoint("POST", "/api/auth/passkeys/login/options/", PUBLIC, data={},
                 check=lambda response, obj, caller: _names_no_passkey(response)),
        Endpoint("POST", "/api/auth/passkeys/login/", NO_CEREMONY, data={"credential": {"id": "AAAA"}}),
    ]

    def make_object(self, owner):
        return Passkey.objects.create(
            user=owner, name="owner's phone", credential_id=bytes_to_base64url(f"cred-{owner.pk}".encode()), public_key=b"\xa0",
            user_handle=bytes_to_base64url(f"handle-{owner.pk}".encode()),
        )


def _names_no_passkey(response):
    assert response.json()["allowCredentials"] == []


class TestInvitationMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/auth/invitations/", SUPERADMIN_ONLY),
        Endpoint("POST", "/api/auth/invitations/", expect(401, 403, 403, 403, 201), data={"note": "for Carol"}),
        Endpoint("GET", "/api/auth/invitations/{pk}/", SUPERADMIN_ONLY),
        Endpoint("DELETE", "/api/auth/invitations/{pk}/", expect(401, 403, 403, 403, 204)),
    ]

    @pytest.fixture(autouse=True)
    def _invite_mode(self, settings):
        settings.MEDIAHUB_SIGNUP = "invite"

    def make_object(self, owner):
        return signup.create_invitation(None, "someone")[0]


class TestSignupRequestMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/auth/signups/", SUPERADMIN_ONLY),
        Endpoint("GET", "/api/auth/signups/{pk}/", SUPERADMIN_ONLY),
        Endpoint("POST", "/api/auth/signups/{pk}/approve/", expect(401, 403, 403, 403, 204)),
        Endpoint("POST", "/api/auth/signups/{pk}/reject/", expect(401, 403, 403, 403, 204)),
    ]

    def make_object(self, owner):
        return SignupRequest.objects.create(user=UserFactory(username="newcomer", is_active=False, password=None))
