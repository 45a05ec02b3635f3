"""Create the role groups (`user`, `admin`) with their permissions from apps/accounts/roles.py."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from apps.accounts.roles import sync_role_groups


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create them now so the
    # groups can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None
    sync_role_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"),
                     using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_tokens_totp_throttle_avatar"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("assets", "0002_media_fields_metadata_userstate"),
        ("scanning", "0002_sharing_scanrun_assetstage"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
