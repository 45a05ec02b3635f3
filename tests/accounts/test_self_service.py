import pytest
from django.test import Client
from rest_framework.test import APIClient

from apps.accounts.tokens import create_token
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-longer-new-passphrase"


def test_change_password_keeps_this_session_and_ends_the_others(client, user, password):
    client.force_login(user)
    elsewhere = Client()
    elsewhere.force_login(user)
    _, key = create_token(user, "script")
    response = client.post(
        "/accounts/password/",
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/auth/me").status_code == 401
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_change_password_needs_the_old_one(client, user, password):
    client.force_login(user)
    response = client.post(
        "/accounts/password/", {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(password)


def test_profile_sets_display_name_and_avatar_from_own_photos(client, user, other_user):
    mine = AssetFactory(library=LibraryFactory(owner=user))
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    client.force_login(user)
    page = client.get("/accounts/profile/")
    assert mine.filename.encode() in page.content and theirs.filename.encode() not in page.content
    client.post("/accounts/profile/", {"display_name": "Alice A.", "email": "", "avatar": str(mine.pk)})
    user.refresh_from_db()
    assert (user.display_name, user.avatar_id) == ("Alice A.", mine.pk)
    response = client.post("/accounts/profile/", {"display_name": "X", "email": "", "avatar": str(theirs.pk)})
    assert response.status_code == 200 and b"choose one of your own photos" in response.content
    user.refresh_from_db()
    assert (user.display_name, user.avatar_id) == ("Alice A.", mine.pk)


def test_me_reports_role_and_profile(user_client, user):
    body = user_client.get("/api/auth/me").json()
    assert body["role"] == "user" and body["avatar"] is None


def test_the_avatar_is_picked_from_a_grid_of_thumbnails_of_ones_own_photos(client, user, other_user):
    mine = AssetFactory.create_batch(3, library=LibraryFactory(owner=user))
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    client.force_login(user)
    page = client.get("/accounts/profile/").content.decode()
    assert '<select name="avatar"' not in page and 'class="avatar-grid"' in page  # a grid, not a dropdown
    for photo in mine:
        assert f'<input type="radio" name="avatar" value="{photo.pk}"' in page
        assert f"/api/assets/{photo.pk}/thumbnail" in page
    assert str(theirs.pk) not in page
    client.post("/accounts/profile/", {"display_name": "", "email": "", "avatar": str(mine[1].pk)})
    page = client.get("/accounts/profile/").content.decode()
    assert f'value="{mine[1].pk}" checked' in page
