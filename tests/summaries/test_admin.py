import pytest
from django.contrib.auth.models import Group

from tests.factories import SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_moderators_group_has_exactly_the_moderation_permissions():
    group = Group.objects.get(name="Moderators")

    codenames = sorted(f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all())

    assert codenames == [
        "accounts.view_suspension",
        "moderation.view_case", "moderation.view_flag", "moderation.view_moderationlog",
        "papers.add_authorship", "papers.add_venue", "papers.change_author",
        "papers.change_authorship", "papers.change_paper", "papers.change_venue",
        "papers.delete_authorship", "papers.view_author", "papers.view_authorship",
        "papers.view_paper", "papers.view_venue",
        "summaries.hide_summary", "summaries.view_comment", "summaries.view_figure",
        "summaries.view_revision", "summaries.view_summary",
    ]  # fmt: skip


def test_summary_admin_links_to_the_hide_page_that_asks_for_a_reason(client, moderator, summary):
    client.force_login(moderator)

    response = client.get("/admin/summaries/summary/")

    assert f'href="/moderation/summary/{summary.pk}/hide/"' in response.content.decode()


def test_moderator_cannot_delete_summaries_in_the_admin(client, moderator, summary):
    client.force_login(moderator)

    response = client.get(f"/admin/summaries/summary/{summary.pk}/delete/")

    assert response.status_code == 403


def test_summary_admin_shows_revisions_inline_read_only(client, moderator, summary):
    client.force_login(moderator)

    response = client.get(f"/admin/summaries/summary/{summary.pk}/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "First *version* with $a_1$." in html
    assert 'name="revisions-0-body"' not in html


def test_staff_without_the_group_cannot_open_summaries_in_the_admin(client, other_user, summary):
    other_user.is_staff = True
    other_user.save()
    client.force_login(other_user)

    response = client.get("/admin/summaries/summary/")

    assert response.status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_summary_changelist_query_count_is_fixed(
    client, django_assert_num_queries, moderator, paper, count
):
    SummaryFactory.create_batch(count)
    client.force_login(moderator)

    with django_assert_num_queries(9):
        response = client.get("/admin/summaries/summary/")

    assert response.context["cl"].result_count == count
