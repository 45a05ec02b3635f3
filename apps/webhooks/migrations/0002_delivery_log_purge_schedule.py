"""The daily purge of the webhook delivery log (MEDIAHUB_WEBHOOK_LOG_DAYS), as a django-q2 schedule
that admins see and may edit in the admin (Django Q > Scheduled tasks), like the trash purge."""

from datetime import datetime, time, timedelta, timezone

from django.db import migrations

NAME = "Purge webhook delivery log"
FUNC = "apps.webhooks.tasks.purge_delivery_log"


def create(apps, schema_editor):
    """Daily, from the next 04:00 UTC (a quiet hour, after the trash purge). Left alone when one by
    that name exists, so an admin's edit survives a re-run."""
    Schedule = apps.get_model("django_q", "Schedule")
    if Schedule.objects.filter(name=NAME).exists():
        return
    now = datetime.now(timezone.utc)
    first = datetime.combine(now.date(), time(4, 0), tzinfo=timezone.utc)
    if first <= now:
        first += timedelta(days=1)
    Schedule.objects.create(name=NAME, func=FUNC, schedule_type="D", repeats=-1, next_run=first)


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME, func=FUNC).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
