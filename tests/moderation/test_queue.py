"""The moderators' queue, /moderation/ (moderation.views.queue): the open cases, most
flagged first and then oldest, in as many queries for three cases as for one."""

import datetime

import pytest
from django.utils import timezone

from moderation import services as moderation
from moderation.models import Case, FlagReason
from papers.models import Paper
from summaries.services import add_comment
from tests.factories import PaperFactory, SummaryFactory, UserFactory
from tests.moderation.helpers import open_case, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def _aged(case: Case, days: int) -> Case:
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - datetime.timedelta(days))
    return case


def test_queue_lists_open_cases_most_flagged_first_then_oldest(
    mod_client, summary, comment, paper, other_user, third_user, moderator
):
    moderation.flag(other_user, paper, reason=FlagReason.WRONG_PAPER, text="Duplicate")
    one_flag_newer = _aged(open_case(paper), 2)
    moderation.flag(other_user, comment, reason=FlagReason.SPAM)
    one_flag_older = _aged(open_case(comment), 3)
    moderation.flag(other_user, summary, reason=FlagReason.PLAGIARISM)
    moderation.flag(third_user, summary, reason=FlagReason.ABUSE)
    two_flags = _aged(open_case(summary), 1)
    decided = PaperFactory()
    moderation.flag(other_user, decided, reason=FlagReason.SPAM)
    moderation.resolve(open_case(decided), moderator, Case.Decision.DISMISS, "Fine")

    response = mod_client.get("/moderation/")

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [
        two_flags,
        one_flag_older,
        one_flag_newer,
    ]
    page = text_of(response)
    assert page.index(f"Case {two_flags.pk}") < page.index(f"Case {one_flag_older.pk}")
    assert "2 flags" in page
    for shown in (
        "Plagiarism",
        "Abusive, harassing or offensive",
        "Spam or advertising",
        "Wrong paper, wrong metadata or a duplicate</strong>: Duplicate",
        "— bob,",
        "— cy,",
        "Attention Is All You Need",
        summary.body_html,
        comment.body_html,
    ):
        assert shown in page, shown
    assert f"Case {decided.cases.get().pk}" not in page


def test_queue_with_no_cases_says_so(mod_client):
    response = mod_client.get("/moderation/")

    assert response.status_code == 200
    assert "No open cases. Thank you." in text_of(response)


def test_queue_links_moderators_to_the_cases_in_the_admin(mod_client):
    response = mod_client.get("/moderation/")

    assert response.status_code == 200
    assert '<a href="/admin/moderation/case/">Cases in the admin</a>' in text_of(response)


@pytest.fixture
def flagged_items(paper, other_user, third_user):
    """Make ``count`` open cases, one of each kind in turn, each with two flags."""

    def make(count):
        cases = []
        for index in range(count):
            summary = SummaryFactory(paper=paper)
            target = [
                summary,
                add_comment(UserFactory(), summary, body="A comment."),
                PaperFactory(),
                UserFactory(),
            ][index % 4]
            if isinstance(target, Paper):
                Paper.objects.filter(pk=target.pk).update(added_by=UserFactory())
            for reporter in (other_user, third_user):
                moderation.flag(reporter, target, reason=FlagReason.SPAM)
            cases.append(open_case(target))
        return cases

    return make


@pytest.mark.parametrize("count", [1, 3])
def test_queue_query_count_does_not_grow_with_cases(
    mod_client, flagged_items, django_assert_num_queries, count
):
    cases = flagged_items(count)

    # Session, user, the moderator's permissions (group and own), the header's
    # notifications and suspension, the page's count, its cases (with every target
    # joined), their flags with reporters.
    with django_assert_num_queries(8):
        response = mod_client.get("/moderation/")

    assert len(response.context["page"].object_list) == len(cases)
