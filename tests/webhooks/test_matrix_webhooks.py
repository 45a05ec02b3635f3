"""Webhooks are admins' (a hook hears what its owner sees): plain users are refused (403), each admin
sees their own hooks, a superadmin every hook."""

from apps.webhooks.models import Delivery, Webhook
from tests.permission_matrix import ADMIN, SUPERADMIN, Endpoint, PermissionMatrix, expect

ADMINS = expect(401, 403, 403, 200, 200)


def _delivery(hook) -> dict:
    return {"delivery": str(hook.deliveries.get().pk)}


class TestWebhookMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/webhooks/", ADMINS, listed={ADMIN, SUPERADMIN}),
        Endpoint("POST", "/api/webhooks/", expect(401, 403, 403, 201, 201),
                 data={"name": "ci", "url": "https://ci.example.org/mediahub", "events": ["scan.finished"]}),
        Endpoint("GET", "/api/webhooks/{pk}/", ADMINS),
        Endpoint("PATCH", "/api/webhooks/{pk}/", ADMINS, data={"name": "renamed"}),
        Endpoint("DELETE", "/api/webhooks/{pk}/", expect(401, 403, 403, 204, 204)),
        Endpoint("GET", "/api/webhooks/{pk}/deliveries/", ADMINS),
        Endpoint("POST", "/api/webhooks/{pk}/ping/", expect(401, 403, 403, 202, 202)),
        Endpoint("POST", "/api/webhooks/{pk}/redeliver/", expect(401, 403, 403, 202, 202), data=_delivery),
    ]

    def make_object(self, owner):
        # The matrix's admin owns the hook: a plain user (the matrix's owner) cannot have one.
        hook = Webhook.objects.create(
            owner=self.users[ADMIN], name="admin's", url="https://hooks.example.org/x",
            events=["album.shared"],
        )
        Delivery.objects.create(hook=hook, event="ping", payload={"hook": hook.pk}, state="delivered")
        return hook
