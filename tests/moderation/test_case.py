"""The moderation pages (moderation/views.py): flagging, the queue, deciding a
case, hiding and restoring, suspending and lifting, the public log; and what a hidden item
or a suspension looks like on the rest of the site."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.template.defaultfilters import date as date_filter
from django.test import Client
from django.utils import timezone

from accounts.gate import active_suspension
from accounts.models import Suspension
from moderation import services as moderation
from moderation.models import Case, Flag, FlagReason, ModerationLog
from papers.models import Paper, PaperRedirect
from summaries.models import Comment, Summary, Vote
from summaries.services import add_comment, delete_comment
from tests.factories import PaperFactory, SummaryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

JSON = {"HTTP_ACCEPT": "application/json"}
WEEK = datetime.timedelta(days=7)
REASONS = ["spam", "abuse", "wrong_paper", "plagiarism", "other"]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def text_of(response) -> str:
    return response.content.decode()


def templates_of(response) -> list[str]:
    return [template.name for template in response.templates]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def third_user(db):
    return UserFactory(username="cy")


@pytest.fixture
def other_client(other_user):
    return signed_in(other_user)


@pytest.fixture
def mod_client(moderator):
    return signed_in(moderator)


@pytest.fixture
def comment(summary, third_user):
    """Cy's comment under Ada's summary, counted on it."""
    return add_comment(third_user, summary, body="Buy cheap watches, said nobody.")


@pytest.fixture
def item(request, summary, comment, paper, author):
    """What Bob flags, by the ``kind`` parameter: Ada's summary, Cy's comment on it,
    the paper, or Ada herself."""
    return {"summary": summary, "comment": comment, "paper": paper, "user": author}[request.param]


def flag_url(item) -> str:
    return f"/moderation/flag/{moderation.kind_of(item)}/{item.pk}/"


def open_case(item) -> Case:
    return moderation.open_case(item)


# Flagging ------------------------------------------------------------------------------

KINDS = ["summary", "comment", "paper", "user"]


@pytest.mark.parametrize("item", KINDS, indirect=True)
def test_flag_page_shows_the_item_and_the_reasons(other_client, item):
    response = other_client.get(flag_url(item))

    assert response.status_code == 200
    assert "moderation/flag.html" in templates_of(response)
    assert response.context["item"] == item
    assert response.context["kind"] == moderation.kind_of(item)
    form = response.context["form"]
    assert [value for value, _ in form.fields["reason"].choices] == REASONS
    assert not form.is_bound
    assert 'name="reason" value="plagiarism"' in text_of(response)


@pytest.mark.parametrize("item", KINDS, indirect=True)
def test_flag_is_recorded_thanked_and_goes_back_to_the_item(other_client, other_user, item):
    response = other_client.post(flag_url(item), {"reason": "spam", "text": "Advertising"})

    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    assert messages_of(response) == ["Thank you. A moderator will look at it."]
    flag = Flag.objects.select_related("case").get()
    assert (flag.reporter, flag.reason, flag.text) == (other_user, "spam", "Advertising")
    assert (flag.case.kind, flag.case.target, flag.case.is_open) == (
        moderation.kind_of(item),
        item,
        True,
    )


def test_flag_for_something_else_needs_words(other_client, summary):
    response = other_client.post(flag_url(summary), {"reason": "other", "text": "  "})

    assert response.status_code == 400
    assert response.context["form"].errors == {"text": ["Say what is wrong."]}
    assert not Flag.objects.exists()


def test_flag_needs_a_reason_from_the_list(other_client, summary):
    response = other_client.post(flag_url(summary), {"reason": "boring"})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["reason"]
    assert not Case.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_flagging_again_says_so_and_goes_back(other_client, other_user, summary, method):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM)

    response = getattr(other_client, method)(flag_url(summary), {"reason": "abuse"})

    assert response.status_code == 302
    assert response["Location"] == summary.get_absolute_url()
    assert messages_of(response) == ["You have flagged this already; a moderator will look at it."]
    assert list(Flag.objects.values_list("reason", flat=True)) == ["spam"]


def test_flag_sends_visitors_to_sign_in(client, summary):
    response = client.post(flag_url(summary), {"reason": "spam"})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={flag_url(summary)}"
    assert not Flag.objects.exists()


@pytest.mark.parametrize("item", ["summary", "user"], indirect=True)
def test_members_cannot_flag_what_they_wrote_or_themselves(author_client, item):
    response = author_client.post(flag_url(item), {"reason": "spam"})

    assert response.status_code == 403
    assert not Flag.objects.exists()


def test_members_cannot_flag_their_own_comment(third_user, comment):
    response = signed_in(third_user).post(flag_url(comment), {"reason": "spam"})

    assert response.status_code == 403
    assert not Flag.objects.exists()


def test_a_member_may_report_a_problem_with_a_paper_they_added(other_client, other_user, paper):
    Paper.objects.filter(pk=paper.pk).update(added_by=other_user)

    response = other_client.post(flag_url(paper), {"reason": "wrong_paper", "text": "Typo"})

    assert response.status_code == 302
    assert Flag.objects.get().case.paper == paper


def _private(summary, comment, moderator, author):
    Summary.objects.filter(pk=summary.pk).update(is_private=True)
    return f"/moderation/flag/summary/{summary.pk}/"


def _hidden(summary, comment, moderator, author):
    moderation.hide(summary, moderator, "Spam")
    return f"/moderation/flag/summary/{summary.pk}/"


def _deleted(summary, comment, moderator, author):
    Summary.objects.filter(pk=summary.pk).update(deleted_at=timezone.now())
    return f"/moderation/flag/summary/{summary.pk}/"


def _hidden_comment(summary, comment, moderator, author):
    moderation.hide(comment, moderator, "Spam")
    return f"/moderation/flag/comment/{comment.pk}/"


def _deleted_comment(summary, comment, moderator, author):
    delete_comment(comment)
    return f"/moderation/flag/comment/{comment.pk}/"


def _comment_under_private_summary(summary, comment, moderator, author):
    Summary.objects.filter(pk=summary.pk).update(is_private=True)
    return f"/moderation/flag/comment/{comment.pk}/"


def _comment_under_hidden_summary(summary, comment, moderator, author):
    moderation.hide(summary, moderator, "Spam")
    return f"/moderation/flag/comment/{comment.pk}/"


def _inactive_member(summary, comment, moderator, author):
    author.is_active = False
    author.save()
    return f"/moderation/flag/user/{author.pk}/"


def _no_such_paper(summary, comment, moderator, author):
    return "/moderation/flag/paper/999999/"


def _no_such_kind(summary, comment, moderator, author):
    return f"/moderation/flag/vote/{summary.pk}/"


@pytest.mark.parametrize(
    "make_url",
    [
        pytest.param(_private, id="private-summary"),
        pytest.param(_hidden, id="hidden-summary"),
        pytest.param(_deleted, id="deleted-summary"),
        pytest.param(_hidden_comment, id="hidden-comment"),
        pytest.param(_deleted_comment, id="deleted-comment"),
        pytest.param(_comment_under_private_summary, id="comment-under-private-summary"),
        pytest.param(_comment_under_hidden_summary, id="comment-under-hidden-summary"),
        pytest.param(_inactive_member, id="inactive-member"),
        pytest.param(_no_such_paper, id="no-such-paper"),
        pytest.param(_no_such_kind, id="no-such-kind"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_what_the_flagger_cannot_see_is_404(
    other_client, summary, comment, moderator, author, make_url, method
):
    url = make_url(summary, comment, moderator, author)

    response = getattr(other_client, method)(url, {"reason": "spam"})

    assert response.status_code == 404
    assert not Flag.objects.exists()


def test_flag_page_does_not_unmask_an_anonymous_author(other_client, author, paper):
    summary = SummaryFactory(author=author, paper=paper, is_anonymous=True)

    response = other_client.get(flag_url(summary))

    assert response.status_code == 200
    assert "/users/ada/" not in text_of(response)
    assert ">ada<" not in text_of(response)


def test_flag_page_does_not_unmask_the_anonymous_author_of_a_comment(other_client, author, paper):
    summary = SummaryFactory(author=author, paper=paper, is_anonymous=True)
    comment = add_comment(author, summary, body="Thanks for reading.")

    response = other_client.get(flag_url(comment))

    assert response.status_code == 200
    assert "/users/ada/" not in text_of(response)


# The queue -----------------------------------------------------------------------------


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


# Deciding a case -----------------------------------------------------------------------


def case_url(case: Case) -> str:
    return f"/moderation/cases/{case.pk}/"


def decide(decision, reason="Decided", **extra) -> dict:
    return {"decide-decision": decision, "decide-reason": reason} | {
        f"decide-{name}": value for name, value in extra.items()
    }


def test_case_page_shows_the_item_its_flags_and_the_decisions_for_its_kind(
    mod_client, summary, other_user
):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM, text="Links to a shop")
    case = open_case(summary)

    response = mod_client.get(case_url(case))

    assert response.status_code == 200
    assert response.context["case"] == case
    assert [flag.reporter for flag in response.context["flags"]] == [other_user]
    form = response.context["form"]
    assert [value for value, _ in form.fields["decision"].choices] == [
        "hide",
        "suspend",
        "dismiss",
    ]
    assert "merge_into" not in form.fields
    assert response.context["paper_form"] is None
    assert "Links to a shop" in text_of(response)


def test_case_page_of_a_paper_offers_its_details_to_correct(mod_client, paper, other_user):
    paper.tags.add("cs.LG")
    moderation.flag(other_user, paper, reason=FlagReason.WRONG_PAPER)

    response = mod_client.get(case_url(open_case(paper)))

    assert response.status_code == 200
    assert [value for value, _ in response.context["form"].fields["decision"].choices] == [
        "edit",
        "merge",
        "suspend",
        "dismiss",
    ]
    paper_form = response.context["paper_form"]
    assert (paper_form.initial["authors"], paper_form.initial["tags"]) == (
        "Ashish Vaswani",
        "cs.LG",
    )
    assert paper_form.prefix == "paper"


@pytest.mark.parametrize(
    ("item", "decision", "extra"),
    [
        pytest.param("summary", "hide", {}, id="summary-hide"),
        pytest.param("summary", "suspend", {"length": "7d"}, id="summary-suspend"),
        pytest.param("summary", "dismiss", {}, id="summary-dismiss"),
        pytest.param("comment", "hide", {}, id="comment-hide"),
        pytest.param("comment", "suspend", {"length": "lifted"}, id="comment-suspend"),
        pytest.param("comment", "dismiss", {}, id="comment-dismiss"),
        pytest.param("user", "suspend", {"length": "30d"}, id="member-suspend"),
        pytest.param("user", "dismiss", {}, id="member-dismiss"),
    ],
    indirect=["item"],
)
def test_deciding_a_case_closes_it_logs_it_and_goes_back_to_the_queue(
    mod_client, moderator, other_user, item, decision, extra
):
    moderation.flag(other_user, item, reason=FlagReason.ABUSE)
    case = open_case(item)

    response = mod_client.post(case_url(case), decide(decision, "Seen to", **extra))

    assert response.status_code == 302
    assert response["Location"] == "/moderation/"
    assert messages_of(response) == ["The case is decided and logged."]
    case.refresh_from_db()
    assert (case.is_open, case.decision, case.decision_reason, case.closed_by) == (
        False,
        decision,
        "Seen to",
        moderator,
    )
    assert list(ModerationLog.objects.values_list("action", "reason", "case")) == [
        (decision, "Seen to", case.pk)
    ]


def test_deciding_to_hide_hides_the_item(mod_client, comment, other_user, summary):
    moderation.flag(other_user, comment, reason=FlagReason.SPAM)

    mod_client.post(case_url(open_case(comment)), decide("hide", "Spam"))

    comment.refresh_from_db()
    assert (comment.is_hidden, comment.hidden_reason) == (True, "Spam")
    assert Summary.objects.get(pk=summary.pk).comment_count == 0


def test_deciding_to_suspend_suspends_the_author_for_the_chosen_length(
    mod_client, summary, author, other_user
):
    moderation.flag(other_user, summary, reason=FlagReason.ABUSE)

    mod_client.post(case_url(open_case(summary)), decide("suspend", "Abuse", length="7d"))

    suspension = Suspension.objects.get()
    assert (suspension.user, suspension.reason) == (author, "Abuse")
    assert suspension.ends_at - suspension.starts_at == WEEK


def paper_fields(paper, **changes) -> dict:
    fields = {
        "title": paper.title,
        "authors": "Ashish Vaswani",
        "abstract": paper.abstract,
        "year": str(paper.year),
        "arxiv_id": paper.arxiv_id,
        "tags": "",
        **changes,
    }
    return {f"paper-{name}": value for name, value in fields.items()}


def test_deciding_to_edit_a_paper_saves_its_corrected_details(
    mod_client, moderator, paper, other_user
):
    moderation.flag(other_user, paper, reason=FlagReason.WRONG_PAPER, text="Missing author")
    case = open_case(paper)
    data = decide("edit", "Added the second author") | paper_fields(
        paper, authors="Ashish Vaswani\nNoam Shazeer", tags="cs.CL"
    )

    response = mod_client.post(case_url(case), data)

    assert response.status_code == 302
    assert response["Location"] == "/moderation/"
    assert [a.name for a in paper.authors.order_by("authorships__position")] == [
        "Ashish Vaswani",
        "Noam Shazeer",
    ]
    assert [tag.name for tag in paper.tags.all()] == ["cs.CL"]
    assert list(ModerationLog.objects.values_list("action", "reason")) == [
        ("edit", "Added the second author (changed: authors, tags)")
    ]
    case.refresh_from_db()
    assert (case.is_open, case.decision) == (False, "edit")


@pytest.mark.parametrize(
    "decision",
    [
        pytest.param("merge", id="merge"),
        pytest.param("suspend", id="suspend"),
        pytest.param("dismiss", id="dismiss"),
    ],
)
def test_deciding_a_paper_case_other_than_by_editing(
    mod_client, paper, other_user, third_user, decision
):
    duplicate = PaperFactory(title="Attention is all you need", arxiv_id="")
    Paper.objects.filter(pk=duplicate.pk).update(added_by=third_user)
    moderation.flag(other_user, duplicate, reason=FlagReason.WRONG_PAPER)
    case = open_case(duplicate)
    data = decide(decision, "Same paper", length="1d", merge_into=f"/papers/{paper.pk}/")

    response = mod_client.post(case_url(case), data)

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.is_open, case.decision) == (False, decision)


def test_deciding_to_merge_leaves_a_redirect(mod_client, paper, other_user):
    duplicate = PaperFactory(title="Attention is all you need", arxiv_id="")
    duplicate_pk = duplicate.pk
    moderation.flag(other_user, duplicate, reason=FlagReason.WRONG_PAPER)
    data = decide("merge", "Same paper", merge_into=paper.arxiv_id) | paper_fields(duplicate)

    response = mod_client.post(case_url(open_case(duplicate)), data)

    assert response.status_code == 302
    assert not Paper.objects.filter(pk=duplicate_pk).exists()
    assert PaperRedirect.objects.get(old_id=duplicate_pk).paper == paper
    assert Case.objects.get().paper == paper


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        pytest.param(decide("hide", ""), {"reason": ["This field is required."]}, id="no-reason"),
        pytest.param(
            decide("suspend"),
            {"length": ["Choose how long the suspension lasts."]},
            id="suspend-without-length",
        ),
        pytest.param(
            decide("edit"),
            {"decision": ["Select a valid choice. edit is not one of the available choices."]},
            id="decision-not-for-summaries",
        ),
        pytest.param(
            decide("hide", length="forever"),
            {"length": ["Select a valid choice. forever is not one of the available choices."]},
            id="unknown-length",
        ),
    ],
)
def test_an_invalid_decision_is_400_with_errors_and_changes_nothing(
    mod_client, summary, other_user, data, errors
):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM)
    case = open_case(summary)

    response = mod_client.post(case_url(case), data)

    assert response.status_code == 400
    assert response.context["form"].errors == errors
    case.refresh_from_db()
    summary.refresh_from_db()
    assert (case.is_open, summary.is_hidden) == (True, False)
    assert not ModerationLog.objects.exists()
    assert not Suspension.objects.exists()


def test_merging_into_an_unknown_paper_is_400(mod_client, paper, other_user):
    moderation.flag(other_user, paper, reason=FlagReason.WRONG_PAPER)
    case = open_case(paper)

    response = mod_client.post(case_url(case), decide("merge", merge_into="/papers/999999/"))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "merge_into": ["No paper on ShortScience has that address or id."]
    }
    assert Paper.objects.filter(pk=paper.pk).exists()
    assert open_case(paper) == case


def test_merging_a_paper_into_itself_is_400_with_the_reason(mod_client, paper, other_user):
    moderation.flag(other_user, paper, reason=FlagReason.WRONG_PAPER)
    case = open_case(paper)

    response = mod_client.post(case_url(case), decide("merge", merge_into=str(paper.pk)))

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["A paper cannot be merged into itself."]
    assert open_case(paper) == case


def test_editing_a_paper_with_invalid_details_is_400(mod_client, paper, other_user):
    moderation.flag(other_user, paper, reason=FlagReason.WRONG_PAPER)
    case = open_case(paper)
    data = decide("edit", "Fix") | paper_fields(paper, title="")

    response = mod_client.post(case_url(case), data)

    assert response.context["paper_form"].errors == {"title": ["This field is required."]}
    assert open_case(paper) == case
    assert response.status_code == 400


def test_a_decided_case_shows_the_decision_and_takes_no_other(
    mod_client, summary, other_user, moderator
):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM)
    case = open_case(summary)
    moderation.resolve(case, moderator, Case.Decision.DISMISS, "Not spam")

    response = mod_client.post(case_url(case), decide("hide", "Spam after all"), follow=True)

    summary.refresh_from_db()
    assert not summary.is_hidden
    assert list(ModerationLog.objects.values_list("action", flat=True)) == ["dismiss"]
    assert response.redirect_chain == [(case_url(case), 302)]
    assert "This case is decided already; nothing was changed." in text_of(response)
    assert "Dismiss the flags</strong> — “Not spam”" in text_of(response)
    assert "Spam after all" not in text_of(response)


def test_an_unknown_case_is_404_to_moderators(mod_client):
    response = mod_client.get("/moderation/cases/999999/")

    assert response.status_code == 404


# Hiding and restoring ------------------------------------------------------------------


@pytest.mark.parametrize("item", ["summary", "comment"], indirect=True)
def test_hide_page_asks_for_a_reason(mod_client, item):
    kind = moderation.kind_of(item)

    response = mod_client.get(f"/moderation/{kind}/{item.pk}/hide/")

    assert response.status_code == 200
    assert "moderation/hide.html" in templates_of(response)
    assert response.context["item"] == item
    assert list(response.context["form"].fields) == ["reason"]
    assert f'action="/moderation/{kind}/{item.pk}/hide/"' in text_of(response)


@pytest.mark.parametrize("item", ["summary", "comment"], indirect=True)
def test_hide_hides_logs_and_goes_back_to_the_item(mod_client, moderator, item):
    kind = moderation.kind_of(item)

    response = mod_client.post(f"/moderation/{kind}/{item.pk}/hide/", {"reason": " Spam  link "})

    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    assert messages_of(response) == [f"The {kind} is hidden."]
    item.refresh_from_db()
    assert (item.is_hidden, item.hidden_by, item.hidden_reason) == (True, moderator, "Spam link")
    assert list(ModerationLog.objects.values_list("action", "target_kind", "target_id")) == [
        ("hide", kind, item.pk)
    ]


def test_hide_without_a_reason_is_400(mod_client, summary):
    response = mod_client.post(f"/moderation/summary/{summary.pk}/hide/", {"reason": "   "})

    assert response.status_code == 400
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    summary.refresh_from_db()
    assert not summary.is_hidden


def test_hiding_what_is_hidden_says_so(mod_client, summary, moderator):
    moderation.hide(summary, moderator, "Spam")

    response = mod_client.post(f"/moderation/summary/{summary.pk}/hide/", {"reason": "Again"})

    assert response.status_code == 302
    assert messages_of(response) == ["This summary is hidden already."]
    assert ModerationLog.objects.count() == 1


@pytest.mark.parametrize("item", ["summary", "comment"], indirect=True)
def test_restore_shows_the_item_again(mod_client, moderator, item):
    moderation.hide(item, moderator, "Spam")
    kind = moderation.kind_of(item)
    url = f"/moderation/{kind}/{item.pk}/restore/"

    page = mod_client.get(url)
    response = mod_client.post(url, {"reason": "A fair comment after all"})

    assert page.status_code == 200
    assert "“Spam”. Restoring shows it to everyone again." in text_of(page)
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    assert messages_of(response) == [f"The {kind} is restored."]
    item.refresh_from_db()
    assert not item.is_hidden
    assert list(ModerationLog.objects.values_list("action", flat=True)) == ["hide", "restore"]


def test_restoring_what_is_shown_says_so(mod_client, summary):
    response = mod_client.post(f"/moderation/summary/{summary.pk}/restore/", {"reason": "Why"})

    assert response.status_code == 302
    assert messages_of(response) == ["This summary is not hidden."]
    assert not ModerationLog.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/moderation/paper/{paper}/hide/", id="a-paper"),
        pytest.param("/moderation/user/{user}/hide/", id="a-member"),
        pytest.param("/moderation/summary/{private}/hide/", id="a-private-summary"),
        pytest.param("/moderation/summary/{deleted}/hide/", id="a-deleted-summary"),
        pytest.param("/moderation/comment/{deleted_comment}/hide/", id="a-deleted-comment"),
        pytest.param("/moderation/summary/999999/restore/", id="no-such-summary"),
    ],
)
def test_only_visible_summaries_and_comments_are_hidden(
    mod_client, paper, author, other_user, comment, url
):
    private = SummaryFactory(author=other_user, is_private=True)
    deleted = SummaryFactory(author=other_user, deleted_at=timezone.now())
    delete_comment(comment)
    url = url.format(
        paper=paper.pk,
        user=author.pk,
        private=private.pk,
        deleted=deleted.pk,
        deleted_comment=comment.pk,
    )

    response = mod_client.post(url, {"reason": "Spam"})

    assert response.status_code == 404
    assert not ModerationLog.objects.exists()


def test_a_comment_under_a_private_summary_is_404_to_moderators(mod_client, summary, comment):
    Summary.objects.filter(pk=summary.pk).update(is_private=True)

    response = mod_client.get(f"/moderation/comment/{comment.pk}/hide/")

    assert mod_client.get(comment.get_absolute_url()).status_code == 404
    assert response.status_code == 404


# Suspending and lifting ----------------------------------------------------------------


def test_suspend_page_asks_for_a_reason_and_a_length(mod_client, other_user):
    response = mod_client.get("/moderation/users/bob/suspend/")

    assert response.status_code == 200
    assert response.context["member"] == other_user
    assert response.context["suspension"] is None
    assert [key for key, _ in response.context["form"].fields["length"].choices] == [
        "1d",
        "7d",
        "30d",
        "365d",
        "lifted",
    ]


@pytest.mark.parametrize(
    ("length", "lasts"),
    [
        pytest.param("1d", datetime.timedelta(days=1), id="a-day"),
        pytest.param("365d", datetime.timedelta(days=365), id="a-year"),
        pytest.param("lifted", None, id="until-lifted"),
    ],
)
def test_suspend_suspends_logs_and_goes_to_the_profile(
    mod_client, moderator, other_user, length, lasts
):
    response = mod_client.post(
        "/moderation/users/bob/suspend/", {"reason": "Spam", "length": length}
    )

    assert response.status_code == 302
    assert response["Location"] == "/users/bob/"
    assert messages_of(response) == ["bob is suspended."]
    suspension = Suspension.objects.get()
    assert (suspension.user, suspension.moderator, suspension.reason) == (
        other_user,
        moderator,
        "Spam",
    )
    assert (suspension.ends_at - suspension.starts_at if lasts else suspension.ends_at) == lasts
    assert list(ModerationLog.objects.values_list("action", "target_label")) == [
        ("suspend", "member bob")
    ]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        pytest.param({"length": "7d"}, {"reason": ["This field is required."]}, id="no-reason"),
        pytest.param(
            {"reason": "Spam", "length": "2d"},
            {"length": ["Select a valid choice. 2d is not one of the available choices."]},
            id="unknown-length",
        ),
    ],
)
def test_an_invalid_suspension_is_400(mod_client, other_user, data, errors):
    response = mod_client.post("/moderation/users/bob/suspend/", data)

    assert response.status_code == 400
    assert response.context["form"].errors == errors
    assert not Suspension.objects.exists()


def test_a_moderator_cannot_suspend_themselves(mod_client, moderator):
    response = mod_client.post(
        "/moderation/users/mod/suspend/", {"reason": "Test", "length": "1d"}
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["You cannot suspend yourself."]
    assert not Suspension.objects.exists()


def test_suspend_page_of_an_unknown_member_is_404(mod_client):
    response = mod_client.get("/moderation/users/nobody/suspend/")

    assert response.status_code == 404


def test_suspend_page_shows_the_suspension_in_force_and_how_to_lift_it(
    mod_client, other_user, moderator
):
    suspension = moderation.suspend(other_user, moderator, "Spam", length=None)

    response = mod_client.get("/moderation/users/bob/suspend/")

    assert response.context["suspension"] == suspension
    assert "bob is suspended until lifted: “Spam”." in text_of(response)
    assert 'action="/moderation/users/bob/lift/"' in text_of(response)


def test_lift_ends_the_suspension_and_goes_back(mod_client, other_user, moderator):
    suspension = moderation.suspend(other_user, moderator, "Spam", length=WEEK)

    response = mod_client.post("/moderation/users/bob/lift/", {"reason": "Apologised"})

    assert response.status_code == 302
    assert response["Location"] == "/moderation/users/bob/suspend/"
    assert messages_of(response) == ["bob's suspension is lifted."]
    suspension.refresh_from_db()
    assert (suspension.lifted_by, active_suspension(other_user)) == (moderator, None)
    assert list(ModerationLog.objects.values_list("action", "reason")) == [
        ("suspend", "Spam"),
        ("lift", "Apologised"),
    ]


def test_lift_without_a_reason_keeps_the_suspension(mod_client, other_user, moderator):
    suspension = moderation.suspend(other_user, moderator, "Spam", length=WEEK)

    response = mod_client.post("/moderation/users/bob/lift/", {"reason": ""})

    assert response.status_code == 302
    assert messages_of(response) == ["Give a reason for lifting the suspension."]
    assert active_suspension(other_user) == suspension


def test_lifting_when_there_is_nothing_to_lift_says_so(mod_client, other_user):
    response = mod_client.post("/moderation/users/bob/lift/", {"reason": "Why"})

    assert response.status_code == 302
    assert messages_of(response) == ["bob is not suspended."]
    assert not ModerationLog.objects.exists()


# The public log ------------------------------------------------------------------------


@pytest.fixture
def logged_actions(summary, comment, other_user, moderator):
    """A hidden summary (by mod), a hidden comment and a suspension (by a second moderator)."""
    second = UserFactory(username="mo2", is_superuser=True)
    moderation.hide(summary, moderator, "Off-topic")
    moderation.hide(comment, second, "Rude")
    moderation.suspend(other_user, second, "Repeated rudeness", length=WEEK)
    return list(ModerationLog.objects.order_by("pk"))


def test_visitors_read_the_log_newest_first(client, logged_actions):
    response = client.get("/moderation/log/")

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == logged_actions[::-1]
    page = text_of(response)
    for shown in (
        '<a href="/users/mod/">mod</a> hid summary #',
        '<a href="/users/mo2/">mo2</a> hid comment #',
        '<a href="/users/mo2/">mo2</a> suspended member bob',
        "“Off-topic”",
        "“Rude”",
        "“Repeated rudeness”",
    ):
        assert shown in page, shown


@pytest.mark.parametrize(
    ("kind", "actions"),
    [
        pytest.param("summary", [("hide", "Off-topic")], id="summaries"),
        pytest.param("comment", [("hide", "Rude")], id="comments"),
        pytest.param("user", [("suspend", "Repeated rudeness")], id="members"),
        pytest.param("paper", [], id="papers"),
    ],
)
def test_log_filters_by_kind(client, logged_actions, kind, actions):
    response = client.get("/moderation/log/", {"kind": kind})

    assert response.status_code == 200
    assert [(e.action, e.reason) for e in response.context["page"].object_list] == actions
    assert response.context["kind"] == kind


def test_log_of_an_unknown_kind_is_404(client, logged_actions):
    response = client.get("/moderation/log/", {"kind": "vote"})

    assert response.status_code == 404


def test_empty_log_says_so(client):
    response = client.get("/moderation/log/")

    assert response.status_code == 200
    assert "No moderation yet." in text_of(response)


@pytest.mark.parametrize("count", [1, 3])
def test_log_query_count_does_not_grow_with_entries(
    client, moderator, django_assert_num_queries, count
):
    for index in range(count):
        moderation.suspend(
            UserFactory(), UserFactory(is_superuser=True), f"Spam {index}", length=WEEK
        )

    # The page's count, and its entries with their moderators.
    with django_assert_num_queries(2):
        response = client.get("/moderation/log/")

    assert len(response.context["page"].object_list) == count


# A suspended member --------------------------------------------------------------------


@pytest.fixture
def suspension(author, moderator):
    return moderation.suspend(author, moderator, "Posting advertisements", length=WEEK)


@pytest.fixture
def bobs_summary(other_user, paper):
    return SummaryFactory(author=other_user, paper=paper)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/", id="home"),
        pytest.param("/about/", id="about"),
        pytest.param("/summaries/{summary}/", id="a-summary"),
        pytest.param("/papers/", id="papers"),
        pytest.param("/users/ada/", id="own-profile"),
        pytest.param("/moderation/log/", id="the-log"),
    ],
)
def test_a_suspended_member_reads_with_the_reason_and_end_on_every_page(
    author_client, suspension, bobs_summary, url
):
    response = author_client.get(url.format(summary=bobs_summary.pk))

    assert response.status_code == 200
    page = text_of(response)
    assert "A moderator suspended your account until" in page
    assert date_filter(suspension.ends_at, "j F Y, H:i") in page
    assert "The reason given: “Posting advertisements”." in page


def test_others_see_no_banner(other_client, suspension, bobs_summary):
    response = other_client.get(f"/summaries/{bobs_summary.pk}/")

    assert response.status_code == 200
    assert "suspended" not in text_of(response)


def _write(paper, bobs_summary, comment):
    return f"/summaries/new/{PaperFactory().pk}/", {"body": "A new summary."}


def _comment(paper, bobs_summary, comment):
    return f"/summaries/{bobs_summary.pk}/comments/", {"body": "A comment."}


def _vote(paper, bobs_summary, comment):
    return f"/summaries/{bobs_summary.pk}/vote/", {"value": "1"}


def _comment_vote(paper, bobs_summary, comment):
    return f"/summaries/comments/{comment.pk}/vote/", {"value": "1"}


def _flag(paper, bobs_summary, comment):
    return f"/moderation/flag/summary/{bobs_summary.pk}/", {"reason": "spam"}


def _add_paper(paper, bobs_summary, comment):
    data = {"title": "A New Paper", "authors": "Grace Hopper", "year": "1952"}
    return "/papers/new/", data


WRITES = [
    pytest.param(_write, id="write-a-summary"),
    pytest.param(_comment, id="comment"),
    pytest.param(_vote, id="vote"),
    pytest.param(_comment_vote, id="vote-on-a-comment"),
    pytest.param(_flag, id="flag"),
    pytest.param(_add_paper, id="add-a-paper"),
]


@pytest.mark.parametrize("make", WRITES)
def test_a_suspended_member_gets_the_suspended_page_when_writing(
    author_client, suspension, paper, bobs_summary, make
):
    comment = add_comment(bobs_summary.author, bobs_summary, body="Bob's own note.")
    url, data = make(paper, bobs_summary, comment)
    counts = [m.objects.count() for m in (Summary, Comment, Vote, Flag, Paper)]

    response = author_client.post(url, data)

    assert response.status_code == 403
    assert "Your account is suspended" in text_of(response)
    assert "The reason given: “Posting advertisements”." in text_of(response)
    assert [m.objects.count() for m in (Summary, Comment, Vote, Flag, Paper)] == counts


def test_a_suspended_members_vote_by_script_gets_the_reason_as_json(
    author_client, suspension, bobs_summary
):
    response = author_client.post(f"/summaries/{bobs_summary.pk}/vote/", {"value": "1"}, **JSON)

    assert response.status_code == 403
    assert response.json() == {
        "error": "Your account is suspended until "
        f"{suspension.ends_at:%d %B %Y, %H:%M} UTC: Posting advertisements"
    }
    assert not Vote.objects.exists()


def test_after_the_suspension_is_lifted_the_member_writes_again(
    author_client, suspension, bobs_summary, moderator
):
    moderation.lift_suspension(suspension.user, moderator, "Served")

    response = author_client.post(f"/summaries/{bobs_summary.pk}/comments/", {"body": "Hi."})

    assert response.status_code == 302
    assert Comment.objects.get().body == "Hi."


# Hidden summaries and comments on the site ---------------------------------------------


@pytest.fixture
def hidden_summary(summary, moderator):
    moderation.hide(summary, moderator, "Copied from the abstract")
    return summary


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        pytest.param("author", 200, id="its-author"),
        pytest.param("moderator", 200, id="a-moderator"),
        pytest.param("other_user", 404, id="another-member"),
        pytest.param(None, 404, id="a-visitor"),
    ],
)
def test_a_hidden_summary_shows_only_to_its_author_and_moderators(
    client, hidden_summary, request, viewer, status
):
    if viewer:
        client.force_login(request.getfixturevalue(viewer))

    response = client.get(f"/summaries/{hidden_summary.pk}/")

    assert response.status_code == status
    if status == 200:
        assert "Hidden by a moderator: Copied from the abstract." in text_of(response)
        assert hidden_summary.body_html in text_of(response)


@pytest.mark.parametrize(
    ("viewer", "sees_it"),
    [
        pytest.param("third_user", True, id="its-author"),
        pytest.param("moderator", True, id="a-moderator"),
        pytest.param("other_user", False, id="another-member"),
        pytest.param(None, False, id="a-visitor"),
    ],
)
def test_a_hidden_comment_without_replies_shows_only_to_its_author_and_moderators(
    client, summary, comment, moderator, request, viewer, sees_it
):
    moderation.hide(comment, moderator, "Rude")
    if viewer:
        client.force_login(request.getfixturevalue(viewer))

    response = client.get(f"/summaries/{summary.pk}/")

    page = text_of(response)
    assert response.status_code == 200
    assert (comment.body_html in page) is sees_it
    assert ("Hidden by a moderator: Rude." in page) is sees_it
    assert (f'id="comment-{comment.pk}"' in page) is sees_it
    assert "Comment hidden by a moderator." not in page
    assert "0 Comments" in page


def test_a_hidden_comment_with_replies_leaves_a_placeholder_for_others(
    other_client, summary, comment, author, moderator
):
    reply = add_comment(author, summary, body="I disagree, politely.", parent=comment)
    moderation.hide(comment, moderator, "Rude")

    response = other_client.get(f"/summaries/{summary.pk}/")

    page = text_of(response)
    assert "Comment hidden by a moderator." in page
    assert comment.body_html not in page
    assert "Rude" not in page
    assert reply.body_html in page
    assert "1 Comment" in page


def test_a_suspended_member_gets_their_comment_back_with_the_reason(
    author_client, suspension, bobs_summary
):
    response = author_client.post(
        f"/summaries/{bobs_summary.pk}/comments/", {"body": "My *careful* reply."}
    )

    assert response.status_code == 403
    assert response.context["comment_form"]["body"].value() == "My *careful* reply."
    assert "Your account is suspended" in text_of(response)
    assert Comment.objects.count() == 0


def test_a_suspended_members_flag_comes_back_with_their_words(
    author_client, suspension, bobs_summary
):
    response = author_client.post(
        f"/moderation/flag/summary/{bobs_summary.pk}/",
        {"reason": "plagiarism", "text": "Copied from a blog post."},
    )

    assert response.status_code == 403
    assert response.context["form"]["text"].value() == "Copied from a blog post."
    assert "Your account is suspended until" in text_of(response)
    assert Flag.objects.count() == 0
