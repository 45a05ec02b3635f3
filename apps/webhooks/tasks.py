"""django-q2 entry points of webhooks: thin, idempotent (a delivery is claimed before it is sent)."""

from . import services


def deliver(delivery_id: str) -> str:
    return services.deliver(delivery_id)


def purge_delivery_log() -> str:
    """Daily, from the "Purge webhook delivery log" schedule (migration 0002)."""
    return f"{services.purge_log()} deliveries deleted from the log"
