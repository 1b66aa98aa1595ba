"""Cases, flags and the moderation log, made by the summaries app (its migrations 0005
and 0006), become the moderation app's. The rows stay where they are:

1. The models enter this app's state as they were in summaries (which drops them from
   its state only, in its migration 0008).
2. Their tables are renamed. Constraints, indexes, sequences and the log's append-only
   trigger follow a renamed table, and keep their names.
3. Their content types are relabelled, so their permissions (and the Moderators
   group's grants of them) and the admin's log entries about them follow too.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ["case", "flag", "moderationlog"]

RENAME = "\n".join(f"ALTER TABLE summaries_{name} RENAME TO moderation_{name};" for name in MOVED)
RENAME_BACK = "\n".join(
    f"ALTER TABLE moderation_{name} RENAME TO summaries_{name};" for name in MOVED
)


def relabel(old: str, new: str):
    def run(apps, schema_editor):
        # A content type under the new label already would fail the unique constraint
        # and stop the migration, rather than leave grants on the old one behind.
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        ContentType.objects.using(db).filter(app_label=old, model__in=MOVED).update(app_label=new)
        ContentType.objects.clear_cache()

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("papers", "0007_summary_count"),
        ("summaries", "0008_moderation_moves_out"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Case",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("summary", "summary"),
                                    ("comment", "comment"),
                                    ("paper", "paper"),
                                    ("user", "member"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("opened_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("closed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "decision",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("hide", "Hide it"),
                                    ("edit", "Edit the paper's details"),
                                    ("merge", "Merge the paper into another"),
                                    ("suspend", "Suspend the member"),
                                    ("dismiss", "Dismiss the flags"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("decision_reason", models.CharField(blank=True, max_length=500)),
                        (
                            "closed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "comment",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="cases",
                                to="summaries.comment",
                            ),
                        ),
                        (
                            "paper",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="cases",
                                to="papers.paper",
                            ),
                        ),
                        (
                            "summary",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="cases",
                                to="summaries.summary",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="cases",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                ),
                migrations.CreateModel(
                    name="Flag",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "reason",
                            models.CharField(
                                choices=[
                                    ("spam", "Spam or advertising"),
                                    ("abuse", "Abusive, harassing or offensive"),
                                    ("wrong_paper", "Wrong paper, wrong metadata or a duplicate"),
                                    ("plagiarism", "Plagiarism"),
                                    ("other", "Something else"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "text",
                            models.CharField(blank=True, max_length=500, verbose_name="Details"),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="flags",
                                to="moderation.case",
                            ),
                        ),
                        (
                            "reporter",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="flags",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                ),
                migrations.CreateModel(
                    name="ModerationLog",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                        ),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("hide", "hid"),
                                    ("restore", "restored"),
                                    ("edit", "edited"),
                                    ("merge", "merged"),
                                    ("dismiss", "dismissed the flags on"),
                                    ("suspend", "suspended"),
                                    ("lift", "lifted the suspension of"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "target_kind",
                            models.CharField(
                                choices=[
                                    ("summary", "summary"),
                                    ("comment", "comment"),
                                    ("paper", "paper"),
                                    ("user", "member"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("target_id", models.PositiveBigIntegerField()),
                        ("target_label", models.CharField(max_length=300)),
                        ("reason", models.CharField(max_length=500)),
                        (
                            "case",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="log_entries",
                                to="moderation.case",
                            ),
                        ),
                        (
                            "moderator",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="moderation_log",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "moderation log entry",
                        "verbose_name_plural": "moderation log",
                    },
                ),
                migrations.AddIndex(
                    model_name="case",
                    index=models.Index(
                        condition=models.Q(("closed_at", None)),
                        fields=["opened_at"],
                        name="case_open",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="case",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("comment", None),
                                ("kind", "summary"),
                                ("paper", None),
                                ("summary__isnull", False),
                                ("user", None),
                            ),
                            models.Q(
                                ("comment__isnull", False),
                                ("kind", "comment"),
                                ("paper", None),
                                ("summary", None),
                                ("user", None),
                            ),
                            models.Q(
                                ("comment", None),
                                ("kind", "paper"),
                                ("paper__isnull", False),
                                ("summary", None),
                                ("user", None),
                            ),
                            models.Q(
                                ("comment", None),
                                ("kind", "user"),
                                ("paper", None),
                                ("summary", None),
                                ("user__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="summaries_case_one_target",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="case",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("closed_at", None)),
                        fields=("summary",),
                        name="summaries_case_one_open_summary",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="case",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("closed_at", None)),
                        fields=("comment",),
                        name="summaries_case_one_open_comment",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="case",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("closed_at", None)),
                        fields=("paper",),
                        name="summaries_case_one_open_paper",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="case",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("closed_at", None)),
                        fields=("user",),
                        name="summaries_case_one_open_user",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="flag",
                    constraint=models.UniqueConstraint(
                        fields=("case", "reporter"), name="summaries_flag_once"
                    ),
                ),
                migrations.AddIndex(
                    model_name="moderationlog",
                    index=models.Index(fields=["target_kind", "target_id"], name="modlog_target"),
                ),
            ],
            database_operations=[migrations.RunSQL(RENAME, RENAME_BACK)],
        ),
        migrations.RunPython(
            relabel("summaries", "moderation"), relabel("moderation", "summaries")
        ),
    ]
