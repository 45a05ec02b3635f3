"""The hourly removal of abandoned partial uploads (MEDIAHUB_UPLOAD_EXPIRY), as a django-q2 schedule
that admins see and may edit in the admin (Django Q > Scheduled tasks)."""

from django.db import migrations

NAME = "Remove expired partial uploads"
FUNC = "apps.scanning.tasks.expire_uploads_task"


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.get_or_create(name=NAME, defaults={"func": FUNC, "schedule_type": "I", "minutes": 60, "repeats": -1})


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME, func=FUNC).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scanning", "0006_uploads"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
