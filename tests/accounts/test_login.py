import pytest
from apps.accounts.tokens import create_token


@pytest.mark.django_db
def test_pages_redirect_to_login_when_anonymous(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_login_then_logout(client, user, password):
    response = client.post("/accounts/login/", {"username": "alice", "password": password})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200 and b"Log out" in page.content
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_wrong_password_is_refused(client, user):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert b"didn&#x27;t match" in response.content or b"didn't match" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_api_me_with_token_and_without(api_client, user):
    assert api_client.get("/api/auth/me").status_code == 401
    _, key = create_token(user, "test")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get("/api/auth/me")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"
