"""moderation/models.py: the moderation log is append-only, in Django and in the database."""

import pytest
from django.db import DatabaseError, transaction

from moderation import services as moderation
from moderation.models import ModerationLog

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_a_log_row_cannot_be_changed(summary, moderator):
    moderation.hide(summary, moderator, "Spam")
    entry = ModerationLog.objects.get()
    entry.reason = "Something nicer"

    with pytest.raises(ValueError, match="never changed"):
        entry.save()

    assert ModerationLog.objects.get().reason == "Spam"


def test_a_log_row_cannot_be_deleted(summary, moderator):
    moderation.hide(summary, moderator, "Spam")
    entry = ModerationLog.objects.get()

    with pytest.raises(ValueError, match="never deleted"):
        entry.delete()

    assert ModerationLog.objects.count() == 1


def test_the_log_refuses_changes_and_deletes_in_the_database_too(moderator, summary):
    moderation.hide(summary, moderator, "Spam")
    entries = ModerationLog.objects.all()

    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        entries.update(reason="Nothing to see")
    with pytest.raises(DatabaseError, match="never deleted"), transaction.atomic():
        entries.delete()

    assert list(entries.values_list("reason", flat=True)) == ["Spam"]
