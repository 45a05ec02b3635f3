from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("scanning", "0002_sharing_scanrun_assetstage")]

    operations = [
        migrations.AddField(
            model_name="scanrun",
            name="full",
            field=models.BooleanField(
                default=False, help_text="Re-hash every file, not only new and changed ones"
            ),
        ),
        migrations.AddField(
            model_name="scanrun", name="hostname", field=models.CharField(blank=True, max_length=255)
        ),
        migrations.AddField(
            model_name="scanrun", name="pid", field=models.PositiveIntegerField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="scanrun", name="heartbeat", field=models.DateTimeField(blank=True, null=True)
        ),
    ]
