"""moderation/migrations/0001: cases, flags and the log move from summaries with their
rows, their content types, the permissions on them and the grants of those."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from moderation.models import Case, Flag, ModerationLog
from tests.factories import SummaryFactory, UserFactory

# Migrating the database back and forth commits, so the test cannot run in a transaction.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.integration,
    pytest.mark.slow,
]

# The last migration before the move: the three models are still summaries'.
BEFORE = [("summaries", "0007_public_listing_indexes")]
MOVED_TABLES = {"case", "flag", "moderationlog"}


def tables(prefix: str) -> set[str]:
    names = connection.introspection.table_names()
    return {name.removeprefix(prefix) for name in names if name.startswith(prefix)}


def migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)
    ContentType.objects.clear_cache()


def make_old_rows(apps, summary, reporter, moderator) -> dict:
    """A case on the summary with a flag, a log entry, the Moderators group's grant to
    view cases and an admin log entry about the case, all as summaries had them."""
    Case = apps.get_model("summaries", "Case")
    case = Case.objects.create(kind="summary", summary_id=summary.pk)
    flag = apps.get_model("summaries", "Flag").objects.create(
        case=case, reporter_id=reporter.pk, reason="spam", text="An advertisement."
    )
    entry = apps.get_model("summaries", "ModerationLog").objects.create(
        moderator_id=moderator.pk,
        action="hide",
        target_kind="summary",
        target_id=summary.pk,
        target_label=f"summary #{summary.pk}",
        reason="Spam",
        case=case,
    )
    case_type = apps.get_model("contenttypes", "ContentType").objects.get(
        app_label="summaries", model="case"
    )
    view_case = apps.get_model("auth", "Permission").objects.get(
        content_type=case_type, codename="view_case"
    )
    # Made by summaries' migration 0002, unless a transactional test emptied it since.
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Moderators")
    group.permissions.add(view_case)
    group.user_set.add(moderator.pk)
    # The admin's tables stay as they are; its model is not in the state at BEFORE.
    admin_entry = LogEntry.objects.create(
        user_id=moderator.pk,
        content_type_id=case_type.pk,
        object_id=str(case.pk),
        object_repr=f"Case {case.pk}",
        action_flag=2,
    )
    return {
        "case": case.pk,
        "flag": flag.pk,
        "entry": entry.pk,
        "case_type": case_type.pk,
        "admin_entry": admin_entry.pk,
    }


def test_migrating_from_summaries_keeps_the_rows_their_types_and_grants():
    summary = SummaryFactory()
    reporter = UserFactory(username="eve")
    moderator = UserFactory(username="mod", is_staff=True)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    migrate(BEFORE)
    try:
        old_apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        assert tables("summaries_") >= MOVED_TABLES
        assert not tables("moderation_")
        old = make_old_rows(old_apps, summary, reporter, moderator)
    finally:
        # The move itself; after a failure above too, to leave the database as the
        # tests that follow expect it.
        migrate(latest)

    assert not tables("summaries_") & MOVED_TABLES
    assert tables("moderation_") == MOVED_TABLES
    case = Case.objects.get(pk=old["case"])
    assert (case.kind, case.summary, case.is_open) == ("summary", summary, True)
    flag = Flag.objects.get()
    assert (flag.pk, flag.case, flag.reporter, flag.text) == (
        old["flag"],
        case,
        reporter,
        "An advertisement.",
    )
    entry = ModerationLog.objects.get()
    assert (entry.pk, entry.case, entry.moderator, entry.reason) == (
        old["entry"],
        case,
        moderator,
        "Spam",
    )
    case_type = ContentType.objects.get_for_model(Case)
    assert (case_type.pk, case_type.app_label) == (old["case_type"], "moderation")
    assert not ContentType.objects.filter(app_label="summaries", model__in=MOVED_TABLES)
    assert LogEntry.objects.get(pk=old["admin_entry"]).get_edited_object() == case
    group = Group.objects.get(name="Moderators")
    assert group.permissions.filter(content_type=case_type, codename="view_case").exists()
    assert moderator.has_perm("moderation.view_case") is True
