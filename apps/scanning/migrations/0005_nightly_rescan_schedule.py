from django.conf import settings
from django.db import migrations

from apps.scanning.schedules import RESCAN_SCHEDULE, ensure_rescan_schedule


def create(apps, schema_editor):
    ensure_rescan_schedule(apps.get_model("django_q", "Schedule"), settings.MEDIAHUB_RESCAN_CRON)


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=RESCAN_SCHEDULE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scanning", "0004_scanrun_scope"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
