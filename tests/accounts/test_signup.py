"""Sign-up in each MEDIAHUB_SIGNUP mode: off, invite (single-use, expiring links), approval."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from apps.accounts import signup
from apps.accounts.models import Invitation, SignupRequest
from apps.albums.models import Album
from apps.assets.models import Asset
from apps.scanning.models import Library
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-family-passphrase"


def form(username="carol", password=NEW_PASSWORD, **more):
    return {"username": username, "password1": password, "password2": password, **more}


def test_with_sign_up_off_there_is_no_way_in(client, superuser_client, settings):
    assert settings.MEDIAHUB_SIGNUP == "off"
    assert client.get("/accounts/signup/").status_code == 404
    assert client.post("/accounts/signup/", form()).status_code == 404
    _, token = signup.create_invitation(None)  # made while invite was on, then sign-up turned off
    assert client.post(f"/accounts/signup/{token}/", form()).status_code == 404
    assert b"/accounts/signup/" not in client.get("/accounts/login/").content
    response = superuser_client.post("/api/auth/invitations/", {"note": "x"}, format="json")
    assert response.status_code == 409
    assert not get_user_model().objects.filter(username="carol").exists()


def test_an_invitation_link_makes_one_account_with_nothing_shared(client, superuser_client, user, settings):
    settings.MEDIAHUB_SIGNUP = "invite"
    AssetFactory(library=LibraryFactory(owner=user))  # photos exist; the newcomer must not see them
    created = superuser_client.post("/api/auth/invitations/", {"note": "for Carol", "days": 2}, format="json")
    assert created.status_code == 201
    link = created.json()["link"]
    assert link.startswith("http://testserver/accounts/signup/")
    assert "link" not in superuser_client.get(f"/api/auth/invitations/{created.json()['id']}/").json()
    path = link.removeprefix("http://testserver")
    assert client.get("/accounts/signup/").status_code == 404  # invite mode: no open form

    page = client.get(path)
    assert page.status_code == 200 and b"You were invited" in page.content
    response = client.post(path, form(display_name="Carol"))

    assert response.status_code == 302 and response["Location"] == "/"
    carol = get_user_model().objects.get(username="carol")
    assert client.session["_auth_user_id"] == str(carol.pk)
    assert carol.is_active and carol.role == "user" and carol.display_name == "Carol"
    assert not Library.objects.visible_to(carol).exists() and not Asset.objects.visible_to(carol).exists()
    assert not Album.objects.visible_to(carol).exists()
    assert client.get("/api/assets/").json()["results"] == []
    invitation = Invitation.objects.get()
    assert invitation.used_by == carol and invitation.used_at is not None

    client.post("/accounts/logout/")  # used once: gone
    assert client.get(path).status_code == 404
    assert client.post(path, form("dave")).status_code == 404
    assert not get_user_model().objects.filter(username="dave").exists()


def test_an_expired_or_revoked_invitation_is_just_not_valid(client, superuser_client, superuser, settings):
    settings.MEDIAHUB_SIGNUP = "invite"
    expired, old = signup.create_invitation(superuser)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked, gone = signup.create_invitation(superuser)
    assert superuser_client.delete(f"/api/auth/invitations/{revoked.pk}/").status_code == 204
    pages = [client.get(f"/accounts/signup/{token}/") for token in (old, gone, "no-such-token")]
    assert {page.status_code for page in pages} == {404}
    # One answer, whatever the reason.
    assert all(b"This invitation link is not valid" in page.content for page in pages)


def test_with_approval_an_account_waits_inactive_until_approved(client, superuser_client, password, settings):
    settings.MEDIAHUB_SIGNUP = "approval"
    assert b"/accounts/signup/" in client.get("/accounts/login/").content
    response = client.post("/accounts/signup/", form(email="carol@example.org"))
    assert response.status_code == 200 and b"approval" in response.content
    carol = get_user_model().objects.get(username="carol")
    assert not carol.is_active and "_auth_user_id" not in client.session
    # Waiting is indistinguishable from a wrong password at the login form.
    refused = client.post("/accounts/login/", {"username": "carol", "password": NEW_PASSWORD})
    wrong = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert refused.status_code == wrong.status_code == 200 and b"didn't match" in refused.content

    listed = superuser_client.get("/api/auth/signups/").json()
    assert [(r["username"], r["email"]) for r in listed] == [("carol", "carol@example.org")]
    assert superuser_client.post(f"/api/auth/signups/{listed[0]['id']}/approve/").status_code == 204
    carol.refresh_from_db()
    assert carol.is_active and not SignupRequest.objects.exists()
    assert client.post("/accounts/login/", {"username": "carol", "password": NEW_PASSWORD}).status_code == 302
    assert not Library.objects.visible_to(carol).exists()


@pytest.fixture
def root_page(superuser):
    """The superadmin in a browser session (the pages, not the API)."""
    client = Client()
    client.force_login(superuser)
    return client


def test_a_rejected_sign_up_is_deleted_and_the_name_free_again(client, root_page, settings):
    settings.MEDIAHUB_SIGNUP = "approval"
    client.post("/accounts/signup/", form())
    waiting = SignupRequest.objects.get()
    page = root_page.get("/accounts/signups/")
    assert b'data-signup="carol"' in page.content
    assert root_page.post("/accounts/signups/", {"action": "reject", "id": waiting.pk}).status_code == 302
    assert not get_user_model().objects.filter(username="carol").exists()
    client.post("/accounts/signup/", form())
    root_page.post("/accounts/signups/", {"action": "approve", "id": SignupRequest.objects.get().pk})
    assert get_user_model().objects.get(username="carol").is_active


def test_a_sign_up_says_only_that_a_name_is_taken_and_checks_the_password(client, user, settings):
    settings.MEDIAHUB_SIGNUP = "approval"
    taken = client.post("/accounts/signup/", form("alice"))
    assert taken.status_code == 200 and b"already exists" in taken.content
    assert get_user_model().objects.get(username="alice").is_active  # untouched
    weak = client.post("/accounts/signup/", form("carol", password="1234"))
    assert weak.status_code == 200 and b"too short" in weak.content
    bad_name = client.post("/accounts/signup/", form("<b>carol</b>"))
    assert bad_name.status_code == 200 and b"username" in bad_name.content.lower()
    assert not SignupRequest.objects.exists()


def test_sign_ups_from_one_address_are_throttled(client, settings):
    settings.MEDIAHUB_SIGNUP = "approval"
    settings.MEDIAHUB_LOGIN_SLOW_AFTER, settings.MEDIAHUB_LOGIN_LOCK_AFTER = 2, 2
    assert client.post("/accounts/signup/", form("carol")).status_code == 200
    assert client.post("/accounts/signup/", form("dave")).status_code == 200
    refused = client.post("/accounts/signup/", form("erin"))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert sorted(get_user_model().objects.values_list("username", flat=True)) == ["carol", "dave"]


def test_the_superadmin_makes_invitations_on_the_sign_ups_page(root_page, settings):
    settings.MEDIAHUB_SIGNUP = "invite"
    page = root_page.post("/accounts/signups/", {"action": "invite", "note": "for Carol", "days": 3})
    assert page.status_code == 200 and b"new-invitation-link" in page.content
    invitation = Invitation.objects.get()
    assert invitation.note == "for Carol" and invitation.expires_at > timezone.now() + timedelta(days=2)
    root_page.post("/accounts/signups/", {"action": "revoke", "id": invitation.pk})
    assert not Invitation.objects.exists()
