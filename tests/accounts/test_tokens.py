from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.models import ApiToken
from apps.accounts.tokens import create_token

pytestmark = pytest.mark.django_db


def with_key(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_create_shows_the_key_once_then_list_and_use_it(user_client, user):
    created = user_client.post("/api/auth/tokens/", {"name": "backup script"}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["name"] == "backup script" and body["key"].startswith(body["prefix"])
    listed = user_client.get("/api/auth/tokens/").json()
    assert [t["name"] for t in listed] == ["backup script"] and "key" not in listed[0]
    assert body["key"] not in ApiToken.objects.get().key_hash  # only a hash is stored
    me = with_key(body["key"]).get("/api/auth/me")
    assert me.status_code == 200 and me.json()["username"] == "alice" and me.json()["role"] == "user"


def test_last_used_is_written_at_most_once_a_minute(user_client):
    key = user_client.post("/api/auth/tokens/", {"name": "t"}, format="json").json()["key"]
    client = with_key(key)
    client.get("/api/auth/me")
    first = ApiToken.objects.get().last_used
    assert first is not None
    client.get("/api/auth/me")
    assert ApiToken.objects.get().last_used == first
    ApiToken.objects.update(last_used=timezone.now() - timedelta(minutes=2))
    client.get("/api/auth/me")
    assert ApiToken.objects.get().last_used > first - timedelta(minutes=1)


def test_revoked_token_stops_working(user_client):
    created = user_client.post("/api/auth/tokens/", {"name": "t"}, format="json").json()
    assert user_client.delete(f"/api/auth/tokens/{created['id']}/").status_code == 204
    assert with_key(created["key"]).get("/api/auth/me").status_code == 401


def test_someone_elses_token_is_404_and_not_listed(user_client, other_user):
    theirs, _ = create_token(other_user, "bob's")
    assert user_client.get("/api/auth/tokens/").json() == []
    assert user_client.delete(f"/api/auth/tokens/{theirs.pk}/").status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_token_of_a_deactivated_user_is_refused(user_client, user):
    key = user_client.post("/api/auth/tokens/", {"name": "t"}, format="json").json()["key"]
    user.is_active = False
    user.save()
    assert with_key(key).get("/api/auth/me").status_code == 401


def test_name_is_required(user_client):
    assert user_client.post("/api/auth/tokens/", {}, format="json").status_code == 400


def test_tokens_page_creates_shows_once_lists_and_revokes(client, user, other_user):
    theirs, _ = create_token(other_user, "bob's")
    client.force_login(user)
    page = client.post("/accounts/tokens/", {"action": "create", "name": "phone app"}).content.decode()
    key = page.split('class="new-token-key">')[1].split("<")[0]
    assert with_key(key).get("/api/auth/me").json()["username"] == "alice"
    listing = client.get("/accounts/tokens/").content.decode()
    assert "phone app" in listing and key not in listing and "bob&#x27;s" not in listing
    assert client.post("/accounts/tokens/", {"action": "revoke", "id": theirs.pk}).status_code == 404
    mine = ApiToken.objects.get(user=user)
    client.post("/accounts/tokens/", {"action": "revoke", "id": mine.pk})
    assert with_key(key).get("/api/auth/me").status_code == 401
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
