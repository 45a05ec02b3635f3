"""The webhooks API: URLs are checked (http and https only, a clear 400), the secret is shown once,
an admin's hooks are theirs alone, and the delivery log reads as the admin's does."""

import pytest
from django.test import Client

from apps.accounts import services as accounts
from apps.webhooks import services
from apps.webhooks.models import Webhook
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [
    "ftp://example.org/hook", "javascript:alert(1)", "file:///etc/passwd", "http://", "example.org/hook",
    "https://user:secret@example.org/hook", "http://example.org:99999/hook", "",
])
def test_a_url_that_is_not_plain_http_or_https_is_a_400_naming_the_url(admin, url):
    response = client_for(admin).post(
        "/api/webhooks/", {"name": "x", "url": url, "events": ["upload.done"]}, format="json"
    )
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["url"] and response.json()["url"][0]
    assert not Webhook.objects.exists()


def test_an_admin_registers_a_hook_sees_its_secret_once_and_another_admin_cannot_see_it(
    admin, root, receiver
):
    client = client_for(admin)
    response = client.post("/api/webhooks/", {
        "name": "n8n", "url": receiver.url, "events": ["upload.done", "album.shared"],
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    hook = Webhook.objects.get(pk=body["id"])
    assert (body["secret"], body["owner"], body["events"], body["active"]) == (
        hook.secret, "dora", ["upload.done", "album.shared"], True
    )
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 40
    detail = client.get(f"/api/webhooks/{hook.pk}/").json()
    assert "secret" not in detail and detail["url"] == receiver.url

    assert client.post("/api/webhooks/", {"name": "x", "url": receiver.url, "events": ["no.such"]},
                       format="json").status_code == 400
    assert client.patch(f"/api/webhooks/{hook.pk}/", {"url": "gopher://x"}, format="json").status_code == 400
    other_admin = type(admin).objects.create(username="erin")
    accounts.set_role(other_admin, "admin")
    assert client_for(other_admin).get(f"/api/webhooks/{hook.pk}/").status_code == 404
    assert client_for(other_admin).get("/api/webhooks/").json() == []
    assert [h["id"] for h in client_for(root).get("/api/webhooks/").json()] == [hook.pk]


def test_a_ping_is_delivered_and_its_attempts_read_from_the_log(admin, hook_for, receiver):
    hook = hook_for(admin)
    client = client_for(admin)
    response = client.post(f"/api/webhooks/{hook.pk}/ping/")
    assert response.status_code == 202
    receiver.answers = [503]
    services.deliver(response.json()["delivery"])

    [delivery] = client.get(f"/api/webhooks/{hook.pk}/deliveries/").json()
    assert (delivery["event"], delivery["state"], delivery["attempts"]) == ("ping", "pending", 1)
    [attempt] = delivery["attempt_log"]
    assert (attempt["number"], attempt["status_code"], attempt["response"]) == (1, 503, "answered 503")

    again = client.post(f"/api/webhooks/{hook.pk}/redeliver/", {"delivery": delivery["id"]}, format="json")
    assert again.status_code == 202
    services.deliver(again.json()["delivery"])
    newest = client.get(f"/api/webhooks/{hook.pk}/deliveries/").json()[0]
    assert (newest["id"], newest["state"], newest["event_id"]) == (again.json()["delivery"], "delivered",
                                                                    delivery["event_id"])
    assert client.post(f"/api/webhooks/{hook.pk}/redeliver/",
                       {"delivery": "00000000-0000-0000-0000-000000000000"}, format="json").status_code == 404


def test_the_admin_site_registers_a_hook_for_its_admin_and_redelivers_from_the_log(admin, hook_for, receiver):
    browser = Client()
    browser.force_login(admin)
    response = browser.post("/admin/webhooks/webhook/add/", {
        "name": "Home Assistant", "url": "ftp://nope", "events": "upload.done", "active": "on",
    })
    assert response.status_code == 200 and not Webhook.objects.exists()  # the form shows the error
    browser.post("/admin/webhooks/webhook/add/", {
        "name": "Home Assistant", "url": receiver.url, "events": "upload.done,person.named", "active": "on",
    })
    hook = Webhook.objects.get()
    assert (hook.owner, hook.events) == (admin, ["upload.done", "person.named"])

    receiver.answers = [500]
    delivery = services.ping(admin, hook)
    services.deliver(delivery.pk)
    page = browser.get(f"/admin/webhooks/delivery/{delivery.pk}/change/")
    assert page.status_code == 200 and b"answered 500" in page.content
    browser.post("/admin/webhooks/delivery/", {"action": "redeliver", "_selected_action": [str(delivery.pk)]})
    redelivered = hook.deliveries.exclude(pk=delivery.pk).get()
    assert (redelivered.state, redelivered.event_id) == ("queued", delivery.event_id)
