"""The Moderators group, with exactly the permissions moderation needs: hide and restore
summaries, read them with their revisions and figures, and correct papers' metadata."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = [
    ("summaries", "hide_summary"),
    ("summaries", "view_summary"),
    ("summaries", "view_revision"),
    ("summaries", "view_figure"),
    ("papers", "view_paper"),
    ("papers", "change_paper"),
    ("papers", "view_author"),
    ("papers", "change_author"),
    ("papers", "view_venue"),
    ("papers", "add_venue"),
    ("papers", "change_venue"),
    ("papers", "view_authorship"),
    ("papers", "add_authorship"),
    ("papers", "change_authorship"),
    ("papers", "delete_authorship"),
]


def create_moderators(apps, schema_editor):
    # Permissions are normally made after all migrations have run; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in MODERATOR_PERMISSIONS
    )


def remove_moderators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("summaries", "0001_initial"),
        ("papers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_moderators, remove_moderators)]
