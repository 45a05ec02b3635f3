"""Error pages in the site's layout (navigation, footer) rather than bare text, and a refused page
logs one warning line without a traceback; /favicon.ico and the API docs' version."""

import logging

import pytest
from django.test import Client

from mediahub.version import __version__

pytestmark = pytest.mark.django_db


def test_a_forbidden_page_is_in_the_layout_and_logs_no_traceback(client, user, capsys, caplog):
    client.force_login(user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/accounts/users/")  # the superadmin's page
    page = response.content.decode()
    assert response.status_code == 403
    assert 'id="main-nav"' in page and "Not allowed" in page and "superadmin" in page
    forbidden = [r for r in caplog.records if getattr(r, "status_code", None) == 403]
    assert forbidden, "the refusal is still logged"
    handler = logging.getLogger().handlers[0]
    lines = [handler.format(r) for r in forbidden if handler.filter(r)]
    assert lines and not any("Traceback" in line for line in lines)


def test_a_missing_page_is_in_the_layout(client, user):
    client.force_login(user)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert 'id="main-nav"' in response.content.decode() and "Not found" in response.content.decode()
    assert Client().get("/no/such/page/").status_code == 404  # signed out too


def test_an_unknown_photo_is_a_404_page_in_the_layout(client, user):
    client.force_login(user)
    response = client.get("/photos/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404 and 'id="main-nav"' in response.content.decode()


def test_favicon_ico_leads_to_a_real_icon_and_pages_link_it(client, user):
    response = Client().get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])[:4] == b"\x00\x00\x01\x00"
    client.force_login(user)
    assert 'rel="icon"' in client.get("/").content.decode()


def test_the_api_schema_carries_the_app_version():
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["info"]["version"] == __version__
