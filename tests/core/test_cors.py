"""CORS for web clients on other origins: only the origins in MEDIAHUB_CORS_ORIGINS, only under
/api/, never with credentials (such clients send an API token), and nothing at all when unset."""

import pytest

pytestmark = pytest.mark.django_db

ALLOWED = "https://photos.example.org"


def preflight(client, path="/api/assets/", origin=ALLOWED):
    return client.options(path, HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                          HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization")


def test_a_preflight_from_an_allowed_origin_gets_the_cors_headers_without_credentials(client, settings):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED, "https://app.example.org"]
    response = preflight(client)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "authorization" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    simple = client.get("/api/", HTTP_ORIGIN=ALLOWED)
    assert simple["Access-Control-Allow-Origin"] == ALLOWED
    assert "Upload-Offset" in simple["Access-Control-Expose-Headers"]


def test_another_origin_and_pages_outside_the_api_get_no_cors_headers(client, settings):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]
    assert "Access-Control-Allow-Origin" not in preflight(client, origin="https://evil.example.net")
    assert "Access-Control-Allow-Origin" not in client.get("/api/", HTTP_ORIGIN="https://evil.example.net")
    assert "Access-Control-Allow-Origin" not in preflight(client, path="/accounts/login/")


def test_with_the_setting_unset_nothing_changes(client, settings):
    assert settings.CORS_ALLOWED_ORIGINS == []  # MEDIAHUB_CORS_ORIGINS unset: off by default
    response = preflight(client)
    assert not [name for name in response.headers if name.lower().startswith("access-control-")]
    assert "origin" not in response.get("Vary", "").lower()
    assert response.status_code == client.options("/api/assets/").status_code
