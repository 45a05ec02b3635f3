"""django-q2 entry points of webhooks: thin, idempotent (a delivery is claimed before it is sent)."""

from . import services


def deliver(delivery_id: str) -> str:
    return services.deliver(delivery_id)
