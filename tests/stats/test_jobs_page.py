"""The Jobs page: admins only, polled by htmx, its buttons answer the fragment."""

import pytest

from apps.core import pauses

pytestmark = pytest.mark.django_db


def test_admins_see_the_jobs_page_with_the_system_section(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/jobs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'hx-trigger="every 5s"' in html and 'data-kind="thumbnails"' in html
    assert "System" in html and "ffmpeg" in html


def test_plain_users_are_refused_and_visitors_sent_to_log_in(client, user):
    assert client.get("/jobs/").status_code == 302
    client.force_login(user)
    assert client.get("/jobs/").status_code == 403
    assert client.post("/jobs/scans/pause/").status_code == 403
    assert not pauses.all_paused()


def test_a_pause_button_answers_the_fragment_with_the_kind_paused(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/jobs/duplicates/pause/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'data-kind="duplicates" data-paused' in html and "duplicates: paused" in html
    refused = client.post("/jobs/duplicates/all/", HTTP_HX_REQUEST="true").content.decode()
    assert "paused; resume it first" in refused
