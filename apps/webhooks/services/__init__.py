"""Webhooks, as plain functions the API, the admin, the receivers and the tasks call:

- hooks: register, change, remove a hook (admins only; URL and event names checked)
- fanout: an event becomes one delivery per active hook whose owner sees its subject
- delivery: POST one delivery, signed; log the attempt; retry with backoff; redeliver
- retention: the daily purge of finished deliveries older than MEDIAHUB_WEBHOOK_LOG_DAYS
"""

from .delivery import deliver, redeliver
from .fanout import fan_out, ping
from .hooks import create_hook, delete_hook, update_hook
from .queueing import queue_due
from .retention import purge_log

__all__ = [
    "create_hook", "update_hook", "delete_hook", "fan_out", "ping", "deliver", "queue_due", "redeliver",
    "purge_log",
]
