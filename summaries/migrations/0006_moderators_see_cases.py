"""Moderators also read the moderation records in the admin: cases with their flags, the
log, suspensions. They decide and act on the site's own pages, which log a reason."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    ("summaries", "view_case"),
    ("summaries", "view_flag"),
    ("summaries", "view_moderationlog"),
    ("summaries", "view_comment"),
    ("accounts", "view_suspension"),
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *(
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.remove(
            *Permission.objects.filter(codename__in=[codename for _, codename in PERMISSIONS])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("summaries", "0005_moderation"),
        ("accounts", "0003_suspensions_deleted_accounts"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
